"""ConvLSTM from scratch in PyTorch: the cell and the layer that ``keras.layers.ConvLSTM2D`` is.

A ConvLSTM is an LSTM whose matrix products are convolutions, so its input, hidden state
and cell state are images. This module computes exactly what ``keras.layers.ConvLSTM2D``
computes with its default activations:

- the gates and the candidate come in the order i, f, g, o, as in ``torch.nn.LSTM``;
- the input convolution uses the layer's ``stride`` and ``padding``;
- the recurrent convolution always uses stride 1 and "same" padding, so the state keeps
  its size from step to step;
- there are no peephole terms, and one bias per block.

Tensors use PyTorch's channels-first layout. A frame is ``(batch, channels, rows, cols)``
and a sequence is ``(batch, time, channels, rows, cols)``. The parameters are
``weight_ih`` of shape ``(4 * hidden_channels, in_channels, kh, kw)``, ``weight_hh`` of
shape ``(4 * hidden_channels, hidden_channels, kh, kw)`` and ``bias`` of shape
``(4 * hidden_channels,)``. Keras stores the same numbers as ``kernel`` with shape
``(kh, kw, in_channels, 4 * filters)``, so ``weight_ih = kernel.transpose(3, 2, 0, 1)``.
This file imports only PyTorch.
"""

import torch
from torch import nn
from torch.nn import functional as F

PADDINGS = ("same", "valid")


def _pair(value, name: str, owner: str) -> tuple[int, int]:
    """Read an int or a pair of ints, each at least 1."""
    pair = (value, value) if isinstance(value, int) else value
    if (
        not isinstance(pair, (tuple, list))
        or len(pair) != 2
        or not all(isinstance(v, int) and v >= 1 for v in pair)
    ):
        raise ValueError(f"{owner} expected {name} as an int >= 1 or a pair of them, got {value!r}")
    return tuple(pair)


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """The zeros that "same" padding adds before and after one axis, as Keras does.

    The output has ``ceil(size / stride)`` positions. When the padding is odd, the extra
    zero goes after (to the bottom or the right), as in TensorFlow.
    """
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class ConvLSTM2DCell(nn.Module):
    """One step of a 2D ConvLSTM: ``(h, c) = cell(x, (h, c))`` on frames of shape (N, C, H, W).

    i = sigmoid(W_i * x + U_i * h + b_i)    f = sigmoid(W_f * x + U_f * h + b_f)
    g = tanh(W_g * x + U_g * h + b_g)       o = sigmoid(W_o * x + U_o * h + b_o)
    c' = f . c + i . g                       h' = o . tanh(c')
    where * is a 2D convolution and . the element-wise product.
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size=3,
        stride=1,
        padding: str = "valid",
    ):
        super().__init__()
        owner = type(self).__name__
        for name, value in [("in_channels", in_channels), ("hidden_channels", hidden_channels)]:
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{owner} expected {name} > 0, got {value!r}")
        if padding not in PADDINGS:
            raise ValueError(f"{owner} expected padding 'same' or 'valid', got {padding!r}")
        self.in_channels = in_channels
        self.hidden_channels = hidden_channels
        self.kernel_size = _pair(kernel_size, "kernel_size", owner)
        self.stride = _pair(stride, "stride", owner)
        self.padding = padding
        blocks = 4 * hidden_channels
        self.weight_ih = nn.Parameter(torch.empty(blocks, in_channels, *self.kernel_size))
        self.weight_hh = nn.Parameter(torch.empty(blocks, hidden_channels, *self.kernel_size))
        self.bias = nn.Parameter(torch.empty(blocks))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # Start as Keras does: Glorot-uniform input kernels, orthogonal recurrent kernels,
        # and zero biases except the forget gate's, which starts at 1 (`unit_forget_bias`).
        nn.init.xavier_uniform_(self.weight_ih)
        nn.init.orthogonal_(self.weight_hh)
        with torch.no_grad():
            self.bias.zero_()
            self.bias[self.hidden_channels : 2 * self.hidden_channels] = 1.0

    @torch.no_grad()
    def load_keras_weights(self, weights) -> None:
        """Copy ``[kernel, recurrent_kernel, bias]`` from a ``keras.layers.ConvLSTM2D``.

        Keras keeps channels last, ``(kh, kw, in, 4 x filters)``; PyTorch keeps the blocks
        first, ``(4 x hidden, in, kh, kw)``. The blocks are in the same order, i, f, g, o.
        """
        if len(weights) != 3:
            raise ValueError(
                f"{type(self).__name__} expected Keras weights [kernel, recurrent_kernel, bias] "
                f"(use_bias=True), got {len(weights)} arrays"
            )
        for parameter, value in zip(self.parameters(), weights, strict=True):
            value = torch.as_tensor(value, dtype=parameter.dtype)
            if value.dim() == 4:
                value = value.permute(3, 2, 0, 1)
            if value.shape != parameter.shape:
                raise ValueError(
                    f"{type(self).__name__} expected Keras weights of shapes "
                    f"{[tuple(p.shape) for p in self.parameters()]} once transposed, "
                    f"got {tuple(value.shape)}"
                )
            parameter.copy_(value)

    def output_size(self, rows: int, cols: int) -> tuple[int, int]:
        """The size of the states for input frames of ``rows`` x ``cols``."""
        size = []
        for n, k, s in zip((rows, cols), self.kernel_size, self.stride, strict=True):
            size.append(-(-n // s) if self.padding == "same" else (n - k) // s + 1)
        if min(size) < 1:
            raise ValueError(
                f"{type(self).__name__} expected frames of at least {self.kernel_size} "
                f"with padding 'valid', got {rows} x {cols}"
            )
        return size[0], size[1]

    def _pad_same(self, x: torch.Tensor, stride: tuple[int, int]) -> torch.Tensor:
        (top, bottom), (left, right) = (
            same_padding(n, k, s)
            for n, k, s in zip(x.shape[-2:], self.kernel_size, stride, strict=True)
        )
        return F.pad(x, (left, right, top, bottom))

    def input_conv(self, x: torch.Tensor) -> torch.Tensor:
        """The input's share of all four blocks, ``W * x + b``: (N, 4 x hidden, H', W')."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f"{type(self).__name__} expected frames of shape "
                f"(batch, {self.in_channels}, rows, cols), got {tuple(x.shape)}"
            )
        self.output_size(*x.shape[-2:])  # Fail with a clear message on frames too small.
        if self.padding == "same":
            x = self._pad_same(x, self.stride)
        return F.conv2d(x, self.weight_ih, self.bias, stride=self.stride)

    def recurrent_conv(self, h: torch.Tensor) -> torch.Tensor:
        """The hidden state's share of the four blocks, ``U * h``, with stride 1 and "same"."""
        return F.conv2d(self._pad_same(h, (1, 1)), self.weight_hh)

    def step(self, gates_x: torch.Tensor, state=None) -> tuple[torch.Tensor, torch.Tensor]:
        """Advance the state, given the input's share of the gates from :meth:`input_conv`."""
        batch, _, rows, cols = gates_x.shape
        shape = (batch, self.hidden_channels, rows, cols)
        if state is None:
            zeros = gates_x.new_zeros(shape)
            state = (zeros, zeros)
        h, c = state
        for name, value in [("h", h), ("c", c)]:
            if tuple(value.shape) != shape:
                raise ValueError(
                    f"{type(self).__name__} expected {name} of shape {shape}, "
                    f"got {tuple(value.shape)}"
                )
        i, f, g, o = (gates_x + self.recurrent_conv(h)).chunk(4, dim=1)
        # The cell state forgets part of itself and writes part of the candidate, pixel by pixel.
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c

    def forward(self, x: torch.Tensor, state=None) -> tuple[torch.Tensor, torch.Tensor]:
        return self.step(self.input_conv(x), state)

    def extra_repr(self) -> str:
        return (
            f"{self.in_channels}, {self.hidden_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding!r}"
        )


