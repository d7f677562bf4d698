"""The Japanese edition is complete: every page has a catalogue, every entry is translated."""

import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

DOCS = Path(__file__).resolve().parent.parent / "docs"
LOCALE = DOCS / "locale" / "ja" / "LC_MESSAGES"
SOURCE_SUFFIXES = {".md", ".py"}
NOT_PAGES = {"conf.py"}


def english_pages() -> list[str]:
    """Docnames of every page of the English source."""
    pages = []
    for path in sorted(DOCS.rglob("*")):
        relative = path.relative_to(DOCS)
        if path.suffix not in SOURCE_SUFFIXES or relative.parts[0].startswith("_"):
            continue
        if (
            relative.parts[0] == "locale"
            or path.name in NOT_PAGES
            or "__pycache__" in relative.parts
        ):
            continue
        pages.append(relative.with_suffix("").as_posix())
    return pages


def catalogues() -> list[Path]:
    return sorted(LOCALE.rglob("*.po"))


def test_every_english_page_has_a_japanese_catalogue():
    have = {po.relative_to(LOCALE).with_suffix("").as_posix() for po in catalogues()}
    missing = [page for page in english_pages() if page not in have]
    assert not missing, f"pages without a .po file (run `nox -s translate`): {missing}"


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po_path):
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert len(catalog) > 0
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, first: {fuzzy[:3]}"


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_translations_keep_every_role_of_the_english(po_path):
    """A translation that drops a glued number or a cross-reference would silently lose it.

    A `{ref}` may have a link text in the translation's language; its target stays. The
    words of a figure or table keep each placeholder of a number (``after {0} steps``).
    """
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        assert roles(message.string) == roles(message.id), message.id
        placeholders = sorted(PLACEHOLDER.findall(message.string))
        assert placeholders == sorted(PLACEHOLDER.findall(message.id)), message.id


PLACEHOLDER = re.compile(r"\{\d+\}")
ROLE = re.compile(r"\{glue:text\}`[^`]+`|\{(?:eq|ref|doc|(?:foot)?cite(?::[a-z]+)?)\}`[^`]+`")
REF_TARGET = re.compile(r"\{ref\}`(?:[^`<]*<([^`>]+)>|([^`]+))`")


def roles(text: str) -> list[str]:
    """The roles of a message, each `{ref}` reduced to its target."""
    found = []
    for role in ROLE.findall(text):
        ref = REF_TARGET.fullmatch(role)
        found.append(f"ref:{(ref.group(1) or ref.group(2)).strip()}" if ref else role)
    return sorted(found)


def test_a_translated_link_text_keeps_the_target_of_a_ref():
    assert roles("{ref}`言語の切り替え <book-editions>`") == roles("{ref}`book-editions`")
    assert roles("{ref}`language switcher <book-editions>`") == ["ref:book-editions"]
    assert roles("{ref}`言語 <other-label>`") != roles("{ref}`book-editions`")
    assert roles("{doc}`gates`") != roles("{doc}`rnn`")


# -- The words of figures and tables (docs/_ext/outputlang.py) ---------------------------

sys.path.insert(0, str(DOCS / "_ext"))
from outputlang import NEUTRAL, english_words, svg_strings, table_strings  # noqa: E402

#: An output table: myst-nb wraps a cell's (or a glued) HTML output in this element.
OUTPUT_HTML = re.compile(r'<div class="output text_html">(.*?)</div>\s*(?=<|$)', re.S)
#: A glyph of maths in an SVG figure: upright letters there are words, italic ones symbols.
UPRIGHT_GLYPH = re.compile(r'<tspan [^>]*style="(?:(?!italic|oblique)[^"])*">([^<])</tspan>')


def figure_words(svg: str) -> list[str]:
    """The English words of a figure: its plain text, and upright letters run together."""
    words = [w for text in svg_strings(svg) for w in english_words(text)]
    for text in re.findall(r"<text>(.*?)</text>", svg, re.S):
        words += english_words("".join(UPRIGHT_GLYPH.findall(text)))
    return words


def english_left_on_page(site: Path, page: str) -> dict[str, list[str]]:
    """The English words left in the figures and output tables of a Japanese page."""
    html_path = site / "ja" / f"{page}.html"
    html = html_path.read_text(encoding="utf-8")
    left: dict[str, list[str]] = {}
    for src in re.findall(r'<img[^>]+src="([^"]+\.svg)"', html):
        svg = (html_path.parent / src).read_text(encoding="utf-8")
        if words := figure_words(svg):
            left[src] = words
    for number, fragment in enumerate(OUTPUT_HTML.findall(html), start=1):
        if words := [w for text in table_strings(fragment) for w in english_words(text)]:
            left[f"table {number}"] = words
    return left


def test_the_words_of_japanese_figures_and_tables_are_japanese(site):
    left = {page: found for page in english_pages() if (found := english_left_on_page(site, page))}
    assert not left, f"English words left on Japanese figures and tables: {left}"


def test_language_neutral_words_are_a_short_explicit_list():
    assert len(NEUTRAL) < 60
    assert english_words("test MSE (Keras loop)") == ["test", "loop"]
    assert english_words("LSTM(recurrent_dropout=0.2), nn.GRU, 'concat', T = 50") == []


def test_an_english_figure_label_is_found(site):
    # The English edition keeps its words, and the check sees them: it can fail.
    page = "examples/adding_problem"
    html_path = site / "en" / f"{page}.html"
    srcs = re.findall(r'<img[^>]+src="([^"]+\.svg)"', html_path.read_text(encoding="utf-8"))
    words = [w for s in srcs for w in figure_words((html_path.parent / s).read_text("utf-8"))]
    assert "sequence" in words and "length" in words
