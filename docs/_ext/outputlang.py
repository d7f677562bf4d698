"""The words of executed outputs, translated from the same catalogues as the prose.

A page's figures (SVG whose text is kept as ``<text>``), its tables (HTML) and its glued
words come from one execution, in English. This extension makes them speak the page's
language without a second execution:

- **Extraction.** In the gettext build (``nox -s translate``), every human-language
  string of a page's outputs becomes a message of the page's catalogue, next to its
  prose, with a comment that says where it appears (``figure 2``, ``table 1``, ``glued
  text``): the text of each figure's ``<text>`` elements, the header, index and word
  cells and the caption of each table, and glued text values. Numbers, maths, code
  identifiers and the language-neutral names of ``NEUTRAL`` are never messages; a
  number inside a string is a placeholder there (``after {0} steps``), so a catalogue
  holds no result of a run, and a changed setting needs no new translation.
- **Substitution.** In a translated HTML build, each such string is replaced by its
  translation: in tables and glued words as the pages are written, and in the figure
  files of ``_images/`` when the build has finished. Nothing executes again.

A string without a translation stays as it is; the tests of the Japanese edition fail
on it (``tests/test_translations.py``).
"""

from __future__ import annotations

import html
import json
import re
from ast import literal_eval
from contextlib import suppress
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from docutils import nodes
from jupyter_cache import get_cache
from myst_nb.core.read import create_nb_reader
from myst_nb.sphinx_ext import OUTPUT_FOLDER
from pagedeps import page_source
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Words that read the same in every edition: frameworks, libraries, layers, models,
#: units, abbreviations and Keras' padding values. Code identifiers (``name=value``,
#: ``nn.LSTM``, ``predict()``, quoted strings) and one- or two-letter symbols are too.
NEUTRAL = {
    "Keras", "PyTorch", "TensorFlow", "JAX", "NumPy", "cuDNN", "CUDA", "ATen", "XLA",
    "CPU", "GPU", "RNN", "SimpleRNN", "GRU", "LSTM", "ConvLSTM", "CIFG", "Adam", "SGD",
    "MSE", "GFLOP", "idf", "Dense", "Embedding", "Bidirectional", "Masking", "Aozora",
    "tensorflow", "torch", "jax", "Python", "True", "False", "None", "valid", "same", "tanh",
    # Names that stay as they are in every edition: an author, and the labels of a variant
    # (Greff et al.'s vanilla LSTM) and of an initialisation (chrono) in the ablation study.
    "Greff", "vanilla", "chrono",
}  # fmt: skip
#: English words of one or two letters; other words that short are symbols or units.
SHORT_WORDS = {"a", "i", "an", "as", "at", "by", "if", "in", "is", "it", "no", "of", "on", "or",
               "to", "up"}  # fmt: skip
#: A word: letters, with the characters code identifiers are made of.
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.+]*(?:\([^()]*\))?")
#: A ``<text>`` element that holds plain text (maths is written as positioned glyphs).
SVG_TEXT = re.compile(r"<text\b[^>]*>(?P<text>[^<]+)</text>")
#: A number inside a string (``1000``, ``2,697``, ``0.5``, ``-1``, ``1e-3``).
NUMBER = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w|\.\d)")
#: Where a message holds the n-th number of its string.
PLACEHOLDER = re.compile(r"\{(\d+)\}")
#: A table cell or caption with no markup inside.
TABLE_CELL = re.compile(r"<(?P<tag>t[hd]|caption)\b[^>]*>(?P<text>[^<]*)</(?P=tag)>")


def is_neutral(word: str) -> bool:
    """Whether a word reads the same in every language (a name, a unit, code, a symbol)."""
    bare = word.rstrip(".")
    return (
        (len(bare) <= 2 and bare.lower() not in SHORT_WORDS)
        or bare in NEUTRAL
        or any(c in bare for c in "._()=[]+")
        or bool(re.search(r"[a-z][A-Z]|[A-Z]{2}|\d", bare))
    )


def message_id(text: str) -> tuple[str, list[str]]:
    """A string as a message, with ``{0}``, ``{1}``, ... for its numbers, and the numbers.

    >>> message_id("Keras, batch 16, 40 epochs")
    ('Keras, batch {0}, {1} epochs', ['16', '40'])
    """
    if "{" in text:
        return text, []
    numbers = NUMBER.findall(text)
    counter = iter(range(len(numbers)))
    return NUMBER.sub(lambda _: f"{{{next(counter)}}}", text), numbers


