"""The determinism script finds a changed number, and tells timings apart."""

import json
from pathlib import Path

from compare_builds import main


def write_build(root: Path, mse: str, seconds: str, glued: float) -> Path:
    executed = root / "jupyter_execute"
    executed.mkdir(parents=True)
    table = (
        "<table><tr><th></th><th>test MSE</th><th>fit time (s)</th></tr>"
        f"<tr><th>Keras</th><td>{mse}</td><td>{seconds}</td></tr></table>"
    )
    notebook = {"cells": [{"cell_type": "code", "outputs": [{"data": {"text/html": table}}]}]}
    (executed / "page.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    glue = {"loss": {"data": {"text/plain": repr(glued)}}}
    (executed / "page.glue.json").write_text(json.dumps(glue), encoding="utf-8")
    return root


def test_identical_builds_have_no_difference(tmp_path, capsys):
    a = write_build(tmp_path / "a", "1.0e-05", "7.0", 0.5)
    b = write_build(tmp_path / "b", "1.0e-05", "7.0", 0.5)
    assert main(a, b) == 0
    assert "0 unexpected differences" in capsys.readouterr().out


def test_a_timing_column_is_expected_to_differ(tmp_path, capsys):
    a = write_build(tmp_path / "a", "1.0e-05", "7.0", 0.5)
    b = write_build(tmp_path / "b", "1.0e-05", "7.4", 0.5)
    assert main(a, b) == 0
    assert "1 expected differences" in capsys.readouterr().out


def test_a_changed_result_is_reported(tmp_path, capsys):
    a = write_build(tmp_path / "a", "1.0e-05", "7.0", 0.5)
    b = write_build(tmp_path / "b", "1.1e-05", "7.0", 0.25)
    assert main(a, b) == 1
    out = capsys.readouterr().out
    assert "2 unexpected differences" in out
    assert "'test MSE'" in out and "glue loss" in out


def test_speeds_in_tables_and_glue_are_expected_to_differ():
    from compare_builds import is_timing_column, is_timing_glue

    assert is_timing_column("steps/s") and is_timing_column("% of matmul peak")
    assert not is_timing_column("test MSE")
    assert is_timing_glue("keras_rnn glue speed_peak [text/plain]")
    assert is_timing_glue("convlstm glue cost_conv_ms [text/plain]")
    assert not is_timing_glue("keras_rnn glue stacked_diff [text/plain]")
