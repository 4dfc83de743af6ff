"""One app per stage of the journey: each imports only the apps before it, so a stage can be
read, tested and changed without the ones that come after. probono/, the project, joins them;
apps may use its infrastructure (the Celery app, the e-mail helper), which imports no app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JOURNEY = ["pages", "accounts", "matching", "notifications", "missions", "observatory"]
INFRASTRUCTURE = ["probono.celery", "probono.emails"]


def imported_modules(path):
    """Every module this file imports (absolute imports only: relative ones stay in the app)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def forbidden_imports(paths, later):
    return sorted(
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name} imports {module}"
        for path in paths
        for module in set(imported_modules(path))
        if module.split(".")[0] in later and module not in INFRASTRUCTURE
    )


@pytest.mark.parametrize("app", JOURNEY)
def test_an_app_imports_only_the_apps_before_it(app):
    later = set(JOURNEY[JOURNEY.index(app) + 1 :]) | {"probono"}
    assert forbidden_imports((ROOT / app).rglob("*.py"), later) == []


def test_the_project_infrastructure_apps_use_imports_no_app():
    paths = [ROOT / (module.replace(".", "/") + ".py") for module in INFRASTRUCTURE]
    assert forbidden_imports(paths, set(JOURNEY)) == []


def test_the_check_sees_an_import_of_a_later_app(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from missions.models import Mission\nimport observatory.figures\n")
    assert forbidden_imports([sample], {"observatory", "probono"}) == [
        "sample.py imports observatory.figures"
    ]
