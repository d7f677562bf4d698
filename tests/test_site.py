"""The built site: both editions, language switchers, provenance, offline maths, search."""

import json
import re
from pathlib import Path

import pytest
from conftest import EDITIONS, ROOT
from test_translations import english_pages, english_words

PAGES = english_pages()
EXECUTED = [page for page in PAGES if page != "index"]


def read(site: Path, lang: str, page: str) -> str:
    return (site / lang / f"{page}.html").read_text(encoding="utf-8")


def test_root_index_leads_to_both_editions(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="en/index.html"' in text and 'href="ja/index.html"' in text


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("page", PAGES)
def test_page_exists_and_switcher_points_to_same_page(site, lang, page):
    html = read(site, lang, page)
    other = "ja" if lang == "en" else "en"
    switch = re.search(r'<a class="btn btn-sm book-lang-switch" href="([^"]+)"', html)
    assert switch, f"{lang}/{page}: no language switcher"
    target = (site / lang / page).parent / switch.group(1)
    assert target.resolve() == (site / other / f"{page}.html").resolve()
    assert target.exists()


@pytest.mark.parametrize("page", PAGES)
def test_japanese_pages_are_marked_japanese_and_use_japanese_labels(site, page):
    html = read(site, "ja", page)
    assert re.search(r'<html[^>]*\blang="ja"', html)
    assert "検索" in html  # the theme's search label, translated
    assert re.search(r'<html[^>]*\blang="en"', read(site, "en", page))


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("page", EXECUTED)
def test_executed_pages_say_where_they_ran(site, lang, page):
    html = read(site, lang, page)
    footer = re.search(r'<aside class="book-provenance".*?</aside>', html, re.S)
    assert footer, f"{lang}/{page}: no provenance footer"
    text = footer.group(0)
    for needle in ["TensorFlow ", "Keras ", "PyTorch ", "UTC"]:
        assert needle in text, f"{lang}/{page}: provenance lacks {needle!r}"
    assert re.search(r"(CPU|GPU): \S", text)
    if lang == "ja":
        # The Japanese build reuses the English execution from the shared cache.
        assert "以前の実行結果を再利用しました" in text


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("page", EXECUTED)
def test_executed_notebook_and_source_can_be_downloaded(site, lang, page):
    html = read(site, lang, page)
    notebook = site / lang / "_sources" / f"{page}.ipynb"
    assert notebook.exists()
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert any(c.get("outputs") for c in cells if c["cell_type"] == "code"), "no outputs"
    assert f"_sources/{page}.ipynb" in html
    assert re.search(rf'_sources/{re.escape(page)}\.(md|py)"', html)


@pytest.mark.parametrize("lang", EDITIONS)
def test_maths_is_served_from_the_site(site, lang):
    html = read(site, lang, "gates")
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert any("mathjax/tex-chtml.js" in s for s in scripts)
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))], scripts
    assert (site / lang / "_static" / "mathjax" / "tex-chtml.js").exists()


@pytest.mark.parametrize("lang", EDITIONS)
def test_no_page_shows_an_unrendered_glue_or_an_error(site, lang):
    for page in PAGES:
        html = read(site, lang, page)
        assert "{glue:" not in html, f"{lang}/{page}: a glue role was not rendered"
        assert "Traceback (most recent call last)" not in html, f"{lang}/{page}"
        assert "TODO" not in html, f"{lang}/{page}"
        assert "absl::" not in html, f"{lang}/{page}: C++ library logs leaked into the page"


def search_index(site: Path, lang: str) -> dict:
    text = (site / lang / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def pages_matching(index: dict, words: list[str]) -> set[str]:
    """The pages that contain every word, as Sphinx's search does it."""
    found = None
    for word in words:
        docs = set()
        for table in ("terms", "titleterms"):
            hits = index[table].get(word.lower(), [])
            docs |= {hits} if isinstance(hits, int) else set(hits)
        found = docs if found is None else found & docs
    return {index["docnames"][i] for i in (found or set())}


def test_english_search_finds_the_gates_chapter(site):
    assert "gates" in pages_matching(search_index(site, "en"), ["sigmoid"])


def test_japanese_search_finds_the_gates_chapter(site):
    from sphinx.search.ja import DefaultSplitter

    index = search_index(site, "ja")
    # A word that appears in the Japanese text of the chapter and not in the English one.
    words = [w for w in DefaultSplitter({}).split("シグモイド") if w.strip()]
    assert words
    assert "gates" in pages_matching(index, words)


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_image_has_an_alt_text_in_the_page_language_not_a_file_name(site, lang):
    images = 0
    for page in PAGES:
        for tag in re.findall(r"<img\b[^>]*>", read(site, lang, page)):
            images += 1
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and alt.group(1).strip(), f"{lang}/{page}: no alt text in {tag}"
            text = alt.group(1)
            assert not re.search(r"\.(svg|png|jpe?g|gif)$|_images/", text), f"{lang}/{page}: {text}"
            if lang == "ja":
                assert JAPANESE.search(text), f"ja/{page}: alt text not in Japanese: {text}"
    assert images > 10


def test_hidden_cells_are_labelled_in_japanese_on_japanese_pages(site):
    page = "examples/convlstm_next_frame"  # its plotting code is hidden under a button
    prompt = re.compile(r'<p class="(?:collapsed|expanded) admonition-title">([^<]*)</p>')
    prompts = prompt.findall(read(site, "ja", page))
    assert prompts and all(JAPANESE.search(p) and "code cell" not in p for p in prompts), prompts
    assert "Show code cell source" in prompt.findall(read(site, "en", page))


#: Words the theme writes into its templates without a translation call, so no catalogue
#: can reach them (sphinx-book-theme's sidebar buttons and landmark names).
THEME_HARDCODED = {"Main", "Page", "Toggle primary sidebar", "Toggle secondary sidebar"}
SPOKEN_ATTRIBUTE = re.compile(r'\b(?:title|aria-label|placeholder)="([^"]*)"')


@pytest.mark.parametrize("page", PAGES)
def test_the_words_sphinx_and_the_theme_speak_are_japanese_on_japanese_pages(site, page):
    """Tooltips and screen-reader labels: "Link to this heading", "Toggle hidden content",
    the search prompt. Names (GRU, English as the name of that edition) are not words."""
    html = read(site, "ja", page)
    english = {
        text
        for text in SPOKEN_ATTRIBUTE.findall(html)
        if text != "English" and english_words(text) and not JAPANESE.search(text)
    }
    assert not english - THEME_HARDCODED, sorted(english - THEME_HARDCODED)
    assert 'title="この見出しへのリンク"' in html


def test_every_catalogue_folder_is_an_edition_of_the_book():
    # An edition is added in docs/_ext/languages.py; its catalogues live in docs/locale/.
    folders = {d.name for d in (ROOT / "docs" / "locale").iterdir() if d.is_dir()}
    assert folders == set(EDITIONS[1:])
