"""Rules of docs/architecture.md that grep can check: module size, what production code imports."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400  # the house style's "split a module before it passes ~400 lines"


def production_modules() -> list[Path]:
    skip = {"tests", "migrations", "bench", "node_modules", "var"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not any(part in skip or part.startswith(".") for part in path.relative_to(ROOT).parts)
    ]


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name


def test_no_production_module_passes_400_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in production_modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_production_code_never_imports_the_test_client():
    offenders = [
        str(path.relative_to(ROOT))
        for path in production_modules()
        for _, module in imported_modules(ast.parse(path.read_text()))
        if module == "django.test" or module.startswith("django.test.")
    ]
    assert offenders == []


def test_services_never_import_task_modules_inside_functions():
    """A lazy import of a tasks module hides an import cycle: enqueue the task by name."""
    offenders = []
    for path in production_modules():
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for _, module in imported_modules(function):
                if module.endswith(".tasks"):
                    offenders.append(f"{path.relative_to(ROOT)}:{function.name}")
    assert offenders == []


def test_star_markup_lives_only_in_the_stars_partial():
    """Course cards, the course page, reviews and the rating form include one partial, so
    stars look, round and read aloud the same everywhere."""
    partial = ROOT / "templates" / "components" / "stars.html"
    templates = [*(ROOT / "templates").glob("**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    offenders = [
        str(path.relative_to(ROOT))
        for path in templates
        if path != partial and any(m in path.read_text() for m in ('class="stars"', "star_icons"))
    ]
    assert offenders == []


SCRIPT_FOLDERS = ("bench", "deploy")
PROJECT_PACKAGES = {"accounts", "blog", "config", "core", "courses", "learning", "legal"}
PROJECT_PACKAGES |= {"pages", "purchases", "ratings"}


def test_scripts_outside_the_apps_import_names_that_exist():
    """bench/ and deploy/ scripts are not run by the suite: a moved model must not break them."""
    import importlib

    missing = []
    for folder in SCRIPT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.ImportFrom) or not node.module:
                    continue
                if node.module.split(".")[0] not in PROJECT_PACKAGES:
                    continue
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if not hasattr(module, alias.name):
                        try:
                            importlib.import_module(f"{node.module}.{alias.name}")
                        except ImportError:
                            missing.append(f"{path.relative_to(ROOT)}: {node.module}.{alias.name}")
    assert missing == []
