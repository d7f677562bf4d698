"""Synthetic data for the book's experiments. This file imports only NumPy."""

import numpy as np


def adding_problem(n: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem in the form of Le et al. (2015) and Arjovsky et al. (2016).

    Each sequence has ``length`` steps of two features: a value drawn from U(0, 1) and
    a marker that is 1 at two steps and 0 elsewhere, one marker in each half. The
    target is the sum of the two marked values. Predicting 1.0 always gives an MSE
    of about 1/6, the baseline a model must beat. Remembering only the second marked
    value and predicting it plus 0.5 gives about 1/12, where a model can stall.

    The original task of Hochreiter & Schmidhuber (1997) differs: lengths between T and
    T + T/10, values in [-1, 1], the first marker among the first 10 steps and the
    second among the first T/2 - 1, the target 0.5 + (X1 + X2) / 4, and success when
    the absolute error is below 0.04.

    Returns inputs of shape (n, length, 2) and targets of shape (n, 1), as float32.
    """
    if not isinstance(length, int) or length < 2:
        raise ValueError(f"adding_problem expected length >= 2, got {length!r}")
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"adding_problem expected n >= 1, got {n!r}")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, length))
    markers = np.zeros((n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    inputs = np.stack([values, markers], axis=-1).astype("float32")
    targets = (values[rows, first] + values[rows, second])[:, None].astype("float32")
    return inputs, targets