def fill(template: str, numbers: list[str]) -> str:
    """A translated message with the string's numbers put back in its placeholders."""
    return PLACEHOLDER.sub(lambda m: numbers[int(m[1])], template)


def english_words(text: str) -> list[str]:
    """The words of a text that are not language-neutral (quoted strings are code)."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\b\w+=\S*", " ", text)
    return [word for word in WORD.findall(text) if not is_neutral(word)]


def is_message(text: str) -> bool:
    """Whether an output string is human language that a translator should see."""
    return bool(english_words(text))


def svg_strings(svg: str) -> list[str]:
    """The plain text of each ``<text>`` element of an SVG figure."""
    return [html.unescape(m["text"]).strip() for m in SVG_TEXT.finditer(svg)]


def table_strings(fragment: str) -> list[str]:
    """The text of each cell and caption of the tables of an HTML fragment."""
    if "<table" not in fragment:
        return []
    return [html.unescape(m["text"]).strip() for m in TABLE_CELL.finditer(fragment)]


def _translated(match: re.Match, translate) -> str:
    """The matched element with its text group translated, or unchanged."""
    text = html.unescape(match["text"])
    stripped = text.strip()
    target = translate(stripped) if stripped else None
    if not target or target == stripped:
        return match.group(0)
    whole, start, end = match.group(0), *match.span("text")
    translated = html.escape(text.replace(stripped, target), quote=False)
    return whole[: start - match.start()] + translated + whole[end - match.start() :]


def translate_svg(svg: str, translate) -> str:
    return SVG_TEXT.sub(lambda m: _translated(m, translate), svg)


def translate_tables(fragment: str, translate) -> str:
    return TABLE_CELL.sub(lambda m: _translated(m, translate), fragment)


# -- Extraction into the gettext templates ---------------------------------------------

GLUED = "application/papermill.record/"


def notebook_messages(notebook: dict, skip: set[str] = frozenset()) -> dict[str, list[str]]:
    """Every message of an executed notebook's outputs, with where it appears.

    Figures and tables are numbered in the order of the page; glued values are those
    that myst-nb's ``glue`` recorded. Strings in ``skip`` (the device's name) are left out.
    A message with placeholders ends its list with an example: ``e.g. after 1000 steps``.
    """
    found: dict[str, list[str]] = {}
    examples: dict[str, str] = {}
    counts = {"figure": 0, "table": 0}

    def add(text: str, where: str) -> None:
        message = message_id(text)[0]
        if text in skip or not is_message(message):
            return
        if message != text:
            examples.setdefault(message, f"e.g. {text}")
        places = found.setdefault(message, [])
        if where not in places:
            places.append(where)

    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = {
                mime.removeprefix(GLUED): "".join(v) if isinstance(v, list) else v
                for mime, v in output.get("data", {}).items()
            }
            if "image/svg+xml" in data:
                counts["figure"] += 1
                for text in svg_strings(data["image/svg+xml"]):
                    add(text, f"figure {counts['figure']}")
            elif "<table" in data.get("text/html", ""):
                counts["table"] += 1
                for text in table_strings(data["text/html"]):
                    add(text, f"table {counts['table']}")
            elif GLUED + "text/plain" in output.get("data", {}):
                with suppress(ValueError, SyntaxError):
                    value = literal_eval(data["text/plain"])
                    if isinstance(value, str):
                        add(value.strip(), "glued text")
    return {m: places + ([examples[m]] if m in examples else []) for m, places in found.items()}


def executed_notebook(app: Sphinx, docname: str) -> dict | None:
    """A page's notebook with the outputs of its execution in the cache, or None.

    The gettext build renders no figures or tables, so they are read from the same
    jupyter-cache record that the HTML builds show, matched by the page's code.
    """
    path = Path(app.env.doc2path(docname))
    # The text as the build read it, so that it matches the same cache record.
    content, _ = page_source(path.read_text(encoding="utf-8"), path)
    reader = create_nb_reader(str(path), app.env.myst_config, app.env.mystnb_config, content)
    if reader is None:
        return None
    with suppress(KeyError):
        cache = get_cache(app.env.mystnb_config.execution_cache_path)
        return json.loads(json.dumps(cache.merge_match_into_notebook(reader.read(content))[1]))
    return None


def write_templates(app: Sphinx, exception: Exception | None) -> None:
    """Add the messages of each page's outputs to its .pot, next to the prose."""
    if exception or app.builder.name != "gettext":
        return
    from gatedrnn.book import device_name

    added = 0
    for docname in sorted(app.env.found_docs):
        notebook, pot = executed_notebook(app, docname), Path(app.outdir) / f"{docname}.pot"
        if notebook is None or not pot.exists():
            continue
        messages = notebook_messages(notebook, skip={device_name()})
        with pot.open("rb") as handle:
            catalog = read_po(handle)
        for text, where in messages.items():
            if text not in catalog:
                places = [w for w in where if not w.startswith("e.g.")]
                example = [w for w in where if w.startswith("e.g.")]
                catalog.add(text, auto_comments=[f"output: {', '.join(places)}", *example])
                added += 1
        with pot.open("wb") as handle:
            write_po(handle, catalog, width=0)
    logger.info(f"outputlang: {added} strings of figures, tables and glued words extracted")


