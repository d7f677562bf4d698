"""A gate in Keras 3: a learned sigmoid mask, g = sigmoid(x kernel + h recurrent_kernel + bias).

This file imports only Keras, so it can be pasted into any Python session and runs on
every Keras backend (TensorFlow, PyTorch, JAX).
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="gatedrnn")
class Gate(keras.layers.Layer):
    """A learned sigmoid mask with ``units`` values in (0, 1).

    The gate reads an input ``x`` of shape ``(..., input_dim)`` and, when
    ``context_units > 0``, a context ``h`` of shape ``(..., context_units)``, such as
    the previous hidden state of a recurrent cell. The weight names follow
    ``keras.layers.GRUCell``: ``kernel``, ``recurrent_kernel`` and one ``bias``.
    """

    def __init__(
        self,
        units: int,
        context_units: int = 0,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units < 1:
            raise ValueError(f"Gate expected units to be a positive int, got {units!r}")
        if not isinstance(context_units, int) or context_units < 0:
            raise ValueError(
                f"Gate expected context_units to be an int >= 0, got {context_units!r}"
            )
        self.units = units
        self.context_units = context_units
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def build(self, input_shape):
        # The input size is read from the first call; the context size is fixed up front.
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Gate expected x of shape (..., input_dim) with a known input_dim, "
                f"got {tuple(input_shape)}"
            )
        self.kernel = self.add_weight(
            shape=(input_dim, self.units), initializer=self.kernel_initializer, name="kernel"
        )
        if self.context_units:
            self.recurrent_kernel = self.add_weight(
                shape=(self.context_units, self.units),
                initializer=self.recurrent_initializer,
                name="recurrent_kernel",
            )
        self.bias = self.add_weight(
            shape=(self.units,), initializer=self.bias_initializer, name="bias"
        )

    def call(self, x, h=None):
        # Check the input first, so that a mistake names the shape that was expected.
        _check_last_dim("x", x, self.kernel.shape[0])
        pre_activation = ops.matmul(x, self.kernel) + self.bias
        # Add the context path when the gate has one; refuse a context it cannot read.
        if self.context_units:
            if h is None:
                raise ValueError(
                    f"Gate expected a context h of shape (..., {self.context_units}), got None"
                )
            _check_last_dim("h", h, self.context_units)
            pre_activation = pre_activation + ops.matmul(h, self.recurrent_kernel)
        elif h is not None:
            raise ValueError(
                "Gate was built with context_units=0 and expected no context h, "
                f"got a tensor of shape {tuple(h.shape)}"
            )
        # Squash into (0, 1): each value says how much of one feature passes.
        return ops.sigmoid(pre_activation)

    def compute_output_shape(self, x_shape, h_shape=None):
        return (*x_shape[:-1], self.units)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "context_units": self.context_units,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": keras.initializers.serialize(self.recurrent_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            }
        )
        return config


def _check_last_dim(name, tensor, size):
    dtype = keras.backend.standardize_dtype(tensor.dtype)
    if "float" not in dtype:
        raise TypeError(f"Gate expected {name} to have a floating-point dtype, got {dtype}")
    shape = tuple(tensor.shape)
    if len(shape) < 1 or (shape[-1] is not None and shape[-1] != size):
        raise ValueError(f"Gate expected {name} of shape (..., {size}), got {shape}")
