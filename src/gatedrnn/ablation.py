"""Cells for an ablation study of the gates, batched over models: Greff et al.'s LSTM variants,
the GRU, the simplified GRU and SimpleRNN.

Greff et al. (2017), "LSTM: A Search Space Odyssey", compare a *vanilla* LSTM with peepholes
against eight variants, each with one change:

========  ==========================================================================
vanilla   input, forget and output gates, peepholes, tanh on the candidate and on c_t
NIG       no input gate: i = 1
NFG       no forget gate: f = 1
NOG       no output gate: o = 1
NIAF      no input activation: the candidate is linear, g = z_g instead of tanh(z_g)
NOAF      no output activation: h = o * c instead of o * tanh(c)
NP        no peepholes: the LSTM of torch.nn.LSTMCell and keras.layers.LSTM
CIFG      coupled input and forget gate: i = 1 - f, no input block
FGR       full gate recurrence: each gate also reads the three gates of the step before
========  ==========================================================================

The vanilla cell, in PyTorch's block order i, f, g, o (candidate g, the paper's z):

    i = sigmoid(W_ii x + b_ii + W_hi h + b_hi + p_i * c)
    f = sigmoid(W_if x + b_if + W_hf h + b_hf + p_f * c)
    g = tanh(W_ig x + b_ig + W_hg h + b_hg)
    c' = f * c + i * g
    o = sigmoid(W_io x + b_io + W_ho h + b_ho + p_o * c')
    h' = o * tanh(c')

The peepholes p_i, p_f, p_o are vectors, one weight per unit (as in ``peephole_keras``): the
input and forget gates read the previous cell state, the output gate the new one. FGR adds
``weight_gg``, nine (hidden x hidden) blocks that feed the gates i, f, o of the step before
into each gate (rows: the gate fed, columns: the gate read, both in the order i, f, o); its
state carries those gates, starting at zero.

**Layout.** Each cell keeps PyTorch's names, ``weight_ih``, ``weight_hh``, ``bias_ih``,
``bias_hh``, with the blocks a variant has kept in PyTorch's order: i, f, g, o for the LSTM
(NIG and CIFG keep f, g, o; NFG i, g, o; NOG i, f, g), r, z, n for the GRU, and z, n for the
simplified GRU. So the weights of one model of ``LSTMVariantCell("NP")`` copy one-to-one from
and to ``torch.nn.LSTMCell`` (``model_state_dict`` and ``load_model_state_dict``).

**Batched over models.** A small recurrent cell on a CPU spends its time in the overhead of
many small operations per time step, not in arithmetic. So every parameter has a leading
*model* dimension: ``weight_ih`` is (models, blocks x hidden, input), and one cell holds
several independent models, for example the same variant from several seeds, which step
through time together with one ``torch.bmm`` per step instead of one small matrix product
per model. The models share nothing but the batch of inputs: the loss of the ensemble is the
sum of the models' losses, so each model's gradient is its own; Adam works element by
element; and `clip_grad_norm_per_model_` clips each model's gradient on its own, as
``torch.nn.utils.clip_grad_norm_`` would clip it alone. So training the ensemble trains
each model exactly as it would train by itself (the tests check it). Variants with the same
parameter shapes can share a cell too, one variant per model: vanilla, NIAF and NOAF
differ only in an activation, NIG and CIFG only in what stands for the input gate, and
the LSTM with three starts of its forget gate only in its biases.

**Seeds.** ``seeds=[0, 1, 2]`` makes one model per seed, each drawn from its own generator,
so model k of a cell is the model that ``seeds=[seeds[k]]`` makes alone. Without seeds, the
cell draws ``models`` models from PyTorch's global generator, as ``torch.nn`` does.

**Forget-gate start** (``forget_bias``, one value or one per model): ``None`` keeps the
uniform draws of ``torch.nn``; a number sets the forget block of ``bias_ih`` to it and that
of ``bias_hh`` to zero (Keras' ``unit_forget_bias`` is 1); ``"chrono"`` is the chrono
initialisation of Tallec & Ollivier (2018): b_f = log(u) with u drawn from U(1, t_max - 1),
and b_i = -b_f where the cell has an input gate.

This file imports only PyTorch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

#: Greff et al.'s vanilla LSTM and its eight variants, in the order of their paper.
LSTM_VARIANTS = ("vanilla", "NIG", "NFG", "NOG", "NIAF", "NOAF", "NP", "CIFG", "FGR")
#: The other cells of the study: the GRU, the simplified GRU and SimpleRNN.
OTHER_CELLS = ("GRU", "SGRU", "SimpleRNN")


@dataclass(frozen=True)
class Variant:
    """What an LSTM variant keeps of Greff et al.'s vanilla LSTM."""

    input_gate: bool = True
    forget_gate: bool = True
    output_gate: bool = True
    input_activation: bool = True
    output_activation: bool = True
    peepholes: bool = True
    coupled: bool = False
    gate_recurrence: bool = False

    @property
    def blocks(self) -> str:
        """The blocks of the weights, in PyTorch's order: a subset of ``"ifgo"``."""
        kept = {
            "i": self.input_gate and not self.coupled,
            "f": self.forget_gate,
            "g": True,
            "o": self.output_gate,
        }
        return "".join(block for block, keep in kept.items() if keep)

    @property
    def peephole_gates(self) -> str:
        """The gates with a peephole vector: those of ``"ifo"`` that have a block."""
        return "".join(gate for gate in "ifo" if self.peepholes and gate in self.blocks)


