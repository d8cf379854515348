"""The locked requirements: production installs the app's packages only, each pinned with hashes."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ("base.txt", "dev.txt")
APP_PACKAGES = (
    "config",
    "core",
    "clients",
    "assessments",
    "programs",
    "portal",
    "reminders",
    "api",
)
TEST_TOOLS = {
    "pytest",
    "pytest-django",
    "hypothesis",
    "factory-boy",
    "faker",
    "playwright",
    "ruff",
    "pypdf",
}


def canonical(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(lock: str) -> dict[str, tuple[str, int]]:
    """Each package of a lock file: its pinned version and how many hashes it carries."""
    entries = {}
    text = (ROOT / "requirements" / lock).read_text()
    # A requirement starts at the left margin; its hashes and comments are indented below.
    for block in re.split(r"\n(?=\S)", text):
        first = block.partition("\n")[0]
        if not first.strip() or first.startswith("#"):
            continue
        pin = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", first)
        assert pin, f"{lock}: not pinned with ==: {first!r}"
        hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}\b", block)
        entries[canonical(pin[1])] = (pin[2], len(hashes))
    return entries


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_is_pinned_with_a_hash(lock):
    entries = locked(lock)
    assert entries
    assert [name for name, (_, hashes) in entries.items() if not hashes] == []


def test_production_installs_no_test_tool():
    assert sorted(TEST_TOOLS & locked("base.txt").keys()) == []


def test_development_installs_production_versions_and_the_test_tools():
    base, dev = locked("base.txt"), locked("dev.txt")
    assert {name: dev.get(name, (None,))[0] for name in base} == {
        name: version for name, (version, _) in base.items()
    }
    assert dev.keys() >= TEST_TOOLS


def _third_party_modules() -> set[str]:
    """Top-level modules that the shipped app imports or names in its settings."""
    modules = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.partition(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.partition(".")[0])
    for dotted in (*settings.INSTALLED_APPS, *settings.MIDDLEWARE):
        modules.add(dotted.partition(".")[0])
    return modules - set(sys.stdlib_module_names) - set(APP_PACKAGES)


def test_every_package_the_app_imports_is_in_the_production_set():
    base = locked("base.txt").keys()
    owners = packages_distributions()
    missing = {
        module: owners.get(module)
        for module in _third_party_modules()
        if not {canonical(d) for d in owners.get(module, [])} & base
    }
    assert missing == {}
    # Loaded without an import in the app: the server and the PostgreSQL driver.
    assert {"gunicorn", "psycopg", "psycopg-binary"} <= base
