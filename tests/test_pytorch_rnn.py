"""The speed table of the PyTorch chapter: the kernels it names, the products it counts,
the compiled from-scratch LSTM it times, and the checks of the built page."""

import pytest
import torch
from test_examples import run_as_a_reader
from test_experiments import glued_notebook

from gatedrnn import torch_cells
from gatedrnn.torch_speed import (
    QUICK,
    compiled_lstm,
    difference_from_nn_lstm,
    kernel,
    matrix_products,
    operators,
)

ONEDNN = torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled


@pytest.mark.skipif(not ONEDNN, reason="PyTorch without oneDNN runs every layer in its loop")
def test_kernel_names_onednn_for_the_float32_lstm_and_the_loop_for_the_rest():
    x = torch.randn(2, 5, 3)
    assert kernel(torch.nn.LSTM(3, 4, batch_first=True), x) == "oneDNN"
    assert kernel(torch.nn.LSTM(3, 4, batch_first=True).double(), x.double()) == "ATen loop"
    assert kernel(torch.nn.GRU(3, 4, batch_first=True), x) == "ATen loop"
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, [5, 2], batch_first=True)
    assert kernel(torch.nn.LSTM(3, 4, batch_first=True), packed) == "ATen loop"


def test_operators_count_one_onednn_call_per_layer_and_direction():
    lstm = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    ran = operators(lstm, torch.randn(2, 5, 3))
    assert ran["aten::mkldnn_rnn_layer"] == (4 if ONEDNN else 0)
    assert ran["aten::mkldnn_rnn_layer_backward"] == (4 if ONEDNN else 0)


@pytest.mark.parametrize("time_steps", [1, 7])
def test_looped_lstm_calls_two_matrix_products_per_step(time_steps):
    rnn = torch_cells.RNN(torch_cells.LSTMCell(3, 4))
    assert matrix_products(rnn, torch.randn(2, time_steps, 3)) == 2 * time_steps


def test_difference_from_nn_lstm_is_small_for_the_cell_and_large_for_other_weights():
    rnn = torch_cells.RNN(torch_cells.LSTMCell(3, 4))
    x = torch.randn(2, 6, 3)
    assert difference_from_nn_lstm(rnn, x) <= 1e-5
    # A cell that computes something else must not pass: flip the sign of its output gate
    # after the weights were copied, by wrapping the cell's forward pass.
    forward = rnn.cell.forward

    def wrong(x_t, state=None):
        h, c = forward(x_t, state)
        return -h, c

    rnn.cell.forward = wrong
    assert difference_from_nn_lstm(rnn, x) > 1e-3


@pytest.mark.slow
def test_compiled_lstm_matches_nn_lstm_with_copied_weights_forward_and_backward():
    torch.manual_seed(0)
    compiled = compiled_lstm(3, 4)
    x = torch.randn(2, 5, 3)
    library = torch.nn.LSTM(3, 4, batch_first=True)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(library, f"{name}_l0").copy_(getattr(compiled.cell, name))
    output, (h, c) = compiled(x)
    library_output, (library_h, library_c) = library(x)
    torch.testing.assert_close(output, library_output, rtol=0, atol=1e-5)
    torch.testing.assert_close(h, library_h[0], rtol=0, atol=1e-5)
    torch.testing.assert_close(c, library_c[0], rtol=0, atol=1e-5)
    # The compiled backward pass gives the library's gradients.
    output.square().sum().backward()
    library_output.square().sum().backward()
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        torch.testing.assert_close(
            getattr(compiled.cell, name).grad,
            getattr(library, f"{name}_l0").grad,
            rtol=0,
            atol=1e-5,
        )


@pytest.mark.slow
def test_speed_script_times_the_compile_apart_and_prints_every_row(tmp_path):
    result = run_as_a_reader(["-m", "gatedrnn.torch_speed", "--quick"], tmp_path)
    names = ["from scratch: RNN(LSTMCell)", "from scratch, torch.compile", "nn.LSTM"]
    rows = {
        name: line.split()
        for line in result.stdout.splitlines()
        for name in names
        if line.lstrip().startswith(name)
    }
    assert list(rows) == names, result.stdout
    # The last two columns: the first step (s) and steps/s.
    first_step = {name: float(words[-2]) for name, words in rows.items()}
    # Compiling happens in the first step of the compiled row, and nowhere else.
    compiled = first_step.pop("from scratch, torch.compile")
    assert compiled > 10 * max(first_step.values()), result.stdout
    assert f"'from scratch, torch.compile': {2 * QUICK.time_steps}" in result.stdout
    # The profiler's log lines stay out of the output.
    assert "profiler_start" not in result.stdout + result.stderr


def test_chapter_checks_hold_in_the_built_page(site):
    values = glued_notebook(site / "en" / "_sources" / "pytorch_rnn.ipynb")
    for key in [
        "lstm_step_diff",
        "gru_after_diff",
        "bias_sum_diff",
        "dropout_train_diff",
        "dropout_eval_diff",
        "proj_diff",
        "packed_diff",
        "last_step_diff",
        "cell_loop_max_diff",
        "compiled_diff",
    ]:
        assert values[key] <= 1e-4, key
    assert values["gru_before_gap"] > 1e-3 and values["unpacked_gap"] > 1e-3
    assert values["dropout_gap"] > 1e-3
    assert values["proj_params_projected"] < values["proj_params_plain"]
    assert values["bench_products"] == 2 * values["bench_length"]
    assert values["timing_compile_seconds"] > 0 and values["timing_library_over_looped"] > 1