VARIANTS = {
    "vanilla": Variant(),
    "NIG": Variant(input_gate=False),
    "NFG": Variant(forget_gate=False),
    "NOG": Variant(output_gate=False),
    "NIAF": Variant(input_activation=False),
    "NOAF": Variant(output_activation=False),
    "NP": Variant(peepholes=False),
    "CIFG": Variant(coupled=True),
    "FGR": Variant(gate_recurrence=True),
}


def parameter_count(kind: str, input_size: int, hidden_size: int) -> int:
    """The parameters of one model of a cell, by formula.

    An LSTM variant with k blocks has k(n m + n^2 + 2n) in PyTorch's layout (two bias
    vectors), plus n per peephole and 9 n^2 for FGR's gate recurrence; the GRU has 3 blocks,
    the simplified GRU 2 and SimpleRNN 1, with n units and m inputs.
    """
    n, m = hidden_size, input_size
    if kind in VARIANTS:
        variant = VARIANTS[kind]
        count = len(variant.blocks) * (n * m + n * n + 2 * n) + n * len(variant.peephole_gates)
        return count + (9 * n * n if variant.gate_recurrence else 0)
    blocks = {"GRU": 3, "SGRU": 2, "SimpleRNN": 1}
    if kind not in blocks:
        raise ValueError(f"expected a cell in {LSTM_VARIANTS + OTHER_CELLS}, got {kind!r}")
    return blocks[kind] * (n * m + n * n + 2 * n)


