"""The from-scratch cells against torch.nn and keras.layers, with copied weights."""

import keras
import numpy as np
import pytest
import torch

from gatedrnn import keras_cells as kc
from gatedrnn import torch_cells as tc
from gatedrnn.book import torch_device
from gatedrnn.convert import keras_from_torch, torch_from_keras

#: Where the PyTorch layers run: cuDNN's LSTM and GRU on a GPU (tools/gpu_check.sh).
DEVICE = torch_device()

ATOL = 1e-5
# (input size, hidden size, batch, time)
SIZES = [(1, 1, 1, 1), (3, 5, 4, 7), (8, 16, 2, 12)]
TORCH_CASES = {
    "rnn": (lambda i, h: tc.RNNCell(i, h), torch.nn.RNN, torch.nn.RNNCell),
    "gru": (lambda i, h: tc.GRUCell(i, h), torch.nn.GRU, torch.nn.GRUCell),
    "lstm": (lambda i, h: tc.LSTMCell(i, h), torch.nn.LSTM, torch.nn.LSTMCell),
}


def copy_into(module: torch.nn.Module, weights: dict) -> None:
    """Copy arrays or tensors named weight_ih, ... into a module (names with or without _l0)."""
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            value = weights[name.removesuffix("_l0")]
            parameter.copy_(torch.as_tensor(np.asarray(value)))


def random_weights(module: torch.nn.Module, seed: int) -> None:
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.5)


def numpy(value) -> np.ndarray:
    """A tensor (on any device) or an array as a NumPy array."""
    return value.detach().cpu().numpy() if hasattr(value, "detach") else np.asarray(value)


def close(actual, expected):
    np.testing.assert_allclose(numpy(actual), numpy(expected), rtol=0, atol=ATOL)


# ----------------------------------------------------------------- PyTorch, cells


@pytest.mark.parametrize("kind", TORCH_CASES)
@pytest.mark.parametrize("input_size,hidden,batch,_", SIZES)
def test_torch_cell_matches_torch_nn_cell(kind, input_size, hidden, batch, _):
    ours_factory, _layer, library_cls = TORCH_CASES[kind]
    library = library_cls(input_size, hidden)
    random_weights(library, seed=input_size + hidden)
    ours = ours_factory(input_size, hidden)
    copy_into(ours, dict(library.named_parameters()))
    x = torch.randn(batch, input_size)
    state = torch.randn(batch, hidden)
    if kind == "lstm":
        state = (state, torch.randn(batch, hidden))
    for mine, theirs in zip(
        (ours(x, state) if kind == "lstm" else (ours(x, state),)),
        (library(x, state) if kind == "lstm" else (library(x, state),)),
        strict=True,
    ):
        close(mine, theirs)


@pytest.mark.parametrize("kind", TORCH_CASES)
@pytest.mark.parametrize("input_size,hidden,batch,time", SIZES)
def test_torch_sequence_matches_torch_nn_layer_outputs_states_and_gradients(
    kind, input_size, hidden, batch, time
):
    ours_factory, layer_cls, _cell = TORCH_CASES[kind]
    library = layer_cls(input_size, hidden, batch_first=True)
    random_weights(library, seed=7 * hidden + time)
    ours = tc.RNN(ours_factory(input_size, hidden))
    copy_into(ours.cell, {k.removesuffix("_l0"): v for k, v in library.named_parameters()})
    library, ours = library.to(DEVICE), ours.to(DEVICE)
    x = torch.randn(batch, time, input_size).to(DEVICE).requires_grad_(True)
    x_ours = x.detach().clone().requires_grad_(True)
    h0 = torch.randn(batch, hidden).to(DEVICE)
    if kind == "lstm":
        c0 = torch.randn(batch, hidden).to(DEVICE)
        out_lib, (h_lib, c_lib) = library(x, (h0[None], c0[None]))
        out_ours, (h_ours, c_ours) = ours(x_ours, (h0, c0))
        close(c_ours, c_lib[0])
    else:
        out_lib, h_lib = library(x, h0[None])
        out_ours, h_ours = ours(x_ours, h0)
    close(out_ours, out_lib)
    close(h_ours, h_lib[0])
    # The gradients of one loss with respect to the input and to every weight agree.
    (out_lib.square().sum() + h_lib.sum()).backward()
    (out_ours.square().sum() + h_ours.sum()).backward()
    # Gradients sum many products, so they are compared at 1e-4 rather than 1e-5.
    np.testing.assert_allclose(numpy(x_ours.grad), numpy(x.grad), rtol=1e-4, atol=1e-4)
    library_grads = {k.removesuffix("_l0"): p.grad for k, p in library.named_parameters()}
    for name, parameter in ours.cell.named_parameters():
        np.testing.assert_allclose(
            numpy(parameter.grad), numpy(library_grads[name]), rtol=1e-4, atol=1e-4
        )


