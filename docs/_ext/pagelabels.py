"""Words that Sphinx and myst-nb write on a page, in the page's language.

- Every image gets an alt text: its figure's caption (captions are translated with the
  prose), or, for a figure a cell displays without a caption, a short description.
  Without it, the HTML writer puts the image's file name there, and a screen reader
  reads out a hash.
- myst-nb's buttons over hidden cells ("Show code cell source", and the "Toggle hidden
  content" that a screen reader announces) read in Japanese on the Japanese pages; so
  does the button that sphinx-togglebutton adds to a folded solution, whose spoken label
  its script writes in English.
- The search box says "Search..." in the page's language (Sphinx's own catalogue).
  The theme's words that go through Sphinx's translator ("Link to this heading",
  "Color mode") are translated in ``locale/ja/LC_MESSAGES/sphinx.po``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform

#: The description of a figure without a caption, in each language.
UNCAPTIONED = {"en": "Figure drawn by the code above", "ja": "上のコードが描いた図"}
#: myst-nb's prompts over hidden cells, in Japanese (English is myst-nb's own).
PROMPTS = {"ja": {"Show": "コードセルの{}を表示", "Hide": "コードセルの{}を隠す"}}
PARTS = {"ja": {"source": "ソース", "output": "出力", "outputs": "出力", "content": "内容"}}
PROMPT = re.compile(r"(Show|Hide) code cell (source|outputs?|content)")
#: What a screen reader announces for the show/hide button; myst-nb writes it in English.
TOGGLE = {"en": "Toggle hidden content", "ja": "隠れた内容の表示を切り替える"}


#: LaTeX commands of captions, as a screen reader should read them.
SYMBOLS = {"odot": "⊙", "partial": "∂", "sigma": "σ", "cdot": "·", "dots": "…", "times": "×"}


def readable(caption: str) -> str:
    """A caption as plain text: its maths without LaTeX commands, on one line."""
    text = re.sub(r"\\([A-Za-z]+)", lambda m: SYMBOLS.get(m.group(1), m.group(1)), caption)
    return " ".join(text.replace("{", "").replace("}", "").split())


class PageLanguageLabels(SphinxPostTransform):
    """Set alt texts and translate the prompts of hidden cells; runs after myst-nb's."""

    default_priority = 210
    formats = ("html",)

    def run(self, **kwargs) -> None:
        language = self.config.language or "en"
        for image in self.document.findall(nodes.image):
            if image.get("alt"):
                continue
            figure = image.parent
            while figure is not None and not isinstance(figure, nodes.figure):
                figure = figure.parent
            caption = figure.next_node(nodes.caption) if figure is not None else None
            image["alt"] = (
                readable(caption.astext())
                if caption is not None
                else UNCAPTIONED.get(language, UNCAPTIONED["en"])
            )
        if language not in PROMPTS:
            return
        for node in self.document.findall(HideCodeCellNode):
            for key in ("prompt_show", "prompt_hide"):
                match = PROMPT.fullmatch(node[key])
                if match:
                    verb, part = match.groups()
                    node[key] = PROMPTS[language][verb].format(PARTS[language][part])


def visit_hidden_cell(self, node: HideCodeCellNode) -> None:
    """myst-nb's own markup, with the button's spoken label in the page's language."""
    visit_HideCellInput(self, node)
    language = self.builder.config.language or "en"
    english = f'<summary aria-label="{TOGGLE["en"]}">\n'
    summary = self.body.index(english, len(self.body) - 4)
    self.body[summary] = english.replace(TOGGLE["en"], TOGGLE.get(language, TOGGLE["en"]))


#: Runs after sphinx-togglebutton's script has added its buttons (on DOMContentLoaded).
TOGGLE_BUTTON_LABEL = """window.addEventListener("load", () => {{
  document.querySelectorAll("button.toggle-button").forEach(
    (button) => button.setAttribute("aria-label", {label}));
}});"""


def toggle_button_label(app: Sphinx) -> None:
    """The spoken label of sphinx-togglebutton's buttons, in the page's language."""
    language = app.config.language or "en"
    if language != "en" and language in TOGGLE:
        label = json.dumps(TOGGLE[language], ensure_ascii=False)
        app.add_js_file(None, body=TOGGLE_BUTTON_LABEL.format(label=label))


def search_box_text(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The theme's search prompt in the page's language (runs after the theme's)."""
    context["theme_search_bar_text"] = _("Search") + "..."


def watch_chrome_catalogue(app: Sphinx, config) -> None:
    """Rewrite every page when ``sphinx.po`` changes: its words sit in every page's HTML.

    Sphinx re-reads a page when the page's own catalogue changes, not this one; a change of
    ``html_context`` makes the HTML builder write every page again.
    """
    language = config.language or "en"
    digests = [
        hashlib.sha256(po.read_bytes()).hexdigest()[:16]
        for directory in config.locale_dirs
        for po in [Path(app.srcdir) / directory / language / "LC_MESSAGES" / "sphinx.po"]
        if po.exists()
    ]
    config.html_context = {**config.html_context, "book_chrome_catalogue": ",".join(digests)}


def setup(app: Sphinx):
    app.connect("config-inited", watch_chrome_catalogue)
    app.connect("builder-inited", toggle_button_label)
    app.add_post_transform(PageLanguageLabels)
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    app.connect("html-page-context", search_box_text, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