def _check_size(owner: str, name: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{owner} expected {name} > 0, got {value!r}")


def _model_seeds(owner: str, models: int | None, seeds: Sequence[int] | None) -> list:
    """One entry per model: its seed, or None to draw from the global generator."""
    if seeds is None:
        _check_size(owner, "models", 1 if models is None else models)
        return [None] * (1 if models is None else models)
    seeds = list(seeds)
    if not seeds or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        raise ValueError(f"{owner} expected seeds as a non-empty list of ints, got {seeds!r}")
    if models is not None and models != len(seeds):
        raise ValueError(f"{owner} expected models == len(seeds), got {models} and {seeds}")
    return seeds


class _Batched(nn.Module):
    """Parameters with a leading model dimension, each model drawn from its own seed."""

    def __init__(self, models: int | None, seeds: Sequence[int] | None):
        super().__init__()
        self.seeds = _model_seeds(type(self).__name__, models, seeds)
        self.models = len(self.seeds)

    def _draw(self, init) -> None:
        """Fill every parameter, model by model: ``init(name, tensor, generator)``."""
        with torch.no_grad():
            if self.seeds[0] is None:
                for name, parameter in self.named_parameters(recurse=False):
                    init(name, parameter, None)
                return
            for model, seed in enumerate(self.seeds):
                generator = torch.Generator(device="cpu").manual_seed(seed)
                for name, parameter in self.named_parameters(recurse=False):
                    values = torch.empty(parameter.shape[1:], dtype=parameter.dtype)
                    init(name, values, generator)
                    parameter[model].copy_(values)

    def model_state_dict(self, model: int) -> dict[str, torch.Tensor]:
        """The parameters of one model, named and shaped as in ``torch.nn`` (a copy)."""
        if not 0 <= model < self.models:
            raise ValueError(f"expected a model index in [0, {self.models}), got {model}")
        return {name: p[model].detach().clone() for name, p in self.named_parameters()}

    def load_model_state_dict(self, model: int, state: dict[str, torch.Tensor]) -> None:
        """Copy the parameters of one model from a ``torch.nn`` state dict of the same names."""
        own = dict(self.named_parameters())
        if set(state) != set(own):
            raise ValueError(f"expected parameters {sorted(own)}, got {sorted(state)}")
        with torch.no_grad():
            for name, value in state.items():
                if tuple(value.shape) != tuple(own[name].shape[1:]):
                    raise ValueError(
                        f"expected {name} of shape {tuple(own[name].shape[1:])}, "
                        f"got {tuple(value.shape)}"
                    )
                own[name][model].copy_(value)


def _uniform(bound: float):
    def init(name, tensor, generator):
        tensor.uniform_(-bound, bound, generator=generator)

    return init


class _Cell(_Batched):
    """What the cells share: blocks of stacked weights, the input projection, the checks."""

    #: Whether `project` adds b_hh to the input's projection (where the two biases only add).
    recurrent_bias_in_projection = True

    def __init__(self, input_size, hidden_size, blocks, models, seeds):
        super().__init__(models, seeds)
        _check_size(type(self).__name__, "input_size", input_size)
        _check_size(type(self).__name__, "hidden_size", hidden_size)
        self.input_size, self.hidden_size = input_size, hidden_size
        rows = blocks * hidden_size
        self.weight_ih = nn.Parameter(torch.empty(self.models, rows, input_size))
        self.weight_hh = nn.Parameter(torch.empty(self.models, rows, hidden_size))
        self.bias_ih = nn.Parameter(torch.empty(self.models, rows))
        self.bias_hh = nn.Parameter(torch.empty(self.models, rows))

    def reset_parameters(self) -> None:
        # Every parameter from U(-1/sqrt(hidden), 1/sqrt(hidden)), as torch.nn draws them.
        self._draw(_uniform(1.0 / math.sqrt(self.hidden_size)))

    def project(self, x: torch.Tensor) -> torch.Tensor:
        """W_ih x + b_ih + b_hh for one step or a whole sequence, for every model.

        ``x`` is (batch, [time,] input), the same for every model, or (models, batch,
        [time,] input); the result is (models, batch, [time,] blocks x hidden).
        """
        if x.dim() not in (2, 3, 4) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"{type(self).__name__} expected x of shape (batch, {self.input_size}), "
                f"(batch, time, {self.input_size}) or (models, batch, time, {self.input_size}),"
                f" got {tuple(x.shape)}"
            )
        if x.dim() == 4 and x.shape[0] != self.models:
            raise ValueError(
                f"{type(self).__name__} expected {self.models} models in x's first dimension, "
                f"got {tuple(x.shape)}"
            )
        shared = x.dim() < 4
        flat = x.reshape(1 if shared else self.models, -1, self.input_size)
        flat = flat.expand(self.models, -1, -1)
        bias = self.bias_ih + self.bias_hh if self.recurrent_bias_in_projection else self.bias_ih
        projected = torch.baddbmm(bias.unsqueeze(1), flat, self.weight_ih.transpose(1, 2))
        leading = x.shape[:-1] if shared else x.shape[1:-1]
        return projected.reshape(self.models, *leading, -1)

    def zeros(self, batch: int, like: torch.Tensor, size: int | None = None) -> torch.Tensor:
        shape = (self.models, batch, size or self.hidden_size)
        return torch.zeros(shape, dtype=like.dtype, device=like.device)

    def check_state(self, name: str, state: torch.Tensor, batch: int, size=None) -> None:
        expected = (self.models, batch, size or self.hidden_size)
        if tuple(state.shape) != expected:
            raise ValueError(
                f"{type(self).__name__} expected {name} of shape {expected}, "
                f"got {tuple(state.shape)}"
            )

    def forward(self, x: torch.Tensor, state=None):
        """One time step, for every model: the state (``h``, or a tuple) after reading x.

        ``x`` is (batch, input) or (models, batch, input).
        """
        if x.dim() not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} expected x of shape (batch, {self.input_size}) or "
                f"(models, batch, {self.input_size}), got {tuple(x.shape)}"
            )
        projected = self.project(x.unsqueeze(-2) if x.dim() == 3 else x)
        projected = projected.squeeze(-2) if x.dim() == 3 else projected
        return self.step(projected, self.start(projected) if state is None else state)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}, models={self.models}"


