"""Recurrent cells from scratch in PyTorch: SimpleRNN, a simplified GRU, the GRU and the LSTM.

The parameter names and layouts are those of ``torch.nn.RNNCell``, ``GRUCell`` and
``LSTMCell``: ``weight_ih`` (blocks x hidden, input), ``weight_hh`` (blocks x hidden,
hidden), ``bias_ih`` and ``bias_hh``, with the blocks stacked in PyTorch's order. So
weights copy one-to-one. Sequences are batch-first. This file imports only PyTorch.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F


class _Cell(nn.Module):
    """Parameters and checks shared by the cells: ``blocks`` stacked linear maps."""

    blocks = 1

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        for name, value in [("input_size", input_size), ("hidden_size", hidden_size)]:
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{type(self).__name__} expected {name} > 0, got {value!r}")
        self.input_size = input_size
        self.hidden_size = hidden_size
        rows = self.blocks * hidden_size
        self.weight_ih = nn.Parameter(torch.empty(rows, input_size))
        self.weight_hh = nn.Parameter(torch.empty(rows, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(rows))
        self.bias_hh = nn.Parameter(torch.empty(rows))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # Draw every parameter from U(-1/sqrt(hidden), 1/sqrt(hidden)), as torch.nn does.
        bound = 1.0 / math.sqrt(self.hidden_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def initial_state(self, batch: int, like: torch.Tensor):
        return torch.zeros(batch, self.hidden_size, dtype=like.dtype, device=like.device)

    def check_input(self, x: torch.Tensor) -> None:
        if x.dim() != 2 or x.shape[1] != self.input_size:
            raise ValueError(
                f"{type(self).__name__} expected x of shape (batch, {self.input_size}), "
                f"got {tuple(x.shape)}"
            )

    def check_state(self, name: str, state: torch.Tensor, batch: int) -> None:
        if tuple(state.shape) != (batch, self.hidden_size):
            raise ValueError(
                f"{type(self).__name__} expected {name} of shape ({batch}, {self.hidden_size}), "
                f"got {tuple(state.shape)}"
            )

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}"


class RNNCell(_Cell):
    """SimpleRNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh)."""

    blocks = 1

    def forward(self, x: torch.Tensor, h: torch.Tensor | None = None) -> torch.Tensor:
        self.check_input(x)
        h = self.initial_state(x.shape[0], x) if h is None else h
        self.check_state("h", h, x.shape[0])
        return torch.tanh(
            F.linear(x, self.weight_ih, self.bias_ih) + F.linear(h, self.weight_hh, self.bias_hh)
        )


class SimplifiedGRUCell(_Cell):
    """A GRU with the update gate only; blocks in the order z (update), n (candidate).

    z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + W_hn h + b_hn)
    h' = (1 - z) * n + z * h
    """

    blocks = 2

    def forward(self, x: torch.Tensor, h: torch.Tensor | None = None) -> torch.Tensor:
        self.check_input(x)
        h = self.initial_state(x.shape[0], x) if h is None else h
        self.check_state("h", h, x.shape[0])
        # Both blocks read x and h; the gate is computed from the two, as in the full GRU.
        x_z, x_n = F.linear(x, self.weight_ih, self.bias_ih).chunk(2, dim=-1)
        h_z, h_n = F.linear(h, self.weight_hh, self.bias_hh).chunk(2, dim=-1)
        z = torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + h_n)
        return (1 - z) * n + z * h


class GRUCell(_Cell):
    """The GRU; blocks in PyTorch's order r (reset), z (update), n (candidate).

    With ``reset_after=True`` (PyTorch, cuDNN, Keras' default, and the first arXiv
    version of Cho et al. 2014, arXiv:1406.1078v1) the reset gate multiplies the
    recurrent product: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
    With ``reset_after=False`` (the published version of Cho et al. 2014, EMNLP,
    arXiv:1406.1078v3) it multiplies the state before the product:
    n = tanh(W_in x + b_in + W_hn (r * h) + b_hn).
    In both, h' = (1 - z) * n + z * h.
    """

    blocks = 3

    def __init__(self, input_size: int, hidden_size: int, reset_after: bool = True):
        self.reset_after = reset_after
        super().__init__(input_size, hidden_size)

    def forward(self, x: torch.Tensor, h: torch.Tensor | None = None) -> torch.Tensor:
        self.check_input(x)
        h = self.initial_state(x.shape[0], x) if h is None else h
        self.check_state("h", h, x.shape[0])
        x_r, x_z, x_n = F.linear(x, self.weight_ih, self.bias_ih).chunk(3, dim=-1)
        hidden = self.hidden_size
        # The gates read x and h, with the first two blocks of the recurrent weights.
        h_r, h_z = F.linear(h, self.weight_hh[: 2 * hidden], self.bias_hh[: 2 * hidden]).chunk(
            2, -1
        )
        r = torch.sigmoid(x_r + h_r)
        z = torch.sigmoid(x_z + h_z)
        # The candidate: the reset gate acts after or before the recurrent product.
        w_hn, b_hn = self.weight_hh[2 * hidden :], self.bias_hh[2 * hidden :]
        if self.reset_after:
            n = torch.tanh(x_n + r * F.linear(h, w_hn, b_hn))
        else:
            n = torch.tanh(x_n + F.linear(r * h, w_hn, b_hn))
        return (1 - z) * n + z * h

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, reset_after={self.reset_after}"


class LSTMCell(_Cell):
    """The LSTM; blocks in PyTorch's order i (input), f (forget), g (candidate), o (output).

    c' = f * c + i * g,  h' = o * tanh(c')
    """

    blocks = 4

    def forward(self, x: torch.Tensor, state=None) -> tuple[torch.Tensor, torch.Tensor]:
        self.check_input(x)
        if state is None:
            state = (self.initial_state(x.shape[0], x), self.initial_state(x.shape[0], x))
        h, c = state
        self.check_state("h", h, x.shape[0])
        self.check_state("c", c, x.shape[0])
        gates = F.linear(x, self.weight_ih, self.bias_ih) + F.linear(
            h, self.weight_hh, self.bias_hh
        )
        i, f, g, o = gates.chunk(4, dim=-1)
        # The cell state forgets part of itself and writes part of the candidate.
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c


class RNN(nn.Module):
    """Run a cell over a batch-first sequence ``(batch, time, input_size)``.

    Returns every hidden state ``(batch, time, hidden_size)`` and the final state:
    ``h`` for SimpleRNN and GRU cells, ``(h, c)`` for the LSTM cell.
    """

    def __init__(self, cell: _Cell):
        super().__init__()
        self.cell = cell

    def forward(self, x: torch.Tensor, state=None):
        if x.dim() != 3 or x.shape[2] != self.cell.input_size:
            raise ValueError(
                f"RNN expected x of shape (batch, time, {self.cell.input_size}), "
                f"got {tuple(x.shape)}"
            )
        outputs = []
        # Step through time; the state carries everything the cell remembers.
        for t in range(x.shape[1]):
            state = self.cell(x[:, t], state)
            outputs.append(state[0] if isinstance(state, tuple) else state)
        if not outputs:
            raise ValueError("RNN expected a sequence of at least one time step, got 0")
        return torch.stack(outputs, dim=1), state
