"""Compare the executed results of two builds of the book, and list every difference.

    python tests/compare_builds.py BUILD_A BUILD_B    compare two builds
    python tests/compare_builds.py --check BUILD      only refuse undeclared timings

Each BUILD folder holds the jupyter_execute/ folder that myst-nb writes next to the
HTML output. The script compares every glued value (text, tables and figures) and
every cell of every table that a cell displays or a page glues, under its real column
and row (pandas' multi-row headers, spanned cells and index names are resolved).

Timings (and speeds, speed-ups and anything computed from them) vary from run to run.
They are declared, never guessed from wording, by one convention every page follows:

- A glued value or figure that holds a timing has a key that starts with ``timing_``
  (``timing_fit_seconds``, ``timing_speedup_stepped``, ``timing_fastest_layer``).
- A table column (or row) that holds timings names a timing unit in its header: the
  header is the unit itself or ends with it in parentheses, such as ``fit time (s)``,
  ``forward (ms)``, ``steps/s`` or ``% of peak``. The units are ``TIMING_UNITS``.
  In a multi-row header, a unit in any level declares the whole column.

Differences there are expected and listed apart. Anything else that differs is
unexpected, and so is a glue key or a table header that looks like a time (seconds,
ms, speed, speed-up, slowdown, steps/s, peak, ...) without the declaration: it is
refused, so that a timing can never be compared as a result or hide among them.
Glue keys that start with ``reported_`` quote a figure printed by a source tutorial;
they are constants, compared as results, and never refused. The script exits with 1
when there is an unexpected difference or a refused value.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

#: Glue keys that start with this hold a timing or a value computed from timings.
TIMING_PREFIX = "timing_"
#: Glue keys that start with this quote a figure of a source tutorial: a constant.
QUOTED_PREFIX = "reported_"
#: A table header that is one of these, or ends with one in parentheses, holds timings.
TIMING_UNITS = ("s", "ms", "µs", "steps/s", "GFLOP/s", "% of peak")

#: Words of a glue key (split at "_" and digits) that mean a time or a speed.
TIME_WORDS = {
    "s", "ms", "us", "sec", "secs", "second", "seconds", "time", "times", "timing",
    "timings", "speed", "speeds", "speedup", "speedups", "slowdown", "slowdowns",
    "faster", "slower", "throughput", "gflops", "fps", "peak", "elapsed", "duration",
}  # fmt: skip
#: Wording of a table header that means a time or a speed. "Time steps", "over time" and
#: "through time" name the axis of a sequence, not a duration.
TIME_HEADER = re.compile(
    r"(?<!over )(?<!through )\btimes?\b(?!\s+steps?\b)"
    r"|\btimings?\b|\bseconds?\b|\bsecs?\b|\bms\b|µs|\(s\)|/s\b"
    r"|\bspeed|\bslow-?down|\bfaster\b|\bslower\b|\bthroughput\b|\bgflop|\bpeak\b"
    r"|\belapsed\b|\bduration\b",
    re.IGNORECASE,
)


class _Cells(HTMLParser):
    """The rows of every table of an HTML fragment, as (section, [(tag, text, rows, cols)])."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[tuple[str, list[tuple[str, str, int, int]]]]] = []
        self._section = "tbody"
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._tag = "td"

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
            self._section = "tbody"
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self.tables:
            self.tables[-1].append((self._section, []))
        elif tag in ("td", "th"):
            spans = dict(attrs)
            self._cell, self._tag = [], tag
            self._span = (int(spans.get("rowspan") or 1), int(spans.get("colspan") or 1))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            text = " ".join("".join(self._cell).split())
            self.tables[-1][-1][1].append((self._tag, text, *self._span))
            self._cell = None
        elif tag in ("thead", "tfoot"):
            self._section = "tbody"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _grid(rows):
    """Place each cell of a table in every grid position its rowspan and colspan cover."""
    grid: dict[tuple[int, int], tuple[str, str]] = {}
    for r, (_, cells) in enumerate(rows):
        c = 0
        for tag, text, rowspan, colspan in cells:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[r + dr, c + dc] = (tag, text)
            c += colspan
    width = 1 + max((c for _, c in grid), default=-1)
    return [[grid.get((r, c), ("td", "")) for c in range(width)] for r in range(len(rows))]


def _levels(texts) -> list[str]:
    """The non-empty levels of a header, without a level repeated by a span."""
    levels: list[str] = []
    for text in texts:
        if text and (not levels or levels[-1] != text):
            levels.append(text)
    return levels