class LSTMVariantCell(_Cell):
    """Greff et al.'s LSTM variants (`LSTM_VARIANTS`), for several models at once.

    ``variant`` names one variant for every model, or one per model. Variants with the same
    parameter shapes can share a cell: vanilla, NIAF and NOAF (which differ only in an
    activation), or NIG and CIFG (which differ only in what stands for the input gate).
    The state is ``(h, c)``, each (models, batch, hidden), and ``(h, c, gates)`` for FGR,
    whose ``gates`` (models, batch, 3 x hidden) holds i, f, o of the last step.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        variant: str | Sequence[str] = "vanilla",
        *,
        models: int | None = None,
        seeds: Sequence[int] | None = None,
        forget_bias=None,
        chrono_t_max: float | None = None,
    ):
        names = [variant] if isinstance(variant, str) else list(variant)
        for name in names:
            if name not in VARIANTS:
                raise ValueError(
                    f"LSTMVariantCell expected a variant in {LSTM_VARIANTS}, got {name!r}"
                )
        if not names:
            raise ValueError("LSTMVariantCell expected at least one variant, got none")
        self.spec = VARIANTS[names[0]]
        shape = (self.spec.blocks, self.spec.peephole_gates, self.spec.gate_recurrence)
        for name in names:
            spec = VARIANTS[name]
            if (spec.blocks, spec.peephole_gates, spec.gate_recurrence) != shape:
                raise ValueError(
                    "LSTMVariantCell expected variants with the same parameter shapes in one "
                    f"cell, got {names[0]} (blocks {shape[0]}) and {name} (blocks {spec.blocks})"
                )
        super().__init__(input_size, hidden_size, len(self.spec.blocks), models, seeds)
        if len(names) == 1:
            names = names * self.models
        if len(names) != self.models:
            raise ValueError(
                f"LSTMVariantCell expected one variant or one per model ({self.models}), "
                f"got {len(names)}"
            )
        self.variants = names
        self.variant = names[0] if len(set(names)) == 1 else names
        # What may differ between the models of one cell: a mask over the models for each.
        for flag in ("input_activation", "output_activation", "coupled"):
            mask = torch.tensor([getattr(VARIANTS[n], flag) for n in names])
            self.register_buffer(f"{flag}_mask", mask.view(-1, 1, 1), persistent=False)
        for gate in self.spec.peephole_gates:
            self.register_parameter(
                f"peephole_{gate}", nn.Parameter(torch.empty(self.models, hidden_size))
            )
        if self.spec.gate_recurrence:
            self.weight_gg = nn.Parameter(
                torch.empty(self.models, 3 * hidden_size, 3 * hidden_size)
            )
        self.chrono_t_max = chrono_t_max
        self.forget_bias = self._forget_starts(forget_bias, chrono_t_max)
        self.reset_parameters()

    def _forget_starts(self, forget_bias, t_max) -> list:
        many = isinstance(forget_bias, (list, tuple))
        starts = list(forget_bias) if many else [forget_bias] * self.models
        if len(starts) != self.models:
            raise ValueError(
                f"LSTMVariantCell expected one forget_bias per model ({self.models}), "
                f"got {forget_bias!r}"
            )
        for start in starts:
            if start is None:
                continue
            if "f" not in self.spec.blocks:
                raise ValueError(
                    f"LSTMVariantCell expected forget_bias=None for {self.variants[0]}, which "
                    f"has no forget gate, got {start!r}"
                )
            if isinstance(start, str):
                if start != "chrono":
                    raise ValueError(
                        "LSTMVariantCell expected forget_bias None, a number or 'chrono', "
                        f"got {start!r}"
                    )
                if t_max is None or not t_max > 2:
                    raise ValueError(
                        "LSTMVariantCell expected chrono_t_max > 2 with forget_bias='chrono', "
                        f"got {t_max!r}"
                    )
            elif isinstance(start, bool) or not isinstance(start, (int, float)):
                raise ValueError(
                    "LSTMVariantCell expected forget_bias None, a number or 'chrono', "
                    f"got {start!r}"
                )
        return starts

    def reset_parameters(self) -> None:
        super().reset_parameters()
        hidden, blocks = self.hidden_size, self.spec.blocks

        def rows(block):
            index = blocks.index(block)
            return slice(index * hidden, (index + 1) * hidden)

        with torch.no_grad():
            for model, start in enumerate(self.forget_bias):
                if start is None:
                    continue
                self.bias_hh[model, rows("f")] = 0.0
                if start != "chrono":
                    self.bias_ih[model, rows("f")] = float(start)
                    continue
                # Chrono: b_f = log(u), u from U(1, t_max - 1), and b_i = -b_f.
                seed = self.seeds[model]
                generator = None if seed is None else torch.Generator().manual_seed(seed + 1)
                u = torch.empty(hidden).uniform_(1.0, self.chrono_t_max - 1, generator=generator)
                self.bias_ih[model, rows("f")] = torch.log(u)
                if "i" in blocks:
                    self.bias_ih[model, rows("i")] = -torch.log(u)
                    self.bias_hh[model, rows("i")] = 0.0

    def start(self, projected: torch.Tensor):
        """The zero state for a batch of the projected input."""
        batch = projected.shape[1]
        state = (self.zeros(batch, projected), self.zeros(batch, projected))
        if self.spec.gate_recurrence:
            state += (self.zeros(batch, projected, 3 * self.hidden_size),)
        return state

    def _where(self, flag: str, applied: torch.Tensor, plain: torch.Tensor) -> torch.Tensor:
        """``applied`` for the models whose variant has ``flag``, ``plain`` for the others."""
        mask = getattr(self, f"{flag}_mask")
        return torch.where(mask, applied, plain)

    def _activation(self, flag: str, x: torch.Tensor) -> torch.Tensor:
        """tanh(x) where the models' variant keeps this activation, x where it drops it."""
        if all(getattr(VARIANTS[n], flag) for n in self.variants):
            return torch.tanh(x)
        if not any(getattr(VARIANTS[n], flag) for n in self.variants):
            return x
        return self._where(flag, torch.tanh(x), x)

    def step(self, projected: torch.Tensor, state):
        """One step from the projected input (models, batch, blocks x hidden)."""
        spec, hidden = self.spec, self.hidden_size
        if not isinstance(state, tuple) or len(state) != 2 + spec.gate_recurrence:
            raise ValueError(
                f"LSTMVariantCell({self.variant!r}) expected a state of "
                f"{2 + spec.gate_recurrence} tensors, got {type(state).__name__}"
            )
        batch = projected.shape[1]
        h, c = state[:2]
        self.check_state("h", h, batch)
        self.check_state("c", c, batch)
        z = torch.baddbmm(projected, h, self.weight_hh.transpose(1, 2))
        blocks = dict(zip(spec.blocks, z.split(hidden, dim=-1), strict=True))
        if spec.gate_recurrence:
            # FGR: every gate also reads the gates i, f, o of the step before.
            self.check_state("gates", state[2], batch, 3 * hidden)
            fed = torch.bmm(state[2], self.weight_gg.transpose(1, 2)).split(hidden, dim=-1)
            for gate, extra in zip("ifo", fed, strict=True):
                blocks[gate] = blocks[gate] + extra

        def gate(name, cell_state):
            if name not in spec.peephole_gates:
                return torch.sigmoid(blocks[name])
            peephole = getattr(self, f"peephole_{name}").unsqueeze(1)
            return torch.sigmoid(torch.addcmul(blocks[name], peephole, cell_state))

        # The input and forget gates read the previous cell state through their peepholes.
        f = gate("f", c) if spec.forget_gate else None
        if "i" in spec.blocks:
            i = gate("i", c)
        elif all(VARIANTS[n].coupled for n in self.variants):
            i = 1 - f  # CIFG
        elif any(VARIANTS[n].coupled for n in self.variants):
            i = self._where("coupled", 1 - f, torch.ones_like(f))  # CIFG and NIG in one cell
        else:
            i = None  # NIG: the input gate is 1
        g = self._activation("input_activation", blocks["g"])
        kept = c if f is None else f * c
        c = kept + g if i is None else torch.addcmul(kept, i, g)
        # The output gate reads the new cell state.
        squashed = self._activation("output_activation", c)
        o = gate("o", c) if spec.output_gate else None
        h = squashed if o is None else o * squashed
        if not spec.gate_recurrence:
            return h, c
        return h, c, torch.cat([i, f, o], dim=-1)