@pytest.mark.parametrize("input_size,hidden,batch,_", SIZES)
def test_torch_gru_with_reset_before_matches_keras_gru_reset_after_false(
    input_size, hidden, batch, _
):
    keras.utils.set_random_seed(hidden)
    library = keras.layers.GRUCell(hidden, reset_after=False, bias_initializer="random_normal")
    library.build((None, input_size))
    kernel, recurrent, bias = library.get_weights()
    ours = tc.GRUCell(input_size, hidden, reset_after=False)
    # Keras z, r, h  ->  PyTorch r, z, n; the single Keras bias goes to bias_ih.
    order = [1, 0, 2]

    def torch_blocks(a, axis):
        parts = np.split(a, 3, axis=axis)
        return np.concatenate([parts[i] for i in order], axis=axis)

    copy_into(
        ours,
        {
            "weight_ih": torch_blocks(kernel.T, 0),
            "weight_hh": torch_blocks(recurrent.T, 0),
            "bias_ih": torch_blocks(bias, 0),
            "bias_hh": np.zeros_like(bias),
        },
    )
    x = np.random.default_rng(0).standard_normal((batch, input_size)).astype("float32")
    h = np.random.default_rng(1).standard_normal((batch, hidden)).astype("float32")
    expected, _ = library(x, [h])
    close(ours(torch.from_numpy(x), torch.from_numpy(h)), keras.ops.convert_to_numpy(expected))


@pytest.mark.parametrize("input_size,hidden,batch,_", SIZES)
def test_simplified_gru_is_a_torch_gru_whose_reset_gate_is_always_open(
    input_size, hidden, batch, _
):
    library = torch.nn.GRUCell(input_size, hidden)
    random_weights(library, seed=3)
    with torch.no_grad():
        # sigmoid(100) == 1 in float32: the reset gate passes everything.
        library.weight_ih[:hidden] = 0
        library.weight_hh[:hidden] = 0
        library.bias_ih[:hidden] = 100.0
        library.bias_hh[:hidden] = 0
    ours = tc.SimplifiedGRUCell(input_size, hidden)
    keep = slice(hidden, 3 * hidden)  # z and n, in this order in both
    copy_into(ours, {k: v[keep] for k, v in library.named_parameters()})
    x, h = torch.randn(batch, input_size), torch.randn(batch, hidden)
    close(ours(x, h), library(x, h))


# ------------------------------------------------------------------- Keras, cells

KERAS_CASES = {
    "simple_rnn": (lambda u: kc.SimpleRNNCell(u), lambda u: keras.layers.SimpleRNN),
    "gru_after": (lambda u: kc.GRUCell(u), lambda u: keras.layers.GRU),
    "gru_before": (lambda u: kc.GRUCell(u, reset_after=False), lambda u: keras.layers.GRU),
    "lstm": (lambda u: kc.LSTMCell(u), lambda u: keras.layers.LSTM),
}


def keras_library_layer(case, units):
    kwargs = dict(return_sequences=True, return_state=True)
    if case == "gru_before":
        kwargs["reset_after"] = False
    return KERAS_CASES[case][1](units)(units, **kwargs)


