"""A worker's memory over many plan renders: ``python -m bench.memory VERSION_PK RENDERS``.

A fresh process (as a gunicorn worker is) renders the version's plan the way publishing does
(gather the data, render the PDF) RENDERS times and prints, as JSON, its peak RSS after 10
renders and after all of them, and its current RSS at both points. The peak is the kernel's
VmHWM of this process: ``ru_maxrss`` would carry the peak of the process that started it
(Linux keeps it across exec).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

import django


def status_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, in kB."""
    with open("/proc/self/status") as handle:
        return int(re.search(rf"^{field}:\s+(\d+) kB", handle.read(), re.M).group(1))


def main(argv: list[str]) -> int:
    version_pk, renders = int(argv[0]), int(argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from programs.models import ProgramVersion
    from programs.sharing import render_version

    def render():
        version = ProgramVersion.objects.select_related(
            "program__client__practice", "assessment", "created_by", "published_by"
        ).get(pk=version_pk)
        return render_version(version)

    started = time.perf_counter()
    result = {"renders": renders}
    for n in range(1, renders + 1):
        render()
        if n == 10:
            result["peak_rss_kb_after_10"] = status_kb("VmHWM")
            result["rss_kb_after_10"] = status_kb("VmRSS")
    result["peak_rss_kb_after_all"] = status_kb("VmHWM")
    result["rss_kb_after_all"] = status_kb("VmRSS")
    result["seconds"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