class GRUCell(_Cell):
    """The GRU of ``torch.nn.GRUCell`` (blocks r, z, n; the reset gate after the product),
    for several models at once; the state is h, (models, batch, hidden)."""

    #: The candidate's recurrent bias sits inside the reset gate's product: b_hh joins in the step.
    recurrent_bias_in_projection = False

    def __init__(self, input_size, hidden_size, *, models=None, seeds=None):
        super().__init__(input_size, hidden_size, 3, models, seeds)
        self.reset_parameters()

    def start(self, projected):
        return self.zeros(projected.shape[1], projected)

    def step(self, projected, h):
        self.check_state("h", h, projected.shape[1])
        x_r, x_z, x_n = projected.chunk(3, dim=-1)
        h_r, h_z, h_n = torch.baddbmm(
            self.bias_hh.unsqueeze(1), h, self.weight_hh.transpose(1, 2)
        ).chunk(3, dim=-1)
        r = torch.sigmoid(x_r + h_r)
        z = torch.sigmoid(x_z + h_z)
        n = torch.tanh(torch.addcmul(x_n, r, h_n))
        # h' = (1 - z) n + z h, in one operation.
        return torch.lerp(n, h, z)


class SimplifiedGRUCell(_Cell):
    """The simplified GRU of the GRU chapter (blocks z, n; no reset gate), for several models:
    z = sigmoid(...), n = tanh(W_in x + b_in + W_hn h + b_hn), h' = (1 - z) n + z h."""

    def __init__(self, input_size, hidden_size, *, models=None, seeds=None):
        super().__init__(input_size, hidden_size, 2, models, seeds)
        self.reset_parameters()

    def start(self, projected):
        return self.zeros(projected.shape[1], projected)

    def step(self, projected, h):
        self.check_state("h", h, projected.shape[1])
        pre_z, pre_n = torch.baddbmm(projected, h, self.weight_hh.transpose(1, 2)).chunk(2, -1)
        z, n = torch.sigmoid(pre_z), torch.tanh(pre_n)
        # h' = (1 - z) n + z h, in one operation.
        return torch.lerp(n, h, z)


