"""The from-scratch ConvLSTM against keras.layers.ConvLSTM2D and torch.nn.LSTM, and its errors."""

import re
from pathlib import Path

import keras
import numpy as np
import pytest
import torch

from gatedrnn.convlstm_torch import ConvLSTM2D, ConvLSTM2DCell, same_padding

ROOT = Path(__file__).resolve().parent.parent
ATOL = 1e-5


def channels_first(x: np.ndarray) -> torch.Tensor:
    """Keras (batch, time, rows, cols, channels) as PyTorch (batch, time, channels, rows, cols)."""
    return torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 2)))


def channels_last(x: torch.Tensor) -> np.ndarray:
    return np.moveaxis(x.detach().numpy(), -3, -1)


def keras_and_ours(in_channels, filters, kernel, strides, padding, return_sequences, seed):
    """A Keras ConvLSTM2D with random weights, and our layer with the same weights."""
    rng = np.random.default_rng(seed)
    library = keras.layers.ConvLSTM2D(
        filters,
        kernel,
        strides=strides,
        padding=padding,
        return_sequences=return_sequences,
        return_state=True,
    )
    library.build((None, None, 10, 13, in_channels))
    weights = [0.4 * rng.standard_normal(w.shape).astype("float32") for w in library.get_weights()]
    library.set_weights(weights)
    ours = ConvLSTM2D(in_channels, filters, kernel, strides, padding, return_sequences)
    ours.cell.load_keras_weights(weights)
    return library, ours


@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize(
    "kernel,strides", [(1, 1), (2, 1), (3, 1), ((3, 5), 1), (3, 2), (4, (2, 3))]
)
@pytest.mark.parametrize("in_channels,filters", [(1, 3), (4, 2)])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_convlstm2d_matches_keras_with_copied_weights(
    padding, kernel, strides, in_channels, filters, return_sequences
):
    library, ours = keras_and_ours(
        in_channels, filters, kernel, strides, padding, return_sequences, seed=filters
    )
    x = np.random.default_rng(1).standard_normal((3, 5, 10, 13, in_channels)).astype("float32")
    expected = [keras.ops.convert_to_numpy(t) for t in library(x)]
    with torch.no_grad():
        output, (h, c) = ours(channels_first(x))
    for mine, theirs in zip([output, h, c], expected, strict=True):
        assert channels_last(mine).shape == theirs.shape
        np.testing.assert_allclose(channels_last(mine), theirs, rtol=0, atol=ATOL)


def test_convlstm2d_carries_a_given_initial_state_as_keras_does():
    library, ours = keras_and_ours(2, 3, 3, 1, "same", True, seed=5)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 4, 10, 13, 2)).astype("float32")
    h0, c0 = (rng.standard_normal((2, 10, 13, 3)).astype("float32") for _ in range(2))
    expected = [keras.ops.convert_to_numpy(t) for t in library(x, initial_state=[h0, c0])]
    state = tuple(torch.from_numpy(np.ascontiguousarray(np.moveaxis(s, -1, 1))) for s in (h0, c0))
    with torch.no_grad():
        output, (h, c) = ours(channels_first(x), state)
    for mine, theirs in zip([output, h, c], expected, strict=True):
        np.testing.assert_allclose(channels_last(mine), theirs, rtol=0, atol=ATOL)


def test_convlstm_with_1x1_kernels_is_an_lstm_at_each_pixel_outputs_and_gradients():
    # A 1 x 1 kernel mixes channels but not pixels, so every pixel is a torch.nn.LSTM.
    in_channels, filters, batch, time, rows, cols = 3, 4, 2, 6, 5, 7
    lstm = torch.nn.LSTM(in_channels, filters, batch_first=True)
    ours = ConvLSTM2D(in_channels, filters, kernel_size=1, return_sequences=True)
    with torch.no_grad():
        ours.cell.weight_ih.copy_(lstm.weight_ih_l0[:, :, None, None])
        ours.cell.weight_hh.copy_(lstm.weight_hh_l0[:, :, None, None])
        ours.cell.bias.copy_(lstm.bias_ih_l0 + lstm.bias_hh_l0)
    x = torch.randn(batch, time, in_channels, rows, cols, requires_grad=True)
    x_lstm = x.detach().clone().requires_grad_(True)
    output, (h, c) = ours(x)
    # Every pixel of every sample becomes one sequence of the LSTM.
    pixels = x_lstm.permute(0, 3, 4, 1, 2).reshape(-1, time, in_channels)
    expected, (h_lstm, c_lstm) = lstm(pixels)
    expected = expected.reshape(batch, rows, cols, time, filters).permute(0, 3, 4, 1, 2)
    torch.testing.assert_close(output, expected, rtol=0, atol=ATOL)
    torch.testing.assert_close(
        c, c_lstm[0].reshape(batch, rows, cols, filters).permute(0, 3, 1, 2), rtol=0, atol=ATOL
    )
    weights = torch.randn_like(output)
    (output * weights).sum().backward()
    (expected * weights).sum().backward()
    torch.testing.assert_close(x.grad, x_lstm.grad, rtol=0, atol=ATOL)
    grad_ih = ours.cell.weight_ih.grad[:, :, 0, 0]
    torch.testing.assert_close(grad_ih, lstm.weight_ih_l0.grad, rtol=0, atol=1e-4)


