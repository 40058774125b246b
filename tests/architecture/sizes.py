"""The size limits of `bot/` (docs/architecture.md, "Size limits"), checked on the source without importing it.

A module over MAX_MODULE_LINES or a function over MAX_FUNCTION_LINES is an
offender unless the docs' table "Longer than the limits, and why" lists it
with a reason. The listed line count is a ceiling, so an allowed exception
that keeps growing is reported again and its reason looked at afresh.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
MODULE = "(module)"  # the name column of a whole-module entry
ALLOWLIST_HEADING = "Longer than the limits, and why"


@dataclass(frozen=True)
class Size:
    path: str  # relative to the project root, e.g. bot/core/answers.py
    name: str  # MODULE, or the function's qualified name, e.g. RedFlagDetector.assess
    lines: int

    @property
    def limit(self) -> int:
        return MAX_MODULE_LINES if self.name == MODULE else MAX_FUNCTION_LINES

    def __str__(self) -> str:
        what = "module" if self.name == MODULE else self.name
        return f"{self.path} {what}: {self.lines} lines (limit {self.limit})"


@dataclass(frozen=True)
class Allowed:
    lines: int
    reason: str


class AllowlistError(ValueError):
    """The docs' table cannot be read: a row without a number or a reason, or no table at all."""


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Every function and method with its qualified name and its lines from `def` to its last line."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            yield name, node.end_lineno - node.lineno + 1
            yield from _functions(node, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix + node.name + ".")
        else:
            yield from _functions(node, prefix)


def measure(root: Path, package: str = "bot") -> list[Size]:
    """The size of every module under `root/package` and of every function in it."""
    sizes = []
    for path in sorted((root / package).rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        sizes.append(Size(relative, MODULE, len(source.splitlines())))
        tree = ast.parse(source, filename=relative)
        sizes.extend(Size(relative, name, lines) for name, lines in _functions(tree))
    return sizes


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`").strip() for cell in line.strip().strip("|").split("|")]


def read_allowlist(doc: Path) -> dict[tuple[str, str], Allowed]:
    """The table under the heading ALLOWLIST_HEADING: `| path | name | lines | reason |`."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    heading = next(
        (i for i, line in enumerate(lines) if line.lstrip("#").strip() == ALLOWLIST_HEADING and line.startswith("#")),
        None,
    )
    if heading is None:
        raise AllowlistError(f"{doc}: no heading '{ALLOWLIST_HEADING}'")
    rows = []
    for line in lines[heading + 1 :]:
        if line.startswith("#"):
            break
        if line.strip().startswith("|"):
            rows.append(line)
    if len(rows) < 2 or _cells(rows[0])[:4] != ["path", "name", "lines", "reason"]:
        raise AllowlistError(
            f"{doc}: the table under '{ALLOWLIST_HEADING}' needs the columns path | name | lines | reason"
        )
    allowed = {}
    for row in rows[2:]:  # after the header and its --- line
        cells = _cells(row)
        if len(cells) < 4 or not re.fullmatch(r"\d+", cells[2]) or not cells[3]:
            raise AllowlistError(f"{doc}: row needs a path, a name, a line count and a reason: {row.strip()}")
        allowed[(cells[0], cells[1])] = Allowed(int(cells[2]), cells[3])
    return allowed


def offenders(sizes: list[Size], allowed: dict[tuple[str, str], Allowed]) -> list[str]:
    """What is over its limit and not listed, or listed but grown past the listed count."""
    found = []
    for size in sizes:
        if size.lines <= size.limit:
            continue
        entry = allowed.get((size.path, size.name))
        if entry is None:
            found.append(str(size))
        elif size.lines > entry.lines:
            found.append(f"{size}; the docs allow {entry.lines} ({entry.reason})")
    return found


def stale(sizes: list[Size], allowed: dict[tuple[str, str], Allowed]) -> list[str]:
    """Listed exceptions that no longer exist or are back within the limits, so the docs no longer hold."""
    present = {(s.path, s.name): s for s in sizes}
    found = []
    for key in sorted(allowed):
        size = present.get(key)
        if size is None:
            found.append(f"{key[0]} {key[1]}: listed in the docs but not found")
        elif size.lines <= size.limit:
            found.append(f"{size}: listed in the docs but within the limits now")
    return found