class RNNCell(_Cell):
    """SimpleRNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh), for several models at once."""

    def __init__(self, input_size, hidden_size, *, models=None, seeds=None, orthogonal=False):
        self.orthogonal = orthogonal
        super().__init__(input_size, hidden_size, 1, models, seeds)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        super().reset_parameters()
        if not self.orthogonal:
            return
        # Orthogonal recurrent weights, as Keras' SimpleRNN starts them.
        with torch.no_grad():
            for model, seed in enumerate(self.seeds):
                generator = None if seed is None else torch.Generator().manual_seed(seed + 2)
                matrix = torch.randn(self.hidden_size, self.hidden_size, generator=generator)
                q, r = torch.linalg.qr(matrix)
                self.weight_hh[model] = q * torch.sign(torch.diagonal(r))

    def start(self, projected):
        return self.zeros(projected.shape[1], projected)

    def step(self, projected, h):
        self.check_state("h", h, projected.shape[1])
        return torch.tanh(torch.baddbmm(projected, h, self.weight_hh.transpose(1, 2)))


def make_cell(kind: str, input_size: int, hidden_size: int, **options) -> _Cell:
    """A cell of the study by name: one of `LSTM_VARIANTS` or `OTHER_CELLS`."""
    if kind in VARIANTS:
        return LSTMVariantCell(input_size, hidden_size, kind, **options)
    cells = {"GRU": GRUCell, "SGRU": SimplifiedGRUCell, "SimpleRNN": RNNCell}
    if kind not in cells:
        raise ValueError(f"expected a cell in {LSTM_VARIANTS + OTHER_CELLS}, got {kind!r}")
    return cells[kind](input_size, hidden_size, **options)


