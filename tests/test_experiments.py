"""The experiment pages, checked in the notebooks that the build executed."""

import json
import re
from ast import literal_eval
from pathlib import Path

import pytest

EXPERIMENTS = ["damped_oscillation", "adding_problem", "reuters_topics"]
KINDS = ["simplernn", "gru", "lstm"]


def glued(site: Path, page: str) -> dict:
    """The values an example page glued, read back from its executed notebook."""
    return glued_notebook(site / "en" / "_sources" / "examples" / f"{page}.ipynb")


def glued_notebook(notebook: Path) -> dict:
    """The values glued in an executed notebook, as Python values where they parse."""
    values = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook:
                text = output["data"].get(scrapbook["mime_prefix"] + "text/plain", "")
                text = "".join(text) if isinstance(text, list) else text
                try:
                    values[scrapbook["name"]] = literal_eval(text)
                except (SyntaxError, ValueError):
                    values[scrapbook["name"]] = text
    return values


def page_text(site: Path, page: str) -> str:
    html = (site / "en" / "examples" / f"{page}.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("page", EXPERIMENTS)
def test_keras_and_pytorch_parameter_counts_match_or_are_explained(site, page):
    values = glued(site, page)
    counts = {
        (framework, kind): values[f"params_{framework}_{kind}"]
        for framework in ["keras", "torch"]
        for kind in KINDS
    }
    # Keras's GRU (reset_after=True) and nn.GRU both keep an input and a recurrent bias.
    assert counts["keras", "gru"] == counts["torch", "gru"]
    # nn.RNN and nn.LSTM keep a second bias vector per gate that Keras's layers do not have:
    # one gate for the plain RNN and four for the LSTM, of the same number of units.
    extra_rnn = counts["torch", "simplernn"] - counts["keras", "simplernn"]
    extra_lstm = counts["torch", "lstm"] - counts["keras", "lstm"]
    assert extra_rnn > 0 and extra_lstm == 4 * extra_rnn
    # The page explains the difference in its text, with either both counts or the difference.
    text = page_text(site, page)
    assert "bias" in text
    for kind, extra in [("simplernn", extra_rnn), ("lstm", extra_lstm)]:
        both = all(f"{counts[framework, kind]:,}" in text for framework in ["keras", "torch"])
        assert both or re.search(rf"\b{extra:,}\b", text), kind


def test_damped_oscillation_shows_the_tutorials_totals(site):
    # The totals printed by the source tutorials' Keras summaries.
    tutorials = {"simplernn": 1721, "gru": 5201, "lstm": 6761}
    values = glued(site, "damped_oscillation")
    text = page_text(site, "damped_oscillation")
    for kind, total in tutorials.items():
        assert values[f"tutorial_params_{kind}"] == total
        assert f"Total params: {total:,}" in text


def test_next_frame_models_are_causal_equal_in_size_and_beat_the_copy_at_step_one(site):
    values = glued(site, "convlstm_next_frame")
    # The keras-io head sees the next frame; the book's heads in both frameworks do not.
    assert values["influence_leaky"] > 1e-4
    assert values["influence_causal"] < 1e-6 and values["influence_torch"] < 1e-6
    # One ConvLSTM2D(8, 3x3) on one channel, 4(9(1 + 8)8 + 8), and a 3x3 head to one channel.
    assert values["keras_parameters"] == values["torch_parameters"] == 4 * (9 * 9 * 8 + 8) + 73
    for framework in ["keras", "torch"]:
        assert values[f"{framework}_one_step"] < values["baseline_one_step"]
        assert values[f"{framework}_step1"] < values["baseline_step1"]


def test_character_models_beat_the_unigram_baseline_and_count_as_explained(site):
    values = glued(site, "char_language_model")
    for key in ["keras_lstm", "keras_gru", "pytorch_lstm", "pytorch_gru"]:
        assert values[f"perplexity_{key}"] < values["baseline_perplexity"], key
    # nn.LSTM keeps a second bias of 4 x units; Keras' GRU and nn.GRU both keep two.
    assert values["params_pytorch_gru"] == values["params_keras_gru"]
    extra = values["params_pytorch_lstm"] - values["params_keras_lstm"]
    assert extra == values["lstm_extra_params"] == 4 * values["units"]
