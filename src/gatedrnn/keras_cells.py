"""Recurrent cells from scratch in Keras 3: SimpleRNN, a simplified GRU, the GRU and the LSTM.

Each cell is a ``keras.layers.Layer`` with ``state_size`` and ``call(inputs, states)``,
so it runs inside ``keras.layers.RNN``. The weights are named and laid out as in
``keras.layers.SimpleRNNCell``, ``GRUCell`` and ``LSTMCell``: ``kernel`` (input,
blocks x units), ``recurrent_kernel`` (units, blocks x units) and ``bias``, with the
blocks in Keras' order. So weights copy one-to-one. This file imports only Keras.
"""

import keras
from keras import ops


class _Cell(keras.layers.Layer):
    """Weights and checks shared by the cells: ``blocks`` stacked linear maps."""

    blocks = 1

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units < 1:
            raise ValueError(f"{type(self).__name__} expected units > 0, got {units!r}")
        self.units = units
        self.state_size = units
        self.output_size = units

    def bias_shape(self):
        return (self.blocks * self.units,)

    def bias_initializer(self):
        return "zeros"

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"{type(self).__name__} expected a known input size, got {input_shape}"
            )
        width = self.blocks * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, width), initializer="glorot_uniform", name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width), initializer="orthogonal", name="recurrent_kernel"
        )
        self.bias = self.add_weight(
            shape=self.bias_shape(), initializer=self.bias_initializer(), name="bias"
        )

    def check(self, inputs, states):
        """Refuse an input or a state of the wrong size, naming the shape expected."""
        input_dim = self.kernel.shape[0]
        if len(inputs.shape) != 2 or inputs.shape[-1] != input_dim:
            raise ValueError(
                f"{type(self).__name__} expected inputs of shape (batch, {input_dim}), "
                f"got {tuple(inputs.shape)}"
            )
        for state in states:
            if len(state.shape) != 2 or state.shape[-1] != self.units:
                raise ValueError(
                    f"{type(self).__name__} expected a state of shape (batch, {self.units}), "
                    f"got {tuple(state.shape)}"
                )

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _as_list(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


@keras.saving.register_keras_serializable(package="gatedrnn")
class SimpleRNNCell(_Cell):
    """SimpleRNN: h' = tanh(x kernel + h recurrent_kernel + bias)."""

    blocks = 1

    def call(self, inputs, states, training=False):
        (h,) = states = _as_list(states)
        self.check(inputs, states)
        output = ops.tanh(
            ops.matmul(inputs, self.kernel) + ops.matmul(h, self.recurrent_kernel) + self.bias
        )
        return output, [output]


@keras.saving.register_keras_serializable(package="gatedrnn")
class SimplifiedGRUCell(_Cell):
    """A GRU with the update gate only; blocks in the order z (update), h (candidate)."""

    blocks = 2

    def call(self, inputs, states, training=False):
        (h,) = states = _as_list(states)
        self.check(inputs, states)
        # Both blocks read the input and the state; the gate mixes old and new.
        x_z, x_h = ops.split(ops.matmul(inputs, self.kernel) + self.bias, 2, axis=-1)
        r_z, r_h = ops.split(ops.matmul(h, self.recurrent_kernel), 2, axis=-1)
        z = ops.sigmoid(x_z + r_z)
        candidate = ops.tanh(x_h + r_h)
        output = z * h + (1 - z) * candidate
        return output, [output]


@keras.saving.register_keras_serializable(package="gatedrnn")
class GRUCell(_Cell):
    """The GRU; blocks in Keras' order z (update), r (reset), h (candidate).

    ``reset_after=True`` (the default, as in PyTorch, cuDNN and the first arXiv version
    of Cho et al. 2014, arXiv:1406.1078v1) applies the reset gate after the recurrent
    product and keeps an input bias and a recurrent bias as the two rows of a
    (2, 3 x units) ``bias``. ``reset_after=False`` (the published version of Cho et al.
    2014, EMNLP, arXiv:1406.1078v3) applies it to the state before the product and
    keeps one (3 x units) bias. The docstring of ``keras.layers.GRU`` names the
    "before" form as the default; the code's default is ``reset_after=True``.
    """

    blocks = 3

    def __init__(self, units: int, reset_after: bool = True, **kwargs):
        super().__init__(units, **kwargs)
        self.reset_after = reset_after

    def bias_shape(self):
        width = self.blocks * self.units
        return (2, width) if self.reset_after else (width,)

    def call(self, inputs, states, training=False):
        (h,) = states = _as_list(states)
        self.check(inputs, states)
        units = self.units
        input_bias = self.bias[0] if self.reset_after else self.bias
        x_z, x_r, x_h = ops.split(ops.matmul(inputs, self.kernel) + input_bias, 3, axis=-1)
        if self.reset_after:
            # One recurrent product for all three blocks, with its own bias.
            recurrent = ops.matmul(h, self.recurrent_kernel) + self.bias[1]
            r_z, r_r, r_h = ops.split(recurrent, 3, axis=-1)
            z = ops.sigmoid(x_z + r_z)
            r = ops.sigmoid(x_r + r_r)
            candidate = ops.tanh(x_h + r * r_h)
        else:
            # The gates first; the candidate reads the state after the reset gate.
            r_z, r_r = ops.split(ops.matmul(h, self.recurrent_kernel[:, : 2 * units]), 2, axis=-1)
            z = ops.sigmoid(x_z + r_z)
            r = ops.sigmoid(x_r + r_r)
            candidate = ops.tanh(x_h + ops.matmul(r * h, self.recurrent_kernel[:, 2 * units :]))
        output = z * h + (1 - z) * candidate
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


@keras.saving.register_keras_serializable(package="gatedrnn")
class LSTMCell(_Cell):
    """The LSTM; blocks in Keras' order i (input), f (forget), c (candidate), o (output).

    With ``unit_forget_bias=True`` (the default, as in Keras) the forget-gate bias starts
    at 1, so that the cell remembers by default at the start of training.
    """

    blocks = 4

    def __init__(self, units: int, unit_forget_bias: bool = True, **kwargs):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [units, units]

    def bias_initializer(self):
        if not self.unit_forget_bias:
            return "zeros"
        units = self.units

        def forget_ones(shape, dtype=None):
            return ops.concatenate(
                [ops.zeros((units,)), ops.ones((units,)), ops.zeros((2 * units,))]
            )

        return forget_ones

    def call(self, inputs, states, training=False):
        h, c = states = _as_list(states)
        self.check(inputs, states)
        gates = ops.matmul(inputs, self.kernel) + ops.matmul(h, self.recurrent_kernel) + self.bias
        i, f, candidate, o = ops.split(gates, 4, axis=-1)
        # The cell state forgets part of itself and writes part of the candidate.
        c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(candidate)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}
