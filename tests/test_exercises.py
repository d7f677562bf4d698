"""Every page ends with exercises whose solutions are hidden, executed and checked.

The source is read as the build reads it, in jupytext cells, by the parser of
``tools/exercise_times.py``. Each chapter has 3 to 5 exercises and a "Further reading"
section of 2 to 4 annotated references; each example has 1 or 2 exercises. Every
exercise has a solution that is folded (``:class: dropdown``) and whose last code cell
ends with an assertion, so a wrong solution fails the build. The built site is checked
for the same count in both editions, with the labels of the page's language.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from test_translations import english_pages

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from exercise_times import exercises, page_source  # noqa: E402

CHAPTERS = [page for page in english_pages() if "/" not in page and page != "index"]
EXAMPLES = [page for page in english_pages() if page.startswith("examples/")]
#: How many exercises a page has: a chapter ends with a few, an example has one or two.
EXERCISES_PER_PAGE = {"chapter": range(3, 6), "example": range(1, 3)}
FURTHER_READING = range(2, 5)

#: The Japanese labels of sphinx-exercise, and the English ones.
LABELS = {"en": ("Exercise", "Solution"), "ja": ("練習", "解答")}


def kind_of(page: str) -> str:
    return "example" if page.startswith("examples/") else "chapter"


def checks_its_answer(code: str) -> bool:
    """Whether a cell's last statement is an assertion (``assert``, ``np.testing.assert_*``)."""
    return ends_with_assertion(ast.parse(code).body)


def ends_with_assertion(body: list[ast.stmt]) -> bool:
    """Whether statements end in an assertion, also as the last step of a loop or a ``with``."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Assert):
        return True
    if isinstance(last, (ast.For, ast.With)):
        return ends_with_assertion(last.body)
    call = last.value if isinstance(last, ast.Expr) else None
    if isinstance(call, ast.Call):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else None
        name = name or (call.func.id if isinstance(call.func, ast.Name) else "")
        return name.startswith("assert_")
    return False


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
        assert checks_its_answer(exercise["code"][-1]), (
            f"{label}: the solution's last statement does not check the answer:\n"
            + exercise["code"][-1]
        )


def test_exercise_labels_are_unique_in_the_book():
    labels = [label for page in CHAPTERS + EXAMPLES for label in exercises(page)]
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_ends_with_exercises_further_reading_and_references(page):
    text = page_source(page).read_text(encoding="utf-8")
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
    assert not checks_its_answer("x = 1\nprint(x)")
    assert not checks_its_answer("assert x == 1\nprint(x)")
    assert checks_its_answer("x = 1\nassert x == 1, (\n    x,\n)")
    assert checks_its_answer("np.testing.assert_allclose(x, y, atol=1e-5)")
    assert checks_its_answer("for x in xs:\n    y = f(x)\n    assert y > 0, y")
    assert not checks_its_answer("for x in xs:\n    assert x > 0\n    print(x)")
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
