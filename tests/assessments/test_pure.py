import json
import subprocess
import sys
from pathlib import Path

PURE_MODULES = (
    "assessments.measures",
    "assessments.posture",
    "assessments.norms",
    "assessments.maturity",
    "assessments.interpret",
    "assessments.charts",
    "assessments.comparison",
    "assessments.labels",
    "assessments.findings",
    "assessments.photo_angles",
    "assessments.photo_intake",
    "assessments.photo_overlay",
    "assessments.pose_model",
    "clients.population",
    "clients.parq",
    "programs.library",
    "programs.rules",
    "programs.case",
    "programs.engine",
    "programs.plan",
    "programs.adherence",
    "programs.pdf",
)
ROOT = Path(__file__).resolve().parents[2]


def _modules_loaded_by_importing(names: tuple[str, ...]) -> list[str]:
    # A fresh interpreter: this test process has Django and the models loaded already.
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(names)!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_interpretation_modules_import_no_database_layer():
    loaded = _modules_loaded_by_importing(PURE_MODULES)
    assert [name for name in loaded if name.startswith("django.db")] == []


def test_interpretation_modules_import_no_models():
    loaded = _modules_loaded_by_importing(PURE_MODULES)
    assert [name for name in loaded if name == "models" or name.endswith(".models")] == []
