"""The words of figures, tables and glued values: found in outputs, and translated."""

import json
import sys
from pathlib import Path

import matplotlib
import pandas as pd

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "_ext"))
from outputlang import (  # noqa: E402
    is_message,
    notebook_messages,
    svg_strings,
    table_strings,
    translate_svg,
    translate_tables,
)

from gatedrnn.book import FIGURE_RC  # noqa: E402

JAPANESE = {"test MSE": "テスト MSE", "sequence length T": "系列長 T", "model": "モデル"}


def figure_svg() -> str:
    """A figure drawn with the book's style, as the build writes it."""
    with matplotlib.rc_context(FIGURE_RC):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([50, 100], [0.1, 0.01], label="LSTM")
        ax.set_xlabel("sequence length T")
        ax.set_ylabel("test MSE")
        ax.set_title("$x_t$")
        ax.legend()
        svg_path = Path(plt.matplotlib.get_cachedir()) / "book-test-figure.svg"
        fig.savefig(svg_path, format="svg", metadata={"Date": None})
        plt.close(fig)
    return svg_path.read_text(encoding="utf-8")


def test_figure_words_are_text_and_numbers_and_maths_are_not_messages():
    strings = svg_strings(figure_svg())
    assert "sequence length T" in strings and "test MSE" in strings and "LSTM" in strings
    messages = [s for s in strings if is_message(s)]
    assert sorted(messages) == ["sequence length T", "test MSE"]


def test_a_figure_is_translated_word_for_word_and_keeps_its_layout():
    svg = figure_svg()
    translated = translate_svg(svg, JAPANESE.get)
    assert "系列長 T" in svg_strings(translated) and "テスト MSE" in svg_strings(translated)
    assert "sequence length" not in translated
    assert translated.count("<text") == svg.count("<text")
    assert translate_svg(svg, {}.get) == svg


def test_table_headers_index_and_word_cells_are_messages_and_translated():
    frame = pd.DataFrame(
        {"test MSE": [0.01, 0.02], "parameters": [3_360, 4_480]},
        index=pd.Index(["GRU", "always 1.0"], name="model"),
    )
    html = frame._repr_html_()
    messages = [s for s in table_strings(html) if is_message(s)]
    assert sorted(messages) == ["always 1.0", "model", "parameters", "test MSE"]
    translated = translate_tables(html, JAPANESE.get)
    assert "<th>モデル</th>" in translated and "<th>テスト MSE</th>" in translated
    assert "<th>parameters</th>" in translated  # no translation: left as it is
    assert "0.01" in translated and "<th>GRU</th>" in translated


def test_messages_of_a_notebook_name_where_they_appear():
    svg = figure_svg()
    table = pd.DataFrame({"test MSE": [0.5]}, index=pd.Index(["x"], name="model"))
    glued = "application/papermill.record/"
    outputs = [
        {"data": {"image/svg+xml": svg}},
        {"data": {"text/html": table._repr_html_(), "text/plain": "..."}},
        {"data": {glued + "text/plain": "'Keras loop'"}},
        {"data": {glued + "text/plain": "'Intel(R) Xeon(R) Processor'"}},
        {"data": {glued + "text/plain": "0.25"}},
    ]
    notebook = {"cells": [{"cell_type": "code", "outputs": outputs}]}
    found = notebook_messages(json.loads(json.dumps(notebook)), skip={"Intel(R) Xeon(R) Processor"})
    assert found == {
        "sequence length T": ["figure 1"],
        "test MSE": ["figure 1", "table 1"],
        "model": ["table 1"],
        "Keras loop": ["glued text"],
    }
