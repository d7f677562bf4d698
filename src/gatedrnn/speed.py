"""How fast recurrent layers train: steps per second and achieved GFLOP/s.

    python -m gatedrnn.speed            # the sizes of the book's table
    python -m gatedrnn.speed --quick    # tiny sizes, a few seconds

Each row trains one model, a recurrent layer and a ``Dense(1)`` head on random data
of the same sizes. Every model is warmed up first; then the rows take turns, a few
rounds of at least ``min_seconds`` each, so that a slow moment of the machine does
not fall on one row alone, and each row keeps its best round. It reports:

- training steps per second (forward, backward and an Adam update of one batch);
- the matrix-multiply GFLOP/s that this speed means, counted by
  :func:`training_flops`, next to the machine's measured float32 matrix-multiply
  peak (:func:`matmul_peak`).

The rows compare Keras' fused ``LSTM`` and ``GRU`` layers, the same cells in the
generic ``keras.layers.RNN`` loop, ``recurrent_dropout > 0``, PyTorch's ``nn.LSTM``
and ``nn.GRU``, and the book's from-scratch cells in both frameworks. The code picks
the GPU when there is one, so the same command measures a GPU machine.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from gatedrnn.book import SEED, device_name, torch_device

#: Blocks of stacked weights per recurrent layer kind: the LSTM has 4, the GRU 3.
BLOCKS = {"lstm": 4, "gru": 3}


@dataclass(frozen=True)
class Sizes:
    """The sizes every row of the table uses, and how long each row is timed."""

    batch: int = 64
    time_steps: int = 100
    input_size: int = 32
    units: int = 128
    warmup_steps: int = 3
    rounds: int = 3
    min_steps: int = 3
    min_seconds: float = 1.0


BOOK = Sizes()
QUICK = Sizes(
    batch=8,
    time_steps=10,
    input_size=4,
    units=8,
    warmup_steps=1,
    rounds=1,
    min_steps=2,
    min_seconds=0.0,
)


def training_flops(kind: str, sizes: Sizes) -> int:
    """Matrix-multiply FLOPs of one training step of a recurrent layer.

    Per time step, with batch B, input size m, n units and k blocks
    (4 for the LSTM, 3 for the GRU), the forward pass multiplies the
    input by the kernel (2 B m kn FLOPs) and the state by the recurrent
    kernel (2 B n kn). The backward pass costs the same again for each
    weight gradient, and once more for the gradient that flows back into
    the state; the input is data and gets no gradient. So one time step
    is 2 B kn (2m + 3n) FLOPs. Element-wise work (gates, biases) and the
    head are left out.
    """
    if kind not in BLOCKS:
        raise ValueError(f"expected kind to be one of {sorted(BLOCKS)}, got {kind!r}")
    k, n, m, batch = BLOCKS[kind], sizes.units, sizes.input_size, sizes.batch
    return sizes.time_steps * 2 * batch * k * n * (2 * m + 3 * n)


def _synchronize() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def matmul_peak(size: int | None = None, repeats: int = 5) -> float:
    """The best float32 matrix-multiply speed of PyTorch's device, in GFLOP/s."""
    import torch

    device = torch_device()
    size = size or (8192 if device.type == "cuda" else 2048)
    generator = torch.Generator().manual_seed(SEED)
    a, b = (torch.randn(size, size, generator=generator).to(device) for _ in range(2))
    best = float("inf")
    for attempt in range(repeats + 2):
        _synchronize()
        start = time.perf_counter()
        torch.matmul(a, b)
        _synchronize()
        if attempt >= 2:  # The first two products warm up the library.
            best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


def _warm_up(step: Callable[[], object], sizes: Sizes) -> Callable[[], object]:
    """Run ``step`` a few times, so that tracing and allocation are not timed."""
    for _ in range(sizes.warmup_steps):
        step()
    return step


