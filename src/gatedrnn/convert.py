"""Weight converters between Keras and PyTorch recurrent layers, in both directions.

Keras keeps ``[kernel, recurrent_kernel, bias]`` with kernels as (input, blocks x
units); PyTorch keeps ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` with
weights as (blocks x hidden, input). The converters transpose, reorder the blocks
and split or merge the biases:

- SimpleRNN: one block; PyTorch's two biases add up to Keras' one.
- GRU: Keras orders the blocks z, r, h and PyTorch r, z, n. Keras' default
  ``reset_after=True`` keeps a (2, 3 x units) bias: input bias, then recurrent bias,
  which are PyTorch's ``bias_ih`` and ``bias_hh``. PyTorch has no GRU with the reset
  gate before the product, so a Keras GRU with ``reset_after=False`` is refused.
- LSTM: both order the blocks i, f, g (c), o; PyTorch's two biases add up to Keras'
  one, and the way back puts Keras' bias in ``bias_ih`` and zeros in ``bias_hh``.

The PyTorch side is a mapping of names to arrays: ``module.state_dict()`` of
``nn.RNN``/``nn.GRU``/``nn.LSTM`` (names ending in ``_l0``) or of a cell.
This file imports only NumPy.
"""

import numpy as np

BLOCKS = {"rnn": 1, "gru": 3, "lstm": 4}
# Where each Keras block sits in PyTorch's order: GRU z, r, h  <->  r, z, n.
TORCH_ORDER_OF_KERAS_BLOCKS = {"rnn": [0], "gru": [1, 0, 2], "lstm": [0, 1, 2, 3]}
KINDS = ", ".join(repr(k) for k in BLOCKS)


def _numpy(value) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _torch_weights(state) -> dict[str, np.ndarray]:
    """Read weight_ih, weight_hh, bias_ih, bias_hh from a state dict (with or without _l0)."""
    found = {}
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        for key in (name, f"{name}_l0"):
            if key in state:
                found[name] = _numpy(state[key])
        if name not in found:
            raise ValueError(
                f"expected a PyTorch weight named {name!r} or {name + '_l0'!r}, "
                f"got names {sorted(state)}"
            )
    extra = [k for k in state if k.endswith(("_l1", "_reverse"))]
    if extra:
        raise ValueError(f"expected a single-layer, one-direction layer, got weights {extra}")
    return found


def _reorder(blocks: np.ndarray, order: list[int], axis: int) -> np.ndarray:
    parts = np.split(blocks, len(order), axis=axis)
    return np.concatenate([parts[i] for i in order], axis=axis)


def _check_kind(kind: str) -> None:
    if kind not in BLOCKS:
        raise ValueError(f"expected kind to be one of {KINDS}, got {kind!r}")


def keras_from_torch(kind: str, state) -> list[np.ndarray]:
    """Keras ``[kernel, recurrent_kernel, bias]`` from PyTorch weights of the same layer."""
    _check_kind(kind)
    w = _torch_weights(state)
    rows = w["weight_ih"].shape[0]
    if rows % BLOCKS[kind]:
        raise ValueError(
            f"expected weight_ih with a multiple of {BLOCKS[kind]} rows for "
            f"{kind!r}, got shape {w['weight_ih'].shape}"
        )
    order = TORCH_ORDER_OF_KERAS_BLOCKS[kind]
    kernel = _reorder(w["weight_ih"], order, axis=0).T
    recurrent_kernel = _reorder(w["weight_hh"], order, axis=0).T
    bias_ih = _reorder(w["bias_ih"], order, axis=0)
    bias_hh = _reorder(w["bias_hh"], order, axis=0)
    bias = np.stack([bias_ih, bias_hh]) if kind == "gru" else bias_ih + bias_hh
    return [np.ascontiguousarray(kernel), np.ascontiguousarray(recurrent_kernel), bias]


def torch_from_keras(kind: str, weights) -> dict[str, np.ndarray]:
    """PyTorch ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` from Keras weights."""
    _check_kind(kind)
    if len(weights) != 3:
        raise ValueError(
            f"expected Keras weights [kernel, recurrent_kernel, bias], got {len(weights)} arrays"
        )
    kernel, recurrent_kernel, bias = (_numpy(a) for a in weights)
    units = recurrent_kernel.shape[0]
    width = BLOCKS[kind] * units
    if kernel.shape[1] != width or recurrent_kernel.shape != (units, width):
        raise ValueError(
            f"expected a kernel of shape (input, {width}) and a recurrent kernel of "
            f"shape ({units}, {width}) for {kind!r}, got {kernel.shape} and "
            f"{recurrent_kernel.shape}"
        )
    if kind == "gru":
        if bias.shape != (2, width):
            raise ValueError(
                f"expected a GRU bias of shape (2, {width}) (reset_after=True); "
                f"PyTorch has no GRU with the reset gate before the product, "
                f"got {bias.shape}"
            )
        bias_ih, bias_hh = bias
    else:
        if bias.shape != (width,):
            raise ValueError(f"expected a bias of shape ({width},), got {bias.shape}")
        bias_ih, bias_hh = bias, np.zeros_like(bias)
    # Keras' block k goes to PyTorch's position order[k]; invert that permutation.
    inverse = list(np.argsort(TORCH_ORDER_OF_KERAS_BLOCKS[kind]))
    return {
        "weight_ih": np.ascontiguousarray(_reorder(kernel.T, inverse, axis=0)),
        "weight_hh": np.ascontiguousarray(_reorder(recurrent_kernel.T, inverse, axis=0)),
        "bias_ih": _reorder(bias_ih, inverse, axis=0),
        "bias_hh": _reorder(bias_hh, inverse, axis=0),
    }
