"""The book's gates against the gates inside torch.nn and keras.layers GRU cells."""

import keras
import numpy as np
import pytest
import torch

from gatedrnn.gates_keras import Gate as KerasGate
from gatedrnn.gates_torch import Gate as TorchGate

SIZES = [(1, 1, 3), (3, 4, 2), (5, 7, 16)]  # (input size, gate size, batch)
ATOL = 1e-5


def torch_update_gate_of(cell: torch.nn.GRUCell) -> torch.Tensor:
    """z_t of a GRUCell, read from the library: zero the candidate and feed h = 1."""
    hidden = cell.hidden_size
    with torch.no_grad():
        for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            getattr(cell, name)[2 * hidden :] = 0.0
    return cell


@pytest.mark.parametrize("input_size,gate_size,batch", SIZES)
def test_torch_gate_matches_torch_gru_update_gate(input_size, gate_size, batch):
    torch.manual_seed(input_size * 100 + gate_size)
    cell = torch_update_gate_of(torch.nn.GRUCell(input_size, gate_size))
    gate = TorchGate(input_size, gate_size, context_size=gate_size)
    with torch.no_grad():
        for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            getattr(gate, name).copy_(getattr(cell, name)[gate_size : 2 * gate_size])
        x = torch.randn(batch, input_size)
        ones = torch.ones(batch, gate_size)
        np.testing.assert_allclose(gate(x, ones).numpy(), cell(x, ones).numpy(), atol=ATOL, rtol=0)


@pytest.mark.parametrize("input_size,gate_size,batch", SIZES)
def test_torch_gate_without_context_matches_linear_and_sigmoid(input_size, gate_size, batch):
    torch.manual_seed(7)
    linear = torch.nn.Linear(input_size, gate_size)
    gate = TorchGate(input_size, gate_size)
    with torch.no_grad():
        gate.weight_ih.copy_(linear.weight)
        gate.bias_ih.copy_(linear.bias)
        x = torch.randn(batch, 6, input_size)
        np.testing.assert_allclose(
            gate(x).numpy(), torch.sigmoid(linear(x)).numpy(), atol=ATOL, rtol=0
        )


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("input_size,units,batch", SIZES)
def test_keras_gate_matches_keras_gru_update_gate(input_size, units, batch, reset_after):
    keras.utils.set_random_seed(input_size * 100 + units)
    cell = keras.layers.GRUCell(units, reset_after=reset_after, bias_initializer="random_normal")
    cell.build((None, input_size))
    kernel, recurrent_kernel, bias = cell.get_weights()
    # Zero the candidate block (Keras order z, r, h), so the cell returns z_t * h_{t-1}.
    kernel[:, 2 * units :] = 0.0
    recurrent_kernel[:, 2 * units :] = 0.0
    bias[..., 2 * units :] = 0.0
    cell.set_weights([kernel, recurrent_kernel, bias])
    gate_bias = bias[0, :units] + bias[1, :units] if reset_after else bias[:units]

    gate = KerasGate(units, context_units=units)
    x = np.random.default_rng(0).standard_normal((batch, input_size)).astype("float32")
    ones = np.ones((batch, units), dtype="float32")
    gate(x, ones)
    gate.set_weights([kernel[:, :units], recurrent_kernel[:, :units], gate_bias])

    expected, _ = cell(x, [ones])
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(gate(x, ones)),
        keras.ops.convert_to_numpy(expected),
        atol=ATOL,
        rtol=0,
    )


@pytest.mark.parametrize("context_size", [0, 4])
@pytest.mark.parametrize("leading", [(8,), (3, 5)])
def test_keras_gate_matches_torch_gate_with_copied_weights(context_size, leading):
    torch.manual_seed(3)
    torch_gate = TorchGate(6, 4, context_size=context_size)
    keras_gate = KerasGate(4, context_units=context_size)
    x = torch.randn(*leading, 6)
    h = torch.randn(*leading, context_size) if context_size else None
    args = (x.numpy(),) if h is None else (x.numpy(), h.numpy())
    keras_gate(*args)
    weights = [torch_gate.weight_ih.detach().numpy().T]
    if context_size:
        weights.append(torch_gate.weight_hh.detach().numpy().T)
        weights.append((torch_gate.bias_ih + torch_gate.bias_hh).detach().numpy())
    else:
        weights.append(torch_gate.bias_ih.detach().numpy())
    keras_gate.set_weights(weights)
    with torch.no_grad():
        expected = torch_gate(x, h).numpy()
    actual = keras.ops.convert_to_numpy(keras_gate(*args))
    assert actual.shape == (*leading, 4)
    np.testing.assert_allclose(actual, expected, atol=ATOL, rtol=0)


