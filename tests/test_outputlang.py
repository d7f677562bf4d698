"""The words of figures, tables and glued values: found in outputs, and translated."""

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import pandas as pd

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "_ext"))
from outputlang import (  # noqa: E402
    fill,
    is_message,
    message_id,
    notebook_messages,
    svg_strings,
    table_strings,
    translate_figures,
    translate_svg,
    translate_tables,
    translator,
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


def test_numbers_in_a_string_are_placeholders_of_its_message():
    assert message_id("after 1000 steps") == ("after {0} steps", ["1000"])
    assert message_id("Keras, SGD, batch 10, 1000 epochs") == (
        "Keras, SGD, batch {0}, {1} epochs",
        ["10", "1000"],
    )
    assert message_id("earn (813), 2,697 parameters, lr 1e-3, w = -0.5.") == (
        "earn ({0}), {1} parameters, lr {2}, w = {3}.",
        ["813", "2,697", "1e-3", "-0.5"],
    )
    # Digits inside a name or a symbol are part of it, not numbers.
    assert message_id("x_1 and conv2d on float32") == ("x_1 and conv2d on float32", [])
    # A translation may put the numbers in another order.
    assert fill("{1} エポック、バッチサイズ {0}", ["16", "40"]) == "40 エポック、バッチサイズ 16"


def test_one_message_translates_every_string_that_differs_only_in_its_numbers():
    fig, ax = plt.subplots(1, 2, figsize=(4, 2))
    for axes, steps in zip(ax, (500, 1000), strict=True):
        axes.set_title(f"after {steps} steps")
    svg_path = Path(plt.matplotlib.get_cachedir()) / "book-test-numbers.svg"
    with matplotlib.rc_context(FIGURE_RC):
        fig.savefig(svg_path, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = svg_path.read_text(encoding="utf-8")
    notebook = {"cells": [{"outputs": [{"data": {"image/svg+xml": svg}}]}]}
    assert notebook_messages(notebook) == {"after {0} steps": ["figure 1", "e.g. after 500 steps"]}
    app = SimpleNamespace(book_translations={"rnn": {"after {0} steps": "{0} ステップの学習後"}})
    translate = translator(app, "rnn")
    strings = svg_strings(translate_svg(svg, translate))
    assert "500 ステップの学習後" in strings and "1000 ステップの学習後" in strings


def test_a_changed_translation_reaches_a_figure_that_an_earlier_build_translated(tmp_path):
    # The Japanese build translates the figures it copied into _images/. After a catalogue
    # changes, it must translate the figure the execution drew, not its own earlier copy,
    # which the new catalogue no longer matches.
    svg = figure_svg()
    drawn, images = tmp_path / "jupyter_execute", tmp_path / "html" / "_images"
    drawn.mkdir()
    images.mkdir(parents=True)
    (drawn / "figure.svg").write_text(svg, encoding="utf-8")
    (images / "figure.svg").write_text(translate_svg(svg, JAPANESE.get), encoding="utf-8")
    changed = {**JAPANESE, "test MSE": "テストの MSE"}
    app = SimpleNamespace(
        outdir=str(tmp_path / "html"), book_translations={"rnn": changed}, builder=None
    )
    translate_figures(app, None)
    strings = svg_strings((images / "figure.svg").read_text(encoding="utf-8"))
    assert "テストの MSE" in strings and "テスト MSE" not in strings
    assert "系列長 T" in strings