@pytest.mark.parametrize("size,kernel,stride", [(10, 3, 1), (10, 2, 1), (10, 3, 2), (9, 4, 3)])
def test_same_padding_gives_the_output_size_keras_gives(size, kernel, stride):
    before, after = same_padding(size, kernel, stride)
    layer = keras.layers.Conv1D(1, kernel, strides=stride, padding="same")
    expected = layer.compute_output_shape((None, size, 1))[1]
    assert (size + before + after - kernel) // stride + 1 == expected
    assert after - before in (0, 1)


def test_a_sequence_of_frames_with_the_wrong_rank_is_refused():
    layer = ConvLSTM2D(2, 3)
    with pytest.raises(ValueError, match=r"expected sequences of shape \(batch, time >= 1, 2"):
        layer(torch.zeros(4, 2, 8, 8))
    with pytest.raises(ValueError, match=r"expected frames of shape \(batch, 2, rows, cols\)"):
        layer.cell(torch.zeros(4, 5, 2, 8, 8))


def test_frames_with_the_wrong_channel_count_are_refused():
    layer = ConvLSTM2D(2, 3)
    with pytest.raises(
        ValueError, match=r"\(batch, time >= 1, 2, rows, cols\), got \(1, 4, 3, 8, 8\)"
    ):
        layer(torch.zeros(1, 4, 3, 8, 8))
    with pytest.raises(ValueError, match=r"\(batch, 2, rows, cols\), got \(1, 1, 8, 8\)"):
        layer.cell(torch.zeros(1, 1, 8, 8))


def test_frames_smaller_than_a_valid_kernel_are_refused():
    layer = ConvLSTM2D(1, 2, kernel_size=5, padding="valid")
    with pytest.raises(ValueError, match=r"frames of at least \(5, 5\) with padding 'valid'"):
        layer(torch.zeros(1, 3, 1, 4, 9))


def test_a_state_of_the_wrong_shape_is_refused():
    cell = ConvLSTM2DCell(1, 2, kernel_size=3, padding="same")
    x = torch.zeros(2, 1, 6, 6)
    bad = (torch.zeros(2, 2, 5, 6), torch.zeros(2, 2, 6, 6))
    with pytest.raises(ValueError, match=r"expected h of shape \(2, 2, 6, 6\), got \(2, 2, 5, 6\)"):
        cell(x, bad)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"padding": "causal"}, "expected padding 'same' or 'valid'"),
        ({"kernel_size": 0}, "expected kernel_size as an int >= 1"),
        ({"kernel_size": (3, 3, 3)}, "expected kernel_size as an int >= 1"),
        ({"stride": 1.5}, "expected stride as an int >= 1"),
        ({"in_channels": 0}, "expected in_channels > 0"),
    ],
)
def test_bad_settings_are_refused_with_what_was_expected(kwargs, message):
    settings = {"in_channels": 1, "hidden_channels": 2, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        ConvLSTM2DCell(**settings)


def test_keras_weights_of_the_wrong_shape_are_refused():
    cell = ConvLSTM2DCell(2, 3, kernel_size=3)
    kernel = np.zeros((3, 3, 2, 12), "float32")
    recurrent = np.zeros((3, 3, 3, 12), "float32")
    with pytest.raises(
        ValueError, match=r"expected Keras weights \[kernel, recurrent_kernel, bias\]"
    ):
        cell.load_keras_weights([kernel, recurrent])
    with pytest.raises(ValueError, match=r"got \(12, 3, 5, 5\)"):
        cell.load_keras_weights([np.zeros((5, 5, 3, 12), "float32"), recurrent, np.zeros(12)])
