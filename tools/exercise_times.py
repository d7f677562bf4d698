"""What the exercises cost: the seconds of their solutions' cells in a real build.

Build the book from empty caches with the cell timer on, then add up:

    BOOK_CELL_TIMES=_build/cell-times.jsonl nox -s docs   # a cold build; see below
    python tools/exercise_times.py _build/cell-times.jsonl

Every kernel of that build appends one line per cell it runs (``gatedrnn.celltimes``,
loaded by ``docs/conf.py``). This script finds the cells that lie inside each page's
solutions (read from the page's source, as the build reads it) and prints their seconds
per page and in all, and the seconds of every cell of the build for comparison. Only a
page that executed in that build has times: remove the execution cache first
(``_build/.jupyter_cache``) for the whole book.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,})\{(?P<name>exercise|solution-start|solution-end)\}[ \t]*(?P<arg>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)


def page_source(page: str) -> Path:
    """The source file of a page, by its docname (``gru``, ``examples/adding_problem``)."""
    for suffix in (".md", ".py"):
        if (path := DOCS / f"{page}{suffix}").exists():
            return path
    raise FileNotFoundError(f"no page {page!r} under {DOCS}")


def tokens(path: Path) -> list[tuple[str, str, str]]:
    """A page's exercise directives and code cells, in order: (kind, label, text)."""
    notebook = jupytext.read(path, fmt="py:percent" if path.suffix == ".py" else None)
    found: list[tuple[str, str, str]] = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            found.append(("code", "", cell.source))
            continue
        for match in DIRECTIVE.finditer(cell.source):
            name, arg, body = match["name"], match["arg"].strip(), match["body"]
            if name == "exercise":
                label = re.search(r"^:label:\s*(\S+)", body, re.M)
                found.append(("exercise", label[1] if label else "", arg + "\n" + body))
            else:
                found.append((name, arg, body))
    return found


def exercises(page: str) -> dict[str, dict]:
    """Each exercise of a page: its statement, its solution's options and code cells.

    Raises ``ValueError`` for a solution without its exercise above it, a solution that
    starts inside another or one that does not end.
    """
    found: dict[str, dict] = {}
    solution = None
    for kind, label, text in tokens(page_source(page)):
        if kind == "exercise":
            found[label] = {"text": text, "solution": None, "code": []}
        elif kind == "solution-start":
            if solution is not None or label not in found:
                raise ValueError(f"{page}: the solution of {label!r} is misplaced")
            found[label]["solution"] = text
            solution = label
        elif kind == "solution-end":
            if solution is None:
                raise ValueError(f"{page}: a solution-end without a start")
            solution = None
        elif solution is not None:
            found[solution]["code"].append(text)
    if solution is not None:
        raise ValueError(f"{page}: the solution of {solution!r} does not end")
    return found


def pages() -> list[str]:
    """The docnames of the chapters and examples."""
    found = [p.stem for p in sorted(DOCS.glob("*.md")) if p.stem != "index"]
    return found + [f"examples/{p.stem}" for p in sorted((DOCS / "examples").glob("*.py"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("times", type=Path, help="the BOOK_CELL_TIMES file of a build")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.times.read_text("utf-8").splitlines() if line]
    seconds: dict[str, list[float]] = {}
    for record in records:
        seconds.setdefault(record["source"].strip("\n"), []).append(record["seconds"])
    total_cells = sum(r["seconds"] for r in records)
    total = 0.0
    print(f"{'page':34s} {'exercises':>9s} {'solution cells':>14s} {'seconds':>8s}")
    for page in pages():
        found = exercises(page)
        cells = [code.strip("\n") for exercise in found.values() for code in exercise["code"]]
        missing = [code for code in cells if code not in seconds]
        if missing:
            print(f"{page:34s} not executed in this build ({len(missing)} cells without a time)")
            continue
        page_seconds = sum(max(seconds[code]) for code in cells)
        total += page_seconds
        print(f"{page:34s} {len(found):9d} {len(cells):14d} {page_seconds:8.1f}")
    print(f"solutions in all: {total:.1f} s of {total_cells:.1f} s of executed cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
