"""The layer rule of docs/architecture.md: no import runs upward, at any depth of the tree.

Every ``import`` and ``from ... import`` in the project's own code counts, including the ones
inside functions (heavy parts are imported lazily, and a lazy import that runs upward breaks
the layering just as much). Layers are listed top first; a module may import its own layer
and the layers below it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Top-level packages, top first: application, then the stages against the data flow, then core.
PROJECT_LAYERS: tuple[tuple[str, ...], ...] = (
    ("dags", "benchmarks"),
    ("app",),
    ("outreach",),
    ("models",),
    ("governance",),
    ("privacy",),
    ("collect",),
    ("quality",),
    ("core",),
)

#: Layers inside packages that are themselves layered.
INNER_LAYERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "models": (("models.lifecycle",), ("models.training",), ("models.serving",)),
    "app": (
        ("app.cli", "app.tasks"),
        ("app.demo",),
        ("app.review",),
        ("app.runners",),
        ("app.components",),
        ("app.pipeline",),
        ("app.staff", "app.airflow_env", "app.airflow_resources", "app.dag_defaults"),
    ),
}

PACKAGES = tuple(name for layer in PROJECT_LAYERS for name in layer)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_imports() -> Iterator[tuple[str, str, int]]:
    """(importing module, imported module or name, line) for every import of project code."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = _module_name(path)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    targets = [f"{node.module}.{alias.name}" for alias in node.names]
                else:
                    continue
                for target in targets:
                    if target.split(".")[0] in PACKAGES:
                        yield module, target, node.lineno


def _layer_of(name: str, layers: tuple[tuple[str, ...], ...]) -> int | None:
    for index, layer in enumerate(layers):
        if any(name == prefix or name.startswith(prefix + ".") for prefix in layer):
            return index
    return None


def upward_imports() -> list[str]:
    """Each import that reaches a higher layer than its own module's, as ``module:line -> target``."""
    found = []
    for module, target, line in project_imports():
        checks = [PROJECT_LAYERS]
        top = module.split(".")[0]
        if top == target.split(".")[0] and top in INNER_LAYERS:
            checks.append(INNER_LAYERS[top])
        for layers in checks:
            source_layer, target_layer = _layer_of(module, layers), _layer_of(target, layers)
            if source_layer is not None and target_layer is not None and target_layer < source_layer:
                found.append(f"{module}:{line} -> {target}")
    return found


def test_no_import_runs_upward() -> None:
    assert upward_imports() == []


def test_every_module_belongs_to_a_layer() -> None:
    """A new package or app module must be placed in a layer, or the rule above would not see it."""
    unplaced = set()
    for module, _, _ in project_imports():
        top = module.split(".")[0]
        if top in INNER_LAYERS and module != top and _layer_of(module, INNER_LAYERS[top]) is None:
            unplaced.add(module)
    assert unplaced == set()


@pytest.mark.parametrize(("module", "target"), [
    ("core.config", "collect.base"),
    ("collect.reddit", "privacy.posts"),
    ("quality.drift", "models.serving.scoring"),
    ("models.serving.predict", "models.training.train"),
    ("app.pipeline.ingest", "app.runners"),
])
def test_the_rule_catches_an_upward_import(module: str, target: str) -> None:
    """The checker itself: each of these would run against the data flow."""
    layers = INNER_LAYERS.get(module.split(".")[0]) if module.split(".")[0] == target.split(".")[0] else None
    for table in filter(None, (PROJECT_LAYERS, layers)):
        source_layer, target_layer = _layer_of(module, table), _layer_of(target, table)
        if source_layer is not None and target_layer is not None and target_layer < source_layer:
            return
    pytest.fail(f"{module} -> {target} was not recognised as upward")


def test_core_imports_nothing_of_the_stages() -> None:
    stray = sorted({target for module, target, _ in project_imports()
                    if module.startswith("core") and not target.startswith("core")})
    assert stray == []