def _time_steps(step: Callable[[], object], sizes: Sizes) -> float:
    """Steps per second of ``step`` over at least min_steps and min_seconds."""
    _synchronize()
    steps, start = 0, time.perf_counter()
    while steps < sizes.min_steps or time.perf_counter() - start < sizes.min_seconds:
        step()
        steps += 1
    _synchronize()
    return steps / (time.perf_counter() - start)


def _data(sizes: Sizes) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((sizes.batch, sizes.time_steps, sizes.input_size), "float32")
    y = rng.standard_normal((sizes.batch, 1), "float32")
    return x, y


def keras_train_step(layer, sizes: Sizes) -> Callable[[], object]:
    """One training step of ``Input -> layer -> Dense(1)`` with Adam and MSE, warmed up.

    The step is Keras' usual one-batch call, ``train_on_batch``, on a batch that is already
    on the device.
    """
    import keras

    keras.utils.set_random_seed(SEED)
    inputs = keras.Input((sizes.time_steps, sizes.input_size))
    model = keras.Model(inputs, keras.layers.Dense(1)(layer(inputs)))
    model.compile(optimizer="adam", loss="mse")
    # The batch goes to the device once, as PyTorch's does below, so that neither framework
    # pays for a copy from the host at every step.
    x, y = (keras.ops.convert_to_tensor(a) for a in _data(sizes))
    # Each row builds a new model, which TensorFlow traces anew; that is intended here,
    # so its warning about retracing stays out of the output.
    tf_logger = logging.getLogger("tensorflow")
    level = tf_logger.level
    tf_logger.setLevel(logging.ERROR)
    try:
        return _warm_up(lambda: model.train_on_batch(x, y), sizes)
    finally:
        tf_logger.setLevel(level)