@pytest.mark.parametrize("case", KERAS_CASES)
@pytest.mark.parametrize("input_size,units,batch,time", SIZES)
def test_keras_cell_in_rnn_matches_keras_layer(case, input_size, units, batch, time):
    keras.utils.set_random_seed(units + time)
    library = keras_library_layer(case, units)
    library.build((None, time, input_size))
    rng = np.random.default_rng(units)
    library.set_weights([0.5 * rng.standard_normal(w.shape) for w in library.get_weights()])
    ours = keras.layers.RNN(KERAS_CASES[case][0](units), return_sequences=True, return_state=True)
    ours.build((None, time, input_size))
    ours.set_weights(library.get_weights())
    x = rng.standard_normal((batch, time, input_size)).astype("float32")
    states = [rng.standard_normal((batch, units)).astype("float32")]
    if case == "lstm":
        states.append(rng.standard_normal((batch, units)).astype("float32"))
    expected = library(x, initial_state=states)
    actual = ours(x, initial_state=states)
    assert len(actual) == len(expected)
    for mine, theirs in zip(actual, expected, strict=True):
        close(keras.ops.convert_to_numpy(mine), keras.ops.convert_to_numpy(theirs))


def test_keras_simplified_gru_equals_torch_simplified_gru_with_copied_weights():
    torch_cell = tc.SimplifiedGRUCell(3, 4)
    keras_cell = kc.SimplifiedGRUCell(4)
    keras_cell.build((None, 3))
    w = {k: v.detach().numpy() for k, v in torch_cell.named_parameters()}
    keras_cell.set_weights([w["weight_ih"].T, w["weight_hh"].T, w["bias_ih"] + w["bias_hh"]])
    x, h = torch.randn(5, 3), torch.randn(5, 4)
    output, _ = keras_cell(x.numpy(), [h.numpy()])
    close(keras.ops.convert_to_numpy(output), torch_cell(x, h))


@pytest.mark.parametrize(
    "cell",
    [
        kc.SimpleRNNCell(3),
        kc.GRUCell(3, reset_after=False),
        kc.LSTMCell(3, unit_forget_bias=False),
        kc.SimplifiedGRUCell(3),
    ],
)
def test_keras_cells_survive_get_config_round_trip(cell, tmp_path):
    config = cell.get_config()
    clone = type(cell).from_config(config)
    assert clone.get_config() == config
    inputs = keras.Input((6, 2))
    model = keras.Model(inputs, keras.layers.RNN(cell)(inputs))
    path = tmp_path / "model.keras"
    model.save(path)
    x = np.random.default_rng(0).standard_normal((3, 6, 2)).astype("float32")
    loaded = keras.saving.load_model(path)
    close(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras_lstm_forget_bias_starts_at_one_like_keras():
    ours, library = kc.LSTMCell(3), keras.layers.LSTMCell(3)
    ours.build((None, 2))
    library.build((None, 2))
    np.testing.assert_array_equal(ours.get_weights()[2], library.get_weights()[2])
    assert ours.get_weights()[2].tolist() == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]


# --------------------------------------------------------- converters, both ways


@pytest.mark.parametrize(
    "kind,torch_cls,keras_cls",
    [
        ("rnn", torch.nn.RNN, keras.layers.SimpleRNN),
        ("gru", torch.nn.GRU, keras.layers.GRU),
        ("lstm", torch.nn.LSTM, keras.layers.LSTM),
    ],
)
@pytest.mark.parametrize("input_size,units,batch,time", SIZES[1:])
def test_converted_weights_give_the_same_outputs_in_both_frameworks(
    kind, torch_cls, keras_cls, input_size, units, batch, time
):
    torch_layer = torch_cls(input_size, units, batch_first=True)
    random_weights(torch_layer, seed=units)
    keras_layer = keras_cls(units, return_sequences=True)
    keras_layer.build((None, time, input_size))
    keras_layer.set_weights(keras_from_torch(kind, torch_layer.state_dict()))
    x = torch.randn(batch, time, input_size)
    close(keras.ops.convert_to_numpy(keras_layer(x.numpy())), torch_layer(x)[0])

    # And back: Keras weights into a fresh PyTorch layer give the Keras outputs.
    back = torch_cls(input_size, units, batch_first=True)
    copy_into(back, torch_from_keras(kind, keras_layer.get_weights()))
    close(back(x)[0], keras.ops.convert_to_numpy(keras_layer(x.numpy())))


