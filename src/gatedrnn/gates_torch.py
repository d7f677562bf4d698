"""A gate in PyTorch: a learned sigmoid mask, g = sigmoid(W_ih x + b_ih + W_hh h + b_hh).

This file imports only PyTorch, so it can be pasted into any Python session.
"""

import math

import torch
from torch import nn


class Gate(nn.Module):
    """A learned sigmoid mask with ``gate_size`` values in (0, 1).

    The gate reads an input ``x`` of shape ``(..., input_size)`` and, when
    ``context_size > 0``, a context ``h`` of shape ``(..., context_size)``, such as
    the previous hidden state of a recurrent cell. The parameter names follow
    ``torch.nn.GRUCell``, so one gate of a GRU copies into a ``Gate`` one-to-one.
    """

    def __init__(self, input_size: int, gate_size: int, context_size: int = 0):
        super().__init__()
        for name, value in [("input_size", input_size), ("gate_size", gate_size)]:
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"Gate expected {name} to be a positive int, got {value!r}")
        if not isinstance(context_size, int) or context_size < 0:
            raise ValueError(f"Gate expected context_size to be an int >= 0, got {context_size!r}")
        self.input_size = input_size
        self.gate_size = gate_size
        self.context_size = context_size
        # The input path always exists; the context path only when a context is read.
        self.weight_ih = nn.Parameter(torch.empty(gate_size, input_size))
        self.bias_ih = nn.Parameter(torch.empty(gate_size))
        if context_size:
            self.weight_hh = nn.Parameter(torch.empty(gate_size, context_size))
            self.bias_hh = nn.Parameter(torch.empty(gate_size))
        else:
            self.register_parameter("weight_hh", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # Draw every parameter from U(-1/sqrt(gate_size), 1/sqrt(gate_size)), as torch.nn.GRU does.
        bound = 1.0 / math.sqrt(self.gate_size)
        for parameter in self.parameters():
            nn.init.uniform_(parameter, -bound, bound)

    def forward(self, x: torch.Tensor, h: torch.Tensor | None = None) -> torch.Tensor:
        # Check the input first, so that a mistake names the shape that was expected.
        _check_tensor("x", x, self.input_size)
        pre_activation = nn.functional.linear(x, self.weight_ih, self.bias_ih)
        # Add the context path when the gate has one; refuse a context it cannot read.
        if self.context_size:
            if h is None:
                raise ValueError(
                    f"Gate expected a context h of shape (..., {self.context_size}), got None"
                )
            _check_tensor("h", h, self.context_size)
            pre_activation = pre_activation + nn.functional.linear(h, self.weight_hh, self.bias_hh)
        elif h is not None:
            raise ValueError(
                "Gate was built with context_size=0 and expected no context h, "
                f"got a tensor of shape {tuple(h.shape)}"
            )
        # Squash into (0, 1): each value says how much of one feature passes.
        return torch.sigmoid(pre_activation)

    def extra_repr(self) -> str:
        return (
            f"input_size={self.input_size}, gate_size={self.gate_size}, "
            f"context_size={self.context_size}"
        )


def _check_tensor(name: str, tensor: torch.Tensor, size: int) -> None:
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"Gate expected {name} to be a torch.Tensor, got {type(tensor).__name__}")
    if not tensor.is_floating_point():
        raise TypeError(f"Gate expected {name} to have a floating-point dtype, got {tensor.dtype}")
    if tensor.dim() < 1 or tensor.shape[-1] != size:
        raise ValueError(f"Gate expected {name} of shape (..., {size}), got {tuple(tensor.shape)}")