@pytest.mark.parametrize("input_size,units", [(1, 40), (3, 5)])
def test_three_gates_have_the_parameters_of_a_gru_cell(input_size, units):
    torch_gate = TorchGate(input_size, units, context_size=units)
    torch_cell = torch.nn.GRUCell(input_size, units)
    assert 3 * sum(p.numel() for p in torch_gate.parameters()) == sum(
        p.numel() for p in torch_cell.parameters()
    )
    keras_gate = KerasGate(units, context_units=units)
    keras_gate.build((None, input_size))
    keras_cell = keras.layers.GRUCell(units, reset_after=False)
    keras_cell.build((None, input_size))
    assert 3 * keras_gate.count_params() == keras_cell.count_params()


def test_gate_without_context_has_the_parameters_of_a_dense_layer():
    keras_gate = KerasGate(7)
    keras_gate.build((None, 3))
    dense = keras.layers.Dense(7)
    dense.build((None, 3))
    assert keras_gate.count_params() == dense.count_params()
    torch_gate = TorchGate(3, 7)
    linear = torch.nn.Linear(3, 7)
    assert sum(p.numel() for p in torch_gate.parameters()) == sum(
        p.numel() for p in linear.parameters()
    )


def test_keras_gate_survives_get_config_round_trip(tmp_path):
    gate = KerasGate(3, context_units=2, bias_initializer="ones", name="g")
    config = gate.get_config()
    clone = KerasGate.from_config(config)
    assert clone.get_config() == config

    # A saved model with the gate loads back and gives the same output.
    x_in, h_in = keras.Input((4,)), keras.Input((2,))
    model = keras.Model([x_in, h_in], gate(x_in, h_in))
    x = np.random.default_rng(1).standard_normal((5, 4)).astype("float32")
    h = np.random.default_rng(2).standard_normal((5, 2)).astype("float32")
    path = tmp_path / "gate.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict([x, h], verbose=0), model.predict([x, h], verbose=0))


def test_torch_gate_rejects_wrong_feature_size_with_expected_shape():
    gate = TorchGate(3, 2, context_size=4)
    with pytest.raises(ValueError, match=r"x of shape \(\.\.\., 3\), got \(2, 5\)"):
        gate(torch.randn(2, 5), torch.randn(2, 4))
    with pytest.raises(ValueError, match=r"h of shape \(\.\.\., 4\), got \(2, 3\)"):
        gate(torch.randn(2, 3), torch.randn(2, 3))


def test_torch_gate_rejects_missing_or_unexpected_context():
    with pytest.raises(ValueError, match=r"context h of shape \(\.\.\., 4\), got None"):
        TorchGate(3, 2, context_size=4)(torch.randn(2, 3))
    with pytest.raises(ValueError, match="context_size=0 and expected no context"):
        TorchGate(3, 2)(torch.randn(2, 3), torch.randn(2, 2))


def test_torch_gate_rejects_integer_input_and_bad_sizes():
    with pytest.raises(TypeError, match="floating-point dtype, got torch.int64"):
        TorchGate(3, 2)(torch.ones(2, 3, dtype=torch.int64))
    with pytest.raises(ValueError, match="input_size to be a positive int"):
        TorchGate(0, 2)


def test_keras_gate_rejects_wrong_shapes_and_context():
    gate = KerasGate(2, context_units=4)
    gate(np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"x of shape \(\.\.\., 3\), got \(2, 5\)"):
        gate(np.zeros((2, 5), "float32"), np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"h of shape \(\.\.\., 4\), got \(2, 2\)"):
        gate(np.zeros((2, 3), "float32"), np.zeros((2, 2), "float32"))
    with pytest.raises(ValueError, match=r"context h of shape \(\.\.\., 4\), got None"):
        gate(np.zeros((2, 3), "float32"))
    with pytest.raises(TypeError, match="floating-point dtype, got int32"):
        gate(np.zeros((2, 3), "int32"), np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="units to be a positive int"):
        KerasGate(0)
