"""The layer rules of `bot/` (docs/architecture.md, "Layers"), checked on the source without importing it.

Every `import` and `from ... import` counts, also the ones inside functions:
a lazy import is still a dependency, it only fails later.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Iterator

RUNTIME_LAYERS = ("bot.core", "bot.safety", "bot.rasa", "bot.run")
# layer -> module prefixes it must never import
FORBIDDEN = {
    "bot.core": (
        "rasa",
        "rasa_sdk",
        "spacy",
        "medspacy",
        "sklearn",
        "bot.rasa",
        "bot.run",
        "bot.safety",
        "bot.tools",
        "bot.insights",
        "bot.privacy",
    ),
    "bot.safety": ("rasa", "rasa_sdk", "bot.rasa", "bot.run", "bot.tools"),
    "bot.rasa": ("bot.run", "bot.tools"),
    "bot.run": ("bot.tools",),
}
EVERYWHERE = ("tests", "tools")  # nothing in bot/ imports the tests or the top-level tools
DOCKERFILE = Path(__file__).resolve().parents[2] / "deploy" / "Dockerfile"


def action_image_modules(dockerfile: Path = DOCKERFILE) -> frozenset[str]:
    """The top-level modules of what the action server's image pip-installs (deploy/Dockerfile, stage `actions`).

    bot.core is what that image runs, so it may import these besides the standard library."""
    stage, wanted = None, set()
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        if line.startswith("FROM "):
            stage = line.split()[-1]
        elif stage == "actions" and "pip install" in line:
            words = line.split("pip install", 1)[1].split("&&")[0].split()
            skip_next = False
            for word in words:
                if skip_next or word.startswith("-"):
                    skip_next = word in ("-c", "-r", "--constraint", "--requirement")
                    continue
                wanted.add(word.lower().replace("_", "-"))
    return frozenset(
        module
        for module, dists in packages_distributions().items()
        if any(d.lower().replace("_", "-") in wanted for d in dists)
    )


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. bot.core.answers
    target: str  # the imported module, e.g. bot.core.clinic
    line: int


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    """Every import in one file, relative ones resolved against its package."""
    module = module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield Import(module, target, node.lineno)
            for alias in node.names:  # `from bot.core import settings` imports the module bot.core.settings
                yield Import(module, f"{target}.{alias.name}", node.lineno)


def all_imports(root: Path, package: str = "bot") -> list[Import]:
    return [i for path in sorted((root / package).rglob("*.py")) for i in imports_of(root, path)]


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _layer(name: str) -> str:
    """bot.core.facts.store -> bot.core; a module at the top of bot (bot.x) is its own layer."""
    return ".".join(name.split(".")[:2])


def layer_violations(imports: list[Import], modules: set[str]) -> list[str]:
    """Broken rules, one line each: `module:line imports target (rule)`."""
    problems, core_third_party = [], action_image_modules()
    for imp in imports:
        layer = _layer(imp.module)
        for prefix in FORBIDDEN.get(layer, ()) + EVERYWHERE:
            if _within(imp.target, prefix):
                problems.append(f"{imp.module}:{imp.line} imports {imp.target} ({layer} must not import {prefix})")
        top = imp.target.split(".")[0]
        if (
            layer == "bot.core"
            and top not in ("bot", "__future__", *core_third_party)
            and top not in sys.stdlib_module_names
        ):
            problems.append(
                f"{imp.module}:{imp.line} imports {imp.target} (bot.core: only the standard library "
                "and what the action server's image installs, deploy/Dockerfile)"
            )
    return problems


def subpackage_cycles(imports: list[Import], modules: set[str]) -> list[list[str]]:
    """Cycles in the graph of bot's subpackages (an import within one subpackage is no edge)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if not _within(imp.target, "bot") or imp.target not in modules:
            continue
        source, target = _layer(imp.module), _layer(imp.target)
        if source != target and target != "bot":
            graph.setdefault(source, set()).add(target)
    cycles, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycles.append(path[path.index(node) :] + [node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, path + [node])
        done.add(node)

    for start in sorted(graph):
        visit(start, [])
    return cycles


def check(root: Path, package: str = "bot") -> list[str]:
    """Every broken layer rule and every cycle under `root/package`; empty when the tree is clean."""
    imports = all_imports(root, package)
    modules = {module_name(root, p) for p in (root / package).rglob("*.py")}
    cycles = [" -> ".join(c) + " (import cycle)" for c in subpackage_cycles(imports, modules)]
    return layer_violations(imports, modules) + cycles