def torch_train_step(rnn, sizes: Sizes) -> Callable[[], object]:
    """One training step of ``rnn -> Linear`` (last output), Adam and MSE, warmed up.

    The step is PyTorch's usual loop body, on a batch that is already on the device.
    """
    import torch

    device = torch_device()
    torch.manual_seed(SEED)
    rnn = rnn.to(device)
    head = torch.nn.Linear(sizes.units, 1).to(device)
    parameters = [*rnn.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(parameters)
    x, y = (torch.from_numpy(a).to(device) for a in _data(sizes))

    def step():
        optimizer.zero_grad()
        outputs, _ = rnn(x)
        loss = torch.nn.functional.mse_loss(head(outputs[:, -1]), y)
        loss.backward()
        optimizer.step()

    return _warm_up(step, sizes)


def _keras_fused_kernel() -> str:
    """What Keras 3's LSTM or GRU layer runs on this machine with its default arguments."""
    import keras
    from keras.src import backend

    # The backend's own test: tanh, sigmoid, no unroll, a bias, and a GPU it can use.
    if backend.cudnn_ok(keras.activations.tanh, keras.activations.sigmoid, False, True):
        return "cuDNN"
    return "Keras loop"


def candidates(sizes: Sizes) -> list[dict]:
    """The rows of the table: what each one trains and how it is timed."""
    import keras
    import torch

    from gatedrnn import keras_cells, torch_cells

    n, m = sizes.units, sizes.input_size
    keras_fused = _keras_fused_kernel()
    # What runs PyTorch's layers here, as the profiler sees it: cuDNN on an NVIDIA GPU; on a
    # CPU oneDNN for the float32 LSTM, and PyTorch's own loop in C++ for the GRU.
    probe = torch.zeros(2, 3, m, device=torch_device())

    def torch_kernel(layer):
        from gatedrnn.torch_speed import kernel

        name = kernel(layer.to(probe.device), probe)
        return "ATen (C++ loop)" if name == "ATen loop" else name

    rows = [
        ("Keras", "LSTM", "lstm", keras_fused, lambda: keras.layers.LSTM(n)),
        ("Keras", "GRU", "gru", keras_fused, lambda: keras.layers.GRU(n)),
        (
            "Keras",
            "RNN(LSTMCell)",
            "lstm",
            "Keras loop",
            lambda: keras.layers.RNN(keras.layers.LSTMCell(n)),
        ),
        (
            "Keras",
            "RNN(GRUCell)",
            "gru",
            "Keras loop",
            lambda: keras.layers.RNN(keras.layers.GRUCell(n)),
        ),
        (
            "Keras",
            "LSTM(recurrent_dropout=0.2)",
            "lstm",
            "Keras loop",
            lambda: keras.layers.LSTM(n, recurrent_dropout=0.2),
        ),
        (
            "Keras",
            "from scratch: RNN(LSTMCell)",
            "lstm",
            "Keras loop",
            lambda: keras.layers.RNN(keras_cells.LSTMCell(n)),
        ),
        (
            "Keras",
            "from scratch: RNN(GRUCell)",
            "gru",
            "Keras loop",
            lambda: keras.layers.RNN(keras_cells.GRUCell(n)),
        ),
        (
            "PyTorch",
            "nn.LSTM",
            "lstm",
            torch_kernel(torch.nn.LSTM(m, n, batch_first=True)),
            lambda: torch.nn.LSTM(m, n, batch_first=True),
        ),
        (
            "PyTorch",
            "nn.GRU",
            "gru",
            torch_kernel(torch.nn.GRU(m, n, batch_first=True)),
            lambda: torch.nn.GRU(m, n, batch_first=True),
        ),
        (
            "PyTorch",
            "from scratch: RNN(LSTMCell)",
            "lstm",
            "Python loop",
            lambda: torch_cells.RNN(torch_cells.LSTMCell(m, n)),
        ),
        (
            "PyTorch",
            "from scratch: RNN(GRUCell)",
            "gru",
            "Python loop",
            lambda: torch_cells.RNN(torch_cells.GRUCell(m, n)),
        ),
    ]
    return [
        {"framework": f, "layer": layer, "kind": kind, "runs as": runs, "make": make}
        for f, layer, kind, runs, make in rows
    ]


def speed_table(sizes: Sizes = BOOK, peak: float | None = None):
    """Time every candidate; a DataFrame with steps/s, GFLOP/s and the share of the peak."""
    import pandas as pd

    peak = matmul_peak() if peak is None else peak
    rows = candidates(sizes)
    for row in rows:
        train_step = keras_train_step if row["framework"] == "Keras" else torch_train_step
        row["step"] = train_step(row["make"](), sizes)
    # The rows take turns, round after round, and each keeps its best round.
    best = [0.0] * len(rows)
    for _ in range(sizes.rounds):
        for index, row in enumerate(rows):
            best[index] = max(best[index], _time_steps(row["step"], sizes))
    records = []
    for row, steps in zip(rows, best, strict=True):
        gflops = steps * training_flops(row["kind"], sizes) / 1e9
        records.append(
            {
                "framework": row["framework"],
                "layer": row["layer"],
                "runs as": row["runs as"],
                "steps/s": steps,
                "GFLOP/s": gflops,
                "% of peak": 100 * gflops / peak,
            }
        )
    table = pd.DataFrame(records)
    import keras
    import torch

    table.attrs.update(
        {
            "peak_gflops": peak,
            "device": device_name(),
            # The Keras rows measured this backend: "tensorflow", "torch" or "jax".
            "keras_backend": keras.backend.backend(),
            # PyTorch's CPU threads, for the peak and its rows (the book's build uses one).
            "torch_threads": torch.get_num_threads(),
            "sizes": asdict(sizes),
        }
    )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else BOOK
    table = speed_table(sizes)
    print(f"device = {table.attrs['device']}")
    print(f"keras_backend = {table.attrs['keras_backend']}")
    print(f"sizes = {table.attrs['sizes']}")
    print(f"matmul_peak_gflops = {table.attrs['peak_gflops']:.1f}")
    print(f"torch_threads = {table.attrs['torch_threads']}")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