def tables_of(html: str) -> list[dict]:
    """Every table of an HTML fragment, each cell under the header of its real column.

    A table is ``{"columns": [levels, ...], "rows": [[label levels, [cells]], ...]}``.
    Header rows are those of ``<thead>`` (or the leading rows of ``<th>`` cells only);
    the row label is the run of ``<th>`` cells that starts each body row (pandas'
    index). Header cells above the index hold the names of the column and row indexes,
    and are not columns.
    """
    parser = _Cells()
    parser.feed(html)
    tables = []
    for rows in parser.tables:
        grid = _grid(rows)
        head = [i for i, (section, _) in enumerate(rows) if section == "thead"]
        if not head:
            for i, row in enumerate(grid):
                if row and all(tag == "th" for tag, _ in row) and i == len(head):
                    head.append(i)
        body = [row for i, row in enumerate(grid) if i not in head]
        # The row label is the run of <th> cells that starts the first body row.
        index = 0
        while body and index < len(body[0]) and body[0][index][0] == "th":
            index += 1
        if body and index == len(body[0]):
            index = 0
        width = len(grid[0]) if grid else 0
        columns = [_levels(grid[h][c][1] for h in head) for c in range(index, width)]
        tables.append(
            {
                "columns": columns,
                "rows": [
                    [_levels(text for _, text in row[:index]), [text for _, text in row[index:]]]
                    for row in body
                ],
            }
        )
    return tables


def text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def results(build: Path) -> dict[str, str]:
    """Every glued value and displayed table of one build, keyed by where it comes from.

    A key reads ``PAGE glue KEY [MIME]`` or ``PAGE glue KEY table N`` for a glued value,
    and ``PAGE table N`` for the Nth table that the page's cells display, counted from 0
    (so a cell without output, added or removed, does not renumber the tables).
    """
    found: dict[str, str] = {}
    executed = build / "jupyter_execute"
    if not executed.is_dir():
        raise SystemExit(f"{build}: no jupyter_execute/ folder; expected the output of a build")
    for glue_file in sorted(executed.rglob("*.glue.json")):
        page = glue_file.relative_to(executed).as_posix().removesuffix(".glue.json")
        for key, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
            data = output.get("data", {})
            tables = tables_of(text(data.get("text/html", "")))
            for number, table in enumerate(tables):
                found[f"{page} glue {key} table {number}"] = json.dumps(table)
            if tables:
                continue
            for mime in ("text/html", "image/svg+xml", "text/plain"):
                if mime in data:
                    found[f"{page} glue {key} [{mime}]"] = text(data[mime])
                    break
    for notebook in sorted(executed.rglob("*.ipynb")):
        page = notebook.relative_to(executed).with_suffix("").as_posix()
        # myst-nb writes a page that it read from the cache without its outputs; the
        # notebook offered for download beside the HTML has them merged back.
        offered = build / "html" / "_sources" / notebook.relative_to(executed)
        if offered.exists():
            notebook = offered
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        outputs = [output for cell in cells for output in cell.get("outputs", [])]
        html = (text(output.get("data", {}).get("text/html", "")) for output in outputs)
        tables = [table for page_html in html for table in tables_of(page_html)]
        for number, table in enumerate(tables):
            found[f"{page} table {number}"] = json.dumps(table)
    return found


def glue_key(key: str) -> str | None:
    """The glue key inside a result key, or None for a table that a cell displays."""
    if " glue " not in key:
        return None
    return re.split(r" \[| table ", key.split(" glue ", 1)[1], maxsplit=1)[0]


def declares_timing(header: str) -> bool:
    """Whether a table header declares timings: a timing unit, alone or in parentheses."""
    header = header.strip()
    unit = re.search(r"\(([^()]*)\)$", header)
    return header in TIMING_UNITS or bool(unit and unit.group(1).strip() in TIMING_UNITS)


def is_timing_glue(key: str) -> bool:
    """Whether a glued value is declared a timing: its key starts with ``timing_``."""
    return key.startswith(TIMING_PREFIX)


def looks_like_time_key(key: str) -> bool:
    """Whether a glue key's words mean a time or a speed (``seconds_gru``, ``x_speedup``)."""
    return any(word in TIME_WORDS for word in re.split(r"[_\W\d]+", key.lower()))