class ConvLSTM2D(nn.Module):
    """Run a :class:`ConvLSTM2DCell` over sequences of frames ``(batch, time, C, H, W)``.

    Returns the hidden states of every step ``(batch, time, hidden, H', W')`` when
    ``return_sequences`` is true and the last one ``(batch, hidden, H', W')`` otherwise,
    together with the final state ``(h, c)``.
    """

    def __init__(
        self,
        in_channels: int,
        hidden_channels: int,
        kernel_size=3,
        stride=1,
        padding: str = "valid",
        return_sequences: bool = False,
    ):
        super().__init__()
        self.cell = ConvLSTM2DCell(in_channels, hidden_channels, kernel_size, stride, padding)
        self.return_sequences = return_sequences

    def forward(self, x: torch.Tensor, state=None):
        if x.dim() != 5 or x.shape[2] != self.cell.in_channels or x.shape[1] < 1:
            raise ValueError(
                f"ConvLSTM2D expected sequences of shape "
                f"(batch, time >= 1, {self.cell.in_channels}, rows, cols), got {tuple(x.shape)}"
            )
        batch, time = x.shape[:2]
        # The input convolution does not depend on the state: run it for all steps at once.
        gates_x = self.cell.input_conv(x.flatten(0, 1)).unflatten(0, (batch, time))
        outputs = []
        # Step through time; only the recurrent convolution is left inside the loop.
        # (`unbind` splits the steps once; indexing `gates_x[:, t]` at each step would make
        # the backward pass fill a full-size gradient per step.)
        for gates_t in gates_x.unbind(1):
            state = self.cell.step(gates_t, state)
            outputs.append(state[0])
        output = torch.stack(outputs, dim=1) if self.return_sequences else outputs[-1]
        return output, state

    def extra_repr(self) -> str:
        return f"return_sequences={self.return_sequences}"
