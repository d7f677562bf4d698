"""Words that Sphinx and myst-nb write on a page, in the page's language.

- Every image gets an alt text: its figure's caption (captions are translated with the
  prose), or, for a figure a cell displays without a caption, a short description.
  Without it, the HTML writer puts the image's file name there, and a screen reader
  reads out a hash.
- myst-nb's buttons over hidden cells ("Show code cell source") read in Japanese on the
  Japanese pages.
"""

from __future__ import annotations

import re

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

#: The description of a figure without a caption, in each language.
UNCAPTIONED = {"en": "Figure drawn by the code above", "ja": "上のコードが描いた図"}
#: myst-nb's prompts over hidden cells, in Japanese (English is myst-nb's own).
PROMPTS = {"ja": {"Show": "コードセルの{}を表示", "Hide": "コードセルの{}を隠す"}}
PARTS = {"ja": {"source": "ソース", "output": "出力", "outputs": "出力", "content": "内容"}}
PROMPT = re.compile(r"(Show|Hide) code cell (source|outputs?|content)")


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


def setup(app: Sphinx):
    app.add_post_transform(PageLanguageLabels)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