def test_converter_refuses_a_keras_gru_with_reset_before_and_bad_names():
    layer = keras.layers.GRU(4, reset_after=False)
    layer.build((None, 3, 2))
    with pytest.raises(ValueError, match=r"GRU bias of shape \(2, 12\)"):
        torch_from_keras("gru", layer.get_weights())
    with pytest.raises(ValueError, match="'weight_ih' or 'weight_ih_l0'"):
        keras_from_torch("gru", {"weight": np.zeros(3)})
    with pytest.raises(ValueError, match="one of 'rnn', 'gru', 'lstm'"):
        keras_from_torch("transformer", {})


# ------------------------------------------------------- parameter counts, errors


@pytest.mark.parametrize("input_size,units", [(1, 40), (3, 7)])
def test_parameter_counts_equal_the_libraries(input_size, units):
    def numel(module):
        return sum(p.numel() for p in module.parameters())

    assert numel(tc.RNNCell(input_size, units)) == numel(torch.nn.RNN(input_size, units))
    assert numel(tc.GRUCell(input_size, units)) == numel(torch.nn.GRU(input_size, units))
    assert numel(tc.LSTMCell(input_size, units)) == numel(torch.nn.LSTM(input_size, units))
    for ours, library in [
        (kc.SimpleRNNCell(units), keras.layers.SimpleRNN(units)),
        (kc.GRUCell(units), keras.layers.GRU(units)),
        (kc.GRUCell(units, reset_after=False), keras.layers.GRU(units, reset_after=False)),
        (kc.LSTMCell(units), keras.layers.LSTM(units)),
    ]:
        wrapped = keras.layers.RNN(ours)
        wrapped.build((None, 5, input_size))
        library.build((None, 5, input_size))
        assert wrapped.count_params() == library.count_params()


def test_torch_cells_refuse_bad_shapes_naming_the_expected_one():
    cell = tc.GRUCell(3, 4)
    with pytest.raises(ValueError, match=r"x of shape \(batch, 3\), got \(2, 5\)"):
        cell(torch.randn(2, 5))
    with pytest.raises(ValueError, match=r"h of shape \(2, 4\), got \(2, 3\)"):
        cell(torch.randn(2, 3), torch.randn(2, 3))
    with pytest.raises(ValueError, match=r"c of shape \(2, 4\), got \(1, 4\)"):
        tc.LSTMCell(3, 4)(torch.randn(2, 3), (torch.randn(2, 4), torch.randn(1, 4)))
    layer = tc.RNN(tc.LSTMCell(3, 4))
    with pytest.raises(ValueError, match=r"x of shape \(batch, time, 3\), got \(2, 3\)"):
        layer(torch.randn(2, 3))
    with pytest.raises(ValueError, match=r"x of shape \(batch, time, 3\), got \(2, 6, 2\)"):
        layer(torch.randn(2, 6, 2))


def test_keras_cells_refuse_bad_shapes_naming_the_expected_one():
    cell = kc.GRUCell(4)
    cell.build((None, 3))
    with pytest.raises(ValueError, match=r"inputs of shape \(batch, 3\), got \(2, 5\)"):
        cell(np.zeros((2, 5), "float32"), [np.zeros((2, 4), "float32")])
    with pytest.raises(ValueError, match=r"state of shape \(batch, 4\), got \(2, 3\)"):
        cell(np.zeros((2, 3), "float32"), [np.zeros((2, 3), "float32")])


def test_adding_problem_targets_are_the_sums_of_the_marked_values():
    from gatedrnn.data import adding_problem

    inputs, targets = adding_problem(500, 20, seed=1)
    assert inputs.shape == (500, 20, 2) and targets.shape == (500, 1)
    assert (inputs[:, :, 1].sum(axis=1) == 2).all()
    assert (inputs[:, :10, 1].sum(axis=1) == 1).all()
    np.testing.assert_allclose(
        targets[:, 0], (inputs[:, :, 0] * inputs[:, :, 1]).sum(axis=1), rtol=1e-6
    )
    # The baseline of always predicting 1.0 has an MSE close to 1/6.
    assert abs(float(((targets - 1.0) ** 2).mean()) - 1 / 6) < 0.02
    with pytest.raises(ValueError, match="length >= 2"):
        adding_problem(3, 1)
