"""Every page ends with exercises whose solutions are hidden, executed and checked.

The source is read as the build reads it (jupytext cells): each chapter has 3 to 5
exercises and a "Further reading" section of 2 to 4 annotated references, each example
1 or 2 exercises. Every exercise has a solution that is folded (`:class: dropdown`) and
whose last code cell ends with an assertion, so a wrong solution fails the build. The
built site is checked for the same count in both editions, with the labels of the
page's language.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest
from test_translations import DOCS, english_pages

CHAPTERS = [page for page in english_pages() if "/" not in page and page != "index"]
EXAMPLES = [page for page in english_pages() if page.startswith("examples/")]
#: How many exercises a page has: a chapter ends with a few, an example has one or two.
EXERCISES_PER_PAGE = {"chapter": range(3, 6), "example": range(1, 3)}
FURTHER_READING = range(2, 5)

DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,})\{(?P<name>exercise|solution-start|solution-end)\}[ \t]*(?P<arg>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
#: The Japanese labels of sphinx-exercise, and the English ones.
LABELS = {"en": ("Exercise", "Solution"), "ja": ("練習", "解答")}


def source_path(page: str) -> Path:
    for suffix in (".md", ".py"):
        if (path := DOCS / f"{page}{suffix}").exists():
            return path
    raise FileNotFoundError(page)


def tokens(page: str) -> list[tuple[str, str, str]]:
    """The page's exercise directives and code cells, in order: (kind, label, text)."""
    path = source_path(page)
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
    """Each exercise of a page: its statement, and its solution's options and code cells."""
    found: dict[str, dict] = {}
    solution = None
    for kind, label, text in tokens(page):
        if kind == "exercise":
            found[label] = {"text": text, "solution": None, "code": []}
        elif kind == "solution-start":
            assert solution is None, f"{page}: solution of {label} starts inside another"
            assert label in found, f"{page}: a solution to {label!r}, which is not above it"
            found[label]["solution"] = text
            solution = label
        elif kind == "solution-end":
            assert solution is not None, f"{page}: a solution-end without a start"
            solution = None
        elif solution is not None:
            found[solution]["code"].append(text)
    assert solution is None, f"{page}: the solution of {solution} does not end"
    return found


def kind_of(page: str) -> str:
    return "example" if page.startswith("examples/") else "chapter"


def last_statement(code: str) -> str:
    """The last statement of a cell: its lines from the last unindented line on."""
    lines = [line for line in code.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.lstrip().startswith("#")]
    start = max(i for i, line in enumerate(lines) if not line[:1].isspace())
    return "\n".join(lines[start:])


@pytest.mark.parametrize("page", CHAPTERS + EXAMPLES)
def test_every_page_has_exercises_with_hidden_checked_solutions(page):
    found = exercises(page)
    assert len(found) in EXERCISES_PER_PAGE[kind_of(page)], (page, list(found))
    for label, exercise in found.items():
        assert "-exercise-" in label, f"{page}: label {label!r} is not <page>-exercise-<slug>"
        # A title argument would not reach the catalogues; the statement opens in bold.
        assert exercise["text"].startswith("\n"), f"{label}: an exercise has no title argument"
        assert exercise["solution"] is not None, f"{label} has no solution"
        assert re.search(r"^:class:.*\bdropdown\b", exercise["solution"], re.M), (
            f"{label}: the solution is not hidden (:class: dropdown)"
        )
        assert exercise["code"], f"{label}: the solution executes no code"
        last = last_statement(exercise["code"][-1])
        assert re.match(r"(assert\b|np\.testing\.assert_|torch\.testing\.assert_)", last), (
            f"{label}: the solution's last statement does not check the answer:\n{last}"
        )


def test_exercise_labels_are_unique_in_the_book():
    labels = [label for page in CHAPTERS + EXAMPLES for label in exercises(page)]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_ends_with_exercises_further_reading_and_references(page):
    text = source_path(page).read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[-3:] == ["Exercises", "Further reading", "References"], (page, headings)
    reading = text.split("## Further reading", 1)[1].split("## References", 1)[0]
    items = re.findall(r"^- .*\{footcite(?::t)?\}`[^`]+`.*\S", reading, re.M)
    assert len(items) in FURTHER_READING, (page, items)
    # Annotated: each reference comes with a sentence of what to read it for.
    for item in items:
        words = re.sub(r"\{footcite(?::t)?\}`[^`]+`", "", item).split()
        assert len(words) >= 8, f"{page}: a reference without a note: {item}"


def test_the_checks_fail_on_a_wrong_solution():
    # The structure test rejects a solution that checks nothing and one that is shown.
    assert not re.match(r"assert\b", last_statement("x = 1\nprint(x)"))
    assert re.match(r"assert\b", last_statement("x = 1\nassert x == 1, (\n    x,\n)"))
    shown = "\n:class: note\n"
    assert not re.search(r"^:class:.*\bdropdown\b", shown, re.M)


@pytest.mark.parametrize("lang", list(LABELS))
@pytest.mark.parametrize("page", CHAPTERS + EXAMPLES)
def test_built_pages_show_every_exercise_folded_in_their_language(site, lang, page):
    html = (site / lang / f"{page}.html").read_text(encoding="utf-8")
    count = len(exercises(page))
    assert len(re.findall(r'<div class="exercise admonition"', html)) == count
    solutions = re.findall(r'<div class="solution ([^"]*)admonition"', html)
    assert len(solutions) == count and all("dropdown" in s for s in solutions), solutions
    exercise_word, solution_word = LABELS[lang]
    assert html.count(f'<span class="caption-number">{exercise_word} ') >= count
    assert html.count(f'<p class="admonition-title">{solution_word}') == count
