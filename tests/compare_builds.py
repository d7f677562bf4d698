"""Compare the executed results of two builds of the book, and list every difference.

    python tests/compare_builds.py BUILD_A BUILD_B

Each BUILD folder holds the jupyter_execute/ folder that myst-nb writes next to the
HTML output. The script compares every glued value (text, tables and figures) and
every table that a cell displays. Timings are expected to vary between runs, and the
pages say so: table columns whose header names a time or a speed (such as
"fit time (s)", "steps/s" or "% of peak"), and glued values and figures whose
key starts with "speed_" or ends with "_ms". The script lists them apart, and exits
with 1 when anything else differs.
"""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path


class Tables(HTMLParser):
    """The tables of an HTML fragment, as lists of rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> list[list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def results(build: Path) -> dict[str, str]:
    """Every glued value and displayed table of one build, keyed by where it comes from."""
    found: dict[str, str] = {}
    executed = build / "jupyter_execute"
    for glue_file in sorted(executed.rglob("*.glue.json")):
        page = glue_file.relative_to(executed).as_posix().removesuffix(".glue.json")
        for key, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
            data = output.get("data", {})
            for mime in ("text/html", "image/svg+xml", "text/plain"):
                if mime in data:
                    found[f"{page} glue {key} [{mime}]"] = text(data[mime])
                    break
    for notebook in sorted(executed.rglob("*.ipynb")):
        page = notebook.relative_to(executed).with_suffix("").as_posix()
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                html = text(output.get("data", {}).get("text/html", ""))
                for number, table in enumerate(tables_of(html)):
                    found[f"{page} cell {index} table {number}"] = json.dumps(table)
    return found


def is_timing_column(name: str) -> bool:
    """Whether a table column holds timings or speeds, which vary from run to run."""
    name = name.lower()
    return "time" in name or "/s" in name or "peak" in name


def is_timing_glue(key: str) -> bool:
    """Whether a glued value is a timing or speed, by the book's naming convention."""
    name = key.split(" glue ", 1)[-1].split(" [", 1)[0]
    return name.startswith("speed_") or name.endswith("_ms")


def table_differences(a: str, b: str) -> tuple[list[str], list[str]]:
    """Cell-by-cell differences of two tables: (in timing columns, elsewhere)."""
    rows_a, rows_b = json.loads(a), json.loads(b)
    same_shape = len(rows_a) == len(rows_b) and all(
        len(x) == len(y) for x, y in zip(rows_a, rows_b, strict=True)
    )
    if not same_shape:
        return [], ["the tables have different shapes"]
    header = rows_a[0]
    timing, other = [], []
    for row_a, row_b in zip(rows_a[1:], rows_b[1:], strict=True):
        for column, (x, y) in enumerate(zip(row_a, row_b, strict=True)):
            if x != y:
                name = header[column] if column < len(header) else str(column)
                where = timing if is_timing_column(name) else other
                where.append(f"row {row_a[0]!r}, column {name!r}: {x} != {y}")
    return timing, other


def main(a: Path, b: Path) -> int:
    first, second = results(a), results(b)
    unexpected, expected = [], []
    for key in sorted(set(first) | set(second)):
        if key not in first or key not in second:
            unexpected.append(f"{key}: only in one build")
        elif first[key] != second[key]:
            if " table " in key:
                timing, other = table_differences(first[key], second[key])
                expected += [f"{key}: {d}" for d in timing]
                unexpected += [f"{key}: {d}" for d in other]
            else:
                shown = first[key][:80] if "image/" not in key else "(figure)"
                where = expected if is_timing_glue(key) else unexpected
                where.append(f"{key}: {shown!r} != {second[key][:80]!r}")
    print(f"Compared {len(first)} glued values and tables of {a} and {b}.")
    print(f"{len(expected)} expected differences (timings, explained on the pages):")
    for line in expected:
        print(f"  {line}")
    print(f"{len(unexpected)} unexpected differences:")
    for line in unexpected:
        print(f"  {line}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
