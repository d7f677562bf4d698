"""The determinism script compares each table cell under its real column, tells declared
timings from results, and refuses a timing that is not declared."""

import json
from pathlib import Path

import pandas as pd
import pytest
from compare_builds import (
    TIME_HEADER,
    check,
    declares_timing,
    looks_like_time_key,
    main,
    tables_of,
    undeclared_timings,
)


def summary(mse: float = 0.25, seconds: float = 7.0) -> pd.DataFrame:
    """A table shaped like the adding problem's: two header rows, a named two-level index."""
    columns = pd.MultiIndex.from_tuples(
        [
            ("parameters", ""),
            ("test MSE", "T = 50"),
            ("test MSE", "T = 100"),
            ("fit time (s)", ""),
        ]
    )
    index = pd.MultiIndex.from_tuples(
        [("Keras", "GRU"), ("Keras", "LSTM"), ("PyTorch", "LSTM")], names=["framework", "model"]
    )
    rows = [[3360, 0.01, 0.02, 8.0], [4480, 0.03, mse, seconds], [4640, 0.05, 0.06, 9.0]]
    return pd.DataFrame(rows, index=index, columns=columns)


def write_build(root: Path, table: pd.DataFrame, glued: dict) -> Path:
    """A build folder as myst-nb writes it: an executed notebook and its glue file."""
    executed = root / "jupyter_execute" / "examples"
    executed.mkdir(parents=True)
    html = table._repr_html_()
    notebook = {"cells": [{"cell_type": "code", "outputs": [{"data": {"text/html": html}}]}]}
    (executed / "page.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    glue = {key: {"data": {"text/plain": repr(value)}} for key, value in glued.items()}
    (executed / "page.glue.json").write_text(json.dumps(glue), encoding="utf-8")
    return root


GLUED = {"mse_keras_lstm": 0.25, "timing_keras_seconds": 7.0}


def test_a_two_row_header_puts_every_cell_under_its_real_column():
    (table,) = tables_of(summary()._repr_html_())
    assert table["columns"] == [
        ["parameters"],
        ["test MSE", "T = 50"],
        ["test MSE", "T = 100"],
        ["fit time (s)"],
    ]
    # The index names ("framework", "model") are neither a column nor a row; the
    # spanned "Keras" labels both of its rows.
    assert [label for label, _ in table["rows"]] == [
        ["Keras", "GRU"],
        ["Keras", "LSTM"],
        ["PyTorch", "LSTM"],
    ]
    assert table["rows"][1][1] == ["4480", "0.03", "0.25", "7.0"]


def test_a_named_column_index_is_not_a_column():
    frame = pd.DataFrame({"loss": [0.5], "fit time (s)": [3.0]}, index=pd.Index(["GRU"]))
    frame.columns.name, frame.index.name = "measure", "model"
    (table,) = tables_of(frame._repr_html_())
    assert table == {"columns": [["loss"], ["fit time (s)"]], "rows": [[["GRU"], ["0.5", "3.0"]]]}


def test_identical_builds_have_no_difference(tmp_path, capsys):
    a = write_build(tmp_path / "a", summary(), GLUED)
    b = write_build(tmp_path / "b", summary(), GLUED)
    assert main(a, b) == 0
    assert "0 unexpected differences" in capsys.readouterr().out


def test_a_differing_timing_column_under_a_two_row_header_is_expected(tmp_path, capsys):
    a = write_build(tmp_path / "a", summary(seconds=7.0), GLUED)
    b = write_build(tmp_path / "b", summary(seconds=7.4), {**GLUED, "timing_keras_seconds": 7.4})
    assert main(a, b) == 0
    out = capsys.readouterr().out
    assert "2 expected differences" in out and "0 unexpected differences" in out
    assert "row 'Keras / LSTM', column 'fit time (s)': 7.0 != 7.4" in out


def test_a_differing_result_column_under_a_two_row_header_is_unexpected(tmp_path, capsys):
    a = write_build(tmp_path / "a", summary(mse=0.25), GLUED)
    b = write_build(tmp_path / "b", summary(mse=0.26), {**GLUED, "mse_keras_lstm": 0.26})
    assert main(a, b) == 1
    out = capsys.readouterr().out
    assert "2 unexpected differences" in out
    assert "row 'Keras / LSTM', column 'test MSE / T = 100': 0.25 != 0.26" in out
    assert "glue mse_keras_lstm" in out


def test_a_glued_timing_without_the_declaration_is_refused(tmp_path, capsys):
    glued = {**GLUED, "seconds_keras_gru": 7.0}
    a = write_build(tmp_path / "a", summary(), glued)
    b = write_build(tmp_path / "b", summary(), glued)
    assert main(a, b) == 1
    out = capsys.readouterr().out
    assert "0 unexpected differences" in out and "1 undeclared timings (refused)" in out
    assert "examples/page glue seconds_keras_gru: looks like a timing" in out
    assert check(a) == 1


def test_a_timing_column_without_its_unit_is_refused(tmp_path):
    table = summary().rename(columns={"fit time (s)": "fit time"})
    a = write_build(tmp_path / "a", table, GLUED)
    assert check(a) == 1
    from compare_builds import results

    (refused,) = undeclared_timings(results(a))
    assert "column 'fit time' looks like a timing" in refused and "(s)" in refused


@pytest.mark.parametrize(
    "key",
    [
        "seconds_keras_gru",
        "total_train_seconds",
        "keras_seconds",
        "epoch_s_lstm",
        "predict_ms_per_value",
        "stepped_speedup",
        "slowdown_recurrent_dropout",
        "speed_best_layer",
    ],
)
def test_keys_that_name_a_time_or_a_speed_look_like_timings(key):
    assert looks_like_time_key(key)


@pytest.mark.parametrize(
    "key", ["mse_keras_lstm_T100", "steps_per_epoch", "timed_steps", "fig_gate_over_steps"]
)
def test_keys_of_results_do_not_look_like_timings(key):
    assert not looks_like_time_key(key)


def test_a_header_declares_timings_by_its_unit():
    for header in ["fit time (s)", "forward (ms)", "steps/s", "GFLOP/s", "% of peak"]:
        assert declares_timing(header), header
    for header in ["fit time", "ms per generated value", "test MSE", "time steps (s) of data"]:
        assert not declares_timing(header), header


@pytest.mark.parametrize(
    "header", ["fit time", "time per epoch", "seconds", "forward ms", "speedup", "peak share"]
)
def test_headers_that_name_a_time_look_like_timings(header):
    assert TIME_HEADER.search(header)


@pytest.mark.parametrize(
    "header",
    ["maximum over time", "backpropagation through time", "time steps", "test MSE"],
)
def test_headers_that_name_the_sequence_axis_do_not_look_like_timings(header):
    # "over time" and "time steps" are the sequence's axis, not a measured duration.
    assert not TIME_HEADER.search(header)
