"""A custom Keras 3 cell: the LSTM with peephole connections of Gers and Schmidhuber (2000).

The gates of a peephole LSTM also read the cell state: the input and forget gates
the previous one, the output gate the new one, each through a vector of weights
(an element-wise product, not a matrix). With the peepholes at zero it is the LSTM
of ``keras.layers.LSTMCell``, and its weights ``kernel``, ``recurrent_kernel`` and
``bias`` are laid out as there (blocks i, f, c, o), so they copy one-to-one.

It is a cell in the sense of ``keras.layers.RNN``: ``state_size`` names its two
states, ``output_size`` its output, ``call(inputs, states)`` does one time step, and
``get_config`` lets a model that uses it be saved to ``.keras`` and loaded back.
This file imports only Keras.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="gatedrnn")
class PeepholeLSTMCell(keras.layers.Layer):
    """An LSTM cell whose gates also see the cell state (peephole connections).

    i = sigmoid(x W_i + h U_i + p_i * c + b_i)
    f = sigmoid(x W_f + h U_f + p_f * c + b_f)
    c' = f * c + i * tanh(x W_c + h U_c + b_c)
    o = sigmoid(x W_o + h U_o + p_o * c' + b_o)
    h' = o * tanh(c')
    """

    def __init__(self, units: int, peephole_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units < 1:
            raise ValueError(f"PeepholeLSTMCell expected units > 0, got {units!r}")
        self.units = units
        self.peephole_initializer = keras.initializers.get(peephole_initializer)
        # keras.layers.RNN reads these: two states (h, c), and an output of size units.
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"PeepholeLSTMCell expected a known input size, got {input_shape}")
        units = self.units
        self.kernel = self.add_weight(
            shape=(input_dim, 4 * units), initializer="glorot_uniform", name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(units, 4 * units), initializer="orthogonal", name="recurrent_kernel"
        )

        # The forget gate starts open (bias 1), as with unit_forget_bias in Keras.
        def forget_ones(shape, dtype=None):
            return ops.concatenate(
                [ops.zeros((units,)), ops.ones((units,)), ops.zeros((2 * units,))]
            )

        self.bias = self.add_weight(shape=(4 * units,), initializer=forget_ones, name="bias")
        # One peephole vector per gate: the input, forget and output gates.
        self.peephole_i, self.peephole_f, self.peephole_o = (
            self.add_weight(shape=(units,), initializer=self.peephole_initializer, name=name)
            for name in ("peephole_i", "peephole_f", "peephole_o")
        )

    def call(self, inputs, states, training=False):
        h, c = states
        if len(inputs.shape) != 2 or inputs.shape[-1] != self.kernel.shape[0]:
            raise ValueError(
                f"PeepholeLSTMCell expected inputs of shape (batch, {self.kernel.shape[0]}), "
                f"got {tuple(inputs.shape)}"
            )
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h, self.recurrent_kernel) + self.bias
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        # The input and forget gates look at the previous cell state.
        i = ops.sigmoid(z_i + self.peephole_i * c)
        f = ops.sigmoid(z_f + self.peephole_f * c)
        c = f * c + i * ops.tanh(z_c)
        # The output gate looks at the new cell state.
        o = ops.sigmoid(z_o + self.peephole_o * c)
        h = o * ops.tanh(c)
        return h, [h, c]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "peephole_initializer": keras.initializers.serialize(self.peephole_initializer),
        }
