"""`make bench`'s scripts start from a fresh shell (Django set up by the script itself):
a module that reads the models before that fails at once, as seed_scale once did."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", ["bench.seed_scale", "bench.run"])
def test_a_bench_script_starts_and_explains_itself(module):
    env = {**os.environ, "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-800:]
    assert "--clients" in done.stdout