def unroll(cell: _Cell, x: torch.Tensor, state=None):
    """Run a cell over a batch-first sequence, for every model at once.

    ``x`` is (batch, time, input), the same for every model, or (models, batch, time,
    input). Returns the hidden states (models, batch, time, hidden) and the final state.
    The input is projected for all steps in one product before the loop.
    """
    if x.dim() not in (3, 4) or x.shape[-2] == 0:
        raise ValueError(
            f"unroll expected x of shape (batch, time, input) or (models, batch, time, input) "
            f"with time > 0, got {tuple(x.shape)}"
        )
    projected = cell.project(x)
    state = cell.start(projected[:, :, 0]) if state is None else state
    outputs = []
    # unbind, not indexing: its backward stacks the steps' gradients once, where each
    # index's backward would fill a zero tensor of the whole sequence.
    for projected_t in projected.unbind(2):
        state = cell.step(projected_t, state)
        outputs.append(state[0] if isinstance(state, tuple) else state)
    return torch.stack(outputs, dim=2), state


class Linear(_Batched):
    """``torch.nn.Linear`` for several models at once: (models, ..., in) -> (models, ..., out)."""

    def __init__(self, in_features, out_features, *, models=None, seeds=None):
        super().__init__(models, seeds)
        _check_size("Linear", "in_features", in_features)
        _check_size("Linear", "out_features", out_features)
        self.weight = nn.Parameter(torch.empty(self.models, out_features, in_features))
        self.bias = nn.Parameter(torch.empty(self.models, out_features))
        # U(-1/sqrt(in), 1/sqrt(in)) for both, the bounds of torch.nn.Linear.
        self._draw(_uniform(1.0 / math.sqrt(in_features)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() < 2 or x.shape[0] != self.models or x.shape[-1] != self.weight.shape[2]:
            raise ValueError(
                f"Linear expected x of shape ({self.models}, ..., {self.weight.shape[2]}), "
                f"got {tuple(x.shape)}"
            )
        flat = x.reshape(self.models, -1, x.shape[-1])
        out = torch.baddbmm(self.bias.unsqueeze(1), flat, self.weight.transpose(1, 2))
        return out.reshape(*x.shape[:-1], -1)


class Embedding(_Batched):
    """``torch.nn.Embedding`` for several models: indices (batch, time) -> (models, batch,
    time, dim), each model with its own table drawn from N(0, 1), as torch.nn draws it."""

    def __init__(self, num_embeddings, embedding_dim, *, models=None, seeds=None):
        super().__init__(models, seeds)
        _check_size("Embedding", "num_embeddings", num_embeddings)
        _check_size("Embedding", "embedding_dim", embedding_dim)
        self.weight = nn.Parameter(torch.empty(self.models, num_embeddings, embedding_dim))
        self._draw(lambda name, tensor, generator: tensor.normal_(generator=generator))

    def forward(self, indices: torch.Tensor) -> torch.Tensor:
        return self.weight[:, indices]


def clip_grad_norm_per_model_(parameters: Iterable[torch.Tensor], max_norm: float):
    """Clip each model's gradient to a norm of ``max_norm``, as ``torch.nn.utils.
    clip_grad_norm_`` clips the gradient of a model on its own; return the models' norms.

    Every parameter has the model dimension first. One norm over all of them together
    would let one model's large gradient shrink the others' steps.
    """
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        raise ValueError("clip_grad_norm_per_model_ expected parameters with gradients")
    models = grads[0].shape[0]
    if any(g.dim() == 0 or g.shape[0] != models for g in grads):
        raise ValueError(
            "clip_grad_norm_per_model_ expected every gradient to have the model dimension "
            f"{models} first, got {[tuple(g.shape) for g in grads]}"
        )
    squares = sum(g.reshape(models, -1).pow(2).sum(dim=1) for g in grads)
    norms = squares.sqrt()
    # The factor of torch.nn.utils.clip_grad_norm_, with its 1e-6, for each model.
    scale = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(scale.view(models, *[1] * (g.dim() - 1)))
    return norms
