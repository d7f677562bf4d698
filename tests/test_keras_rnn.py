"""The custom peephole cell, the FLOP count of the speed table, and the speed script."""

import keras
import numpy as np
import pytest
import torch
from test_examples import run_as_a_reader
from test_experiments import glued_notebook
from torch.utils.flop_counter import FlopCounterMode

from gatedrnn import torch_cells
from gatedrnn.peephole_keras import PeepholeLSTMCell
from gatedrnn.speed import QUICK, Sizes, training_flops


def to_numpy(values):
    return [keras.ops.convert_to_numpy(v) for v in keras.tree.flatten(values)]


def test_peephole_cell_with_zero_peepholes_matches_keras_lstm_with_copied_weights():
    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).standard_normal((3, 9, 4)).astype("float32")
    library = keras.layers.LSTM(6, return_sequences=True, return_state=True)
    ours = keras.layers.RNN(PeepholeLSTMCell(6), return_sequences=True, return_state=True)
    library.build(x.shape)
    ours.build(x.shape)
    ours.set_weights(library.get_weights() + [np.zeros(6, "float32")] * 3)
    for mine, theirs in zip(to_numpy(ours(x)), to_numpy(library(x)), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-5)


def test_peephole_cell_one_step_matches_the_equations_with_zero_products():
    # With zero kernels and biases every gate sees only its peephole: i = sigmoid(p_i c),
    # f = sigmoid(p_f c), the candidate is tanh(0) = 0, and o reads the new cell state.
    cell = PeepholeLSTMCell(3)
    cell.build((None, 2))
    p_i, p_f, p_o = np.array([[0.5, -1.0, 2.0], [1.0, 0.3, -0.7], [-2.0, 1.5, 0.1]])
    cell.set_weights([np.zeros((2, 12)), np.zeros((3, 12)), np.zeros(12), p_i, p_f, p_o])
    h0, c0 = np.array([[0.2, -0.4, 0.9]]), np.array([[1.5, -0.8, 0.6]])
    h, (h_state, c) = cell(np.ones((1, 2), "float32"), [h0.astype("float32"), c0.astype("float32")])

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    expected_c = sigmoid(p_f * c0) * c0
    expected_h = sigmoid(p_o * expected_c) * np.tanh(expected_c)
    np.testing.assert_allclose(to_numpy(c)[0], expected_c, rtol=1e-6)
    np.testing.assert_allclose(to_numpy(h)[0], expected_h, rtol=1e-6)
    np.testing.assert_array_equal(to_numpy(h_state)[0], to_numpy(h)[0])


def test_model_with_peephole_cell_saves_and_loads_with_identical_outputs(tmp_path):
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [keras.Input((7, 3)), keras.layers.RNN(PeepholeLSTMCell(5)), keras.layers.Dense(2)]
    )
    x = np.random.default_rng(1).standard_normal((4, 7, 3)).astype("float32")
    path = tmp_path / "peephole.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded.layers[0].cell) is PeepholeLSTMCell
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    for saved, restored in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(saved, restored)


def test_peephole_cell_config_rebuilds_the_same_cell():
    cell = PeepholeLSTMCell(4, peephole_initializer="zeros", name="peep")
    again = PeepholeLSTMCell.from_config(cell.get_config())
    assert again.units == 4 and again.name == "peep"
    assert type(again.peephole_initializer) is type(cell.peephole_initializer)
    assert again.state_size == [4, 4] and again.output_size == 4


@pytest.mark.parametrize("units", [0, -3, 2.5, "8"])
def test_peephole_cell_rejects_bad_units(units):
    with pytest.raises(ValueError, match="expected units > 0"):
        PeepholeLSTMCell(units)


def test_peephole_cell_names_the_input_shape_it_expected():
    cell = PeepholeLSTMCell(3)
    cell.build((None, 2))
    states = [np.zeros((1, 3), "float32")] * 2
    with pytest.raises(ValueError, match=r"expected inputs of shape \(batch, 2\), got \(1, 5\)"):
        cell(np.zeros((1, 5), "float32"), states)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_training_flops_match_torch_flop_counter(kind):
    sizes = Sizes(batch=3, time_steps=6, input_size=5, units=7)
    cell = {"lstm": torch_cells.LSTMCell, "gru": torch_cells.GRUCell}[kind]
    rnn = torch_cells.RNN(cell(sizes.input_size, sizes.units))
    x = torch.randn(sizes.batch, sizes.time_steps, sizes.input_size)
    with FlopCounterMode(display=False) as counter:
        outputs, _ = rnn(x)
        outputs.sum().backward()
    # The zero initial state needs no gradient, so the first step skips one product.
    blocks = {"lstm": 4, "gru": 3}[kind]
    first_step_saving = 2 * sizes.batch * blocks * sizes.units * sizes.units
    assert counter.get_total_flops() == training_flops(kind, sizes) - first_step_saving


def test_training_flops_refuse_an_unknown_kind():
    with pytest.raises(ValueError, match="expected kind to be one of"):
        training_flops("transformer", QUICK)


@pytest.mark.slow
def test_speed_script_prints_the_peak_and_every_row(tmp_path):
    result = run_as_a_reader(["-m", "gatedrnn.speed", "--quick"], tmp_path)
    lines = result.stdout.splitlines()
    peak = float(next(line for line in lines if line.startswith("matmul_peak_gflops")).split()[-1])
    assert peak > 0
    rows = [line for line in lines if line.lstrip().startswith(("Keras ", "PyTorch "))]
    assert len(rows) == 11
    assert "retracing" not in result.stdout + result.stderr


def test_chapter_checks_hold_in_the_built_page(site):
    values = glued_notebook(site / "en" / "_sources" / "keras_rnn.ipynb")
    for key in [
        "cell_loop_max_diff",
        "backwards_diff",
        "stateful_diff",
        "reset_diff",
        "bidirectional_diff",
        "stacked_diff",
        "peephole_zero_diff",
        "mask_max_diff",
    ]:
        assert values[key] <= 1e-4, key
    assert values["round_trip_diff"] == 0.0
    assert values["no_reset_gap"] > 1e-3 and values["no_mask_gap"] > 1e-3
    assert values["peephole_params"] == 4 * (8 * 3 + 8 * 8 + 8) + 3 * 8
    assert 0 < values["timing_best_share"] <= 100 and values["timing_peak_gflops"] > 0