def html_outputs(doctree: nodes.Node) -> list[nodes.raw]:
    return [raw for raw in doctree.findall(nodes.raw) if "html" in raw.get("format", "")]


def glued_words(doctree: nodes.Node) -> list[nodes.inline]:
    return [
        node for node in doctree.findall(nodes.inline) if "pasted-text" in node.get("classes", [])
    ]


# -- Substitution in a translated build ------------------------------------------------


def load_translations(app: Sphinx) -> None:
    """Read every catalogue of the build's language: one dictionary per page."""
    app.book_translations = {}
    language = app.config.language or "en"
    if language == "en" or app.builder.format != "html":
        return
    for directory in app.config.locale_dirs:
        root = Path(app.srcdir) / directory / language / "LC_MESSAGES"
        for po in sorted(root.rglob("*.po")):
            with po.open("rb") as handle:
                catalog: Catalog = read_po(handle)
            page = po.relative_to(root).with_suffix("").as_posix()
            app.book_translations[page] = {
                m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy
            }


def translator(app: Sphinx, docname: str | None):
    """Translate a string with the page's catalogue, then with any page's."""
    pages = app.book_translations
    ordered = ([pages[docname]] if docname in pages else []) + list(pages.values())

    def translate(text: str) -> str | None:
        message, numbers = message_id(text)
        for catalogue in ordered:
            if message in catalogue:
                return fill(catalogue[message], numbers)
        return None

    return translate


class TranslateOutputs(SphinxPostTransform):
    """Put the translations into the tables and glued words of a translated page."""

    default_priority = 220
    formats = ("html",)

    def run(self, **kwargs) -> None:
        if not getattr(self.app, "book_translations", None):
            return
        translate = translator(self.app, self.env.docname)
        for raw in html_outputs(self.document):
            source = raw.astext()
            if "<table" in source:
                translated = translate_tables(source, translate)
                if translated != source:
                    raw.replace(raw.children[0], nodes.Text(translated))
        for node in glued_words(self.document):
            target = translate(node.astext())
            if target:
                node.replace(node.children[0], nodes.Text(target))


def translate_figures(app: Sphinx, exception: Exception | None) -> None:
    """Translate the text of every SVG figure the translated build wrote."""
    if exception or not getattr(app, "book_translations", None):
        return
    translate = translator(app, None)
    # Translate from the figure the page's execution drew, which myst-nb keeps in its output
    # folder beside the builder's, not from the copy in _images/: that copy may hold an
    # earlier translation, which a changed catalogue no longer matches.
    drawn = Path(app.outdir).parent / OUTPUT_FOLDER
    for path in sorted((Path(app.outdir) / "_images").glob("*.svg")):
        current = path.read_text(encoding="utf-8")
        original = drawn / path.name
        svg = original.read_text(encoding="utf-8") if original.is_file() else current
        translated = translate_svg(svg, translate)
        if translated != current:
            path.write_text(translated, encoding="utf-8")


def setup(app: Sphinx):
    app.connect("builder-inited", load_translations)
    app.connect("build-finished", write_templates)
    app.connect("build-finished", translate_figures)
    app.add_post_transform(TranslateOutputs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