def undeclared_timings(found: dict[str, str]) -> list[str]:
    """Glued values and table headers that look like timings but are not declared."""
    refused = []
    glued = sorted({(k.split(" ", 1)[0], glue_key(k)) for k in found if glue_key(k)})
    for page, key in glued:
        declared = key.startswith((TIMING_PREFIX, QUOTED_PREFIX))
        if not declared and looks_like_time_key(key):
            refused.append(
                f"{page} glue {key}: looks like a timing: declare it as {TIMING_PREFIX}{key}, "
                "or name it without words of time if it is not one"
            )
    for where, value in sorted(found.items()):
        if " table " not in where or is_timing_glue(glue_key(where) or ""):
            continue
        table = json.loads(value)
        headers = [("column", levels) for levels in table["columns"]]
        headers += [("row", label) for label, _ in table["rows"]]
        for kind, levels in headers:
            if any(TIME_HEADER.search(level) for level in levels) and not any(
                declares_timing(level) for level in levels
            ):
                name = " / ".join(levels)
                refused.append(
                    f"{where}: {kind} {name!r} looks like a timing: end it with its unit, "
                    f"one of {', '.join(f'({u})' for u in TIMING_UNITS)}"
                )
    return refused


def table_differences(a: str, b: str) -> tuple[list[str], list[str]]:
    """Cell-by-cell differences of two tables: (in declared timings, elsewhere)."""
    table_a, table_b = json.loads(a), json.loads(b)
    if table_a["columns"] != table_b["columns"]:
        return [], [f"the columns differ: {table_a['columns']} != {table_b['columns']}"]
    if len(table_a["rows"]) != len(table_b["rows"]):
        return [], [f"{len(table_a['rows'])} rows != {len(table_b['rows'])} rows"]
    timing_columns = [any(map(declares_timing, c)) for c in table_a["columns"]]
    timing, other = [], []
    for number, ((label_a, cells_a), (label_b, cells_b)) in enumerate(
        zip(table_a["rows"], table_b["rows"], strict=True)
    ):
        row = " / ".join(label_a) or f"row {number + 1}"
        if label_a != label_b:
            other.append(f"row {number + 1} label: {' / '.join(label_a)} != {' / '.join(label_b)}")
        timing_row = any(map(declares_timing, label_a))
        for column, (x, y) in enumerate(zip(cells_a, cells_b, strict=True)):
            if x != y:
                name = " / ".join(table_a["columns"][column]) or f"column {column + 1}"
                where = timing if timing_row or timing_columns[column] else other
                where.append(f"row {row!r}, column {name!r}: {x} != {y}")
    return timing, other


def compare(first: dict[str, str], second: dict[str, str]) -> tuple[list[str], list[str]]:
    """Every difference of two builds' results: (expected timings, unexpected)."""
    unexpected, expected = [], []
    for key in sorted(set(first) | set(second)):
        if key not in first or key not in second:
            unexpected.append(f"{key}: only in one build")
            continue
        if first[key] == second[key]:
            continue
        declared = is_timing_glue(glue_key(key) or "")
        if " table " in key:
            timing, other = table_differences(first[key], second[key])
            expected += [f"{key}: {d}" for d in timing + (other if declared else [])]
            unexpected += [] if declared else [f"{key}: {d}" for d in other]
        else:
            line = f"{key}: {first[key][:80]!r} != {second[key][:80]!r}"
            if "image/" in key:
                line = f"{key}: the figures differ"
            (expected if declared else unexpected).append(line)
    return expected, unexpected


def pages_of(found: dict[str, str]) -> list[str]:
    return sorted({key.split(" ", 1)[0] for key in found})


def report(title: str, lines: list[str]) -> None:
    print(f"{len(lines)} {title}")
    for line in lines:
        print(f"  {line}")


def check(build: Path) -> int:
    """Refuse undeclared timings in one build; return the exit status."""
    found = results(build)
    refused = undeclared_timings(found)
    print(f"Checked {len(found)} glued values and tables of {len(pages_of(found))} pages.")
    report("undeclared timings (refused):", refused)
    return 1 if refused else 0


def main(a: Path, b: Path) -> int:
    first, second = results(a), results(b)
    expected, unexpected = compare(first, second)
    refused = list(dict.fromkeys(undeclared_timings(first) + undeclared_timings(second)))
    pages = pages_of(first)
    print(f"Compared {len(first)} glued values and tables of {a} and {b}.")
    print(f"Pages ({len(pages)}): {', '.join(pages)}")
    report("expected differences (declared timings):", expected)
    report("unexpected differences:", unexpected)
    report("undeclared timings (refused):", refused)
    return 1 if unexpected or refused else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(Path(sys.argv[2])))
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
