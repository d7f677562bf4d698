"""How fast the book's from-scratch LSTM trains in PyTorch: looped, compiled, and nn.LSTM.

    python -m gatedrnn.torch_speed            # the sizes of the chapter's table
    python -m gatedrnn.torch_speed --quick    # tiny sizes (compiling still takes a while)

Each row trains the same model, an LSTM layer and a linear head on its last output, with
Adam and a mean squared error, on one batch of random data:

- the book's ``LSTMCell`` (:mod:`gatedrnn.torch_cells`), run over time by a Python loop;
- the same module given to ``torch.compile``, which traces the loop into one graph of
  all the time steps, forward and backward, and generates fused kernels for it;
- ``torch.nn.LSTM``, which PyTorch hands to a fused kernel (oneDNN on a CPU, cuDNN on
  an NVIDIA GPU) or, where none applies, runs in its own loop in C++ (ATen).

The compiled row compiles during its first training step, so the first step of every
row is timed apart. Then the rows take turns, as in :mod:`gatedrnn.speed`: a few rounds
of at least ``min_seconds`` each, every row keeping its best round. The code picks the GPU
when there is one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import warnings
from collections import Counter
from dataclasses import asdict

from gatedrnn.book import SEED, device_name, torch_device
from gatedrnn.speed import Sizes, _synchronize, _time_steps, torch_train_step

#: The chapter's sizes: short sequences, because compiling unrolls every time step.
BOOK = Sizes(
    batch=32,
    time_steps=12,
    input_size=16,
    units=64,
    warmup_steps=1,
    rounds=3,
    min_steps=3,
    min_seconds=0.5,
)
QUICK = Sizes(
    batch=4,
    time_steps=3,
    input_size=2,
    units=4,
    warmup_steps=1,
    rounds=1,
    min_steps=2,
    min_seconds=0.0,
)

#: The profiler's names of the fused kernels that compute a whole recurrent layer.
FUSED_KERNELS = {
    "aten::mkldnn_rnn_layer": "oneDNN",
    "aten::_cudnn_rnn": "cuDNN",
    "aten::miopen_rnn": "MIOpen",
}
#: The profiler's names of matrix products.
MATRIX_PRODUCTS = ("aten::mm", "aten::addmm", "aten::bmm")


@contextlib.contextmanager
def _quiet_stderr():
    """Send what is written to the process's stderr to /dev/null for a while.

    The profiler's C++ logger writes a line to it at every start and stop, which a notebook
    would show under the cell.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def operators(module, inputs, backward: bool = True) -> Counter:
    """How often each PyTorch operator ran in a forward (and backward) pass of ``module``.

    ``module(inputs)`` must return the output first, a tensor or a ``PackedSequence``.
    """
    import torch
    from torch.profiler import ProfilerActivity, profile

    with _quiet_stderr(), profile(activities=[ProfilerActivity.CPU]) as prof:
        output = module(inputs)[0]
        if isinstance(output, torch.nn.utils.rnn.PackedSequence):
            output = output.data
        if backward:
            output.sum().backward()
    return Counter(event.name for event in prof.events())


def kernel(module, inputs) -> str:
    """What computed a recurrent layer in a forward and backward pass: the name of a fused
    kernel (oneDNN, cuDNN, MIOpen) when one ran, and otherwise PyTorch's loop in C++."""
    ran = operators(module, inputs)
    fused = [name for op, name in FUSED_KERNELS.items() if ran[op]]
    return fused[0] if fused else "ATen loop"


def matrix_products(module, inputs) -> int:
    """How many matrix products the operators of one forward pass of ``module`` call."""
    ran = operators(module, inputs, backward=False)
    return sum(ran[name] for name in MATRIX_PRODUCTS)


def difference_from_nn_lstm(rnn, inputs) -> float:
    """The largest difference between a from-scratch LSTM, ``RNN(LSTMCell)`` looped or
    compiled, and ``nn.LSTM`` with its weights, over the outputs and both final states."""
    import torch

    cell = rnn.cell
    # The reference runs on the CPU: on a GPU, cuDNN may use TF32 for float32 products.
    library = torch.nn.LSTM(cell.input_size, cell.hidden_size, batch_first=True)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(library, f"{name}_l0").copy_(getattr(cell, name))
    # With gradients on, as in training: a compiled model would compile again without them.
    output, (h, c) = rnn(inputs)
    library_output, (library_h, library_c) = library(inputs.cpu())
    pairs = [(output, library_output), (h, library_h[0]), (c, library_c[0])]
    return max(float((a.detach().cpu() - b.detach()).abs().max()) for a, b in pairs)


def compiled_lstm(input_size: int, hidden_size: int):
    """The book's LSTM cell in its Python loop, compiled into one graph by ``torch.compile``.

    ``fullgraph=True`` makes tracing fail rather than leave a part of the loop to Python,
    and ``dynamic=False`` compiles for the shapes of the first call only.
    """
    import torch

    from gatedrnn import torch_cells

    rnn = torch_cells.RNN(torch_cells.LSTMCell(input_size, hidden_size))
    return torch.compile(rnn, fullgraph=True, dynamic=False)


def candidates(sizes: Sizes) -> list[dict]:
    """The rows of the table: a name, what runs the loop, and a function that builds the layer."""
    import torch

    from gatedrnn import torch_cells

    m, n = sizes.input_size, sizes.units
    inductor = "Triton" if torch_device().type == "cuda" else "C++"
    return [
        {
            "layer": "from scratch: RNN(LSTMCell)",
            "runs as": "Python loop",
            "make": lambda: torch_cells.RNN(torch_cells.LSTMCell(m, n)),
        },
        {
            "layer": "from scratch, torch.compile",
            "runs as": f"one graph (Inductor, {inductor})",
            "make": lambda: compiled_lstm(m, n),
        },
        {
            "layer": "nn.LSTM",
            "runs as": None,  # measured: the kernel that the profiler sees
            "make": lambda: torch.nn.LSTM(m, n, batch_first=True),
        },
    ]


def speed_table(sizes: Sizes = BOOK, cold_compile: bool = True):
    """Time every candidate; a DataFrame with the first step's time and the steps per second.

    With ``cold_compile``, the on-disk caches of ``torch.compile`` are switched off while
    the models take their first step, so that the compiled row compiles from nothing, as
    on a fresh machine, and not from the kernels of an earlier run. The table's ``attrs``
    also hold the matrix products of one forward pass of each row.
    """
    import pandas as pd
    import torch

    device = torch_device()
    generator = torch.Generator().manual_seed(SEED)
    probe = torch.randn(sizes.batch, sizes.time_steps, sizes.input_size, generator=generator).to(
        device
    )
    rows = candidates(sizes)
    # One untimed step first: PyTorch's first optimizer step imports and sets up more than
    # any later one, and no row should pay for that.
    torch_train_step(rows[0]["make"](), sizes)
    with (
        torch.compiler.config.patch(force_disable_caches=cold_compile),
        warnings.catch_warnings(),
    ):
        # Without its caches, Dynamo also says that it leaves out its profile of earlier runs.
        warnings.filterwarnings("ignore", message="dynamo_pgo force disabled")
        for row in rows:
            row["model"] = row["make"]()
            # The warm-up is the first step (sizes.warmup_steps = 1); it compiles, if at all.
            _synchronize()
            start = time.perf_counter()
            row["step"] = torch_train_step(row["model"], sizes)
            _synchronize()
            row["first"] = time.perf_counter() - start
    for row in rows:
        row["runs as"] = row["runs as"] or kernel(row["model"], probe)
        row["products"] = matrix_products(row["model"], probe)
    # The from-scratch rows against nn.LSTM with their weights, before the timed steps change
    # them by a number of steps that depends on the speed.
    differences = {row["layer"]: difference_from_nn_lstm(row["model"], probe) for row in rows[:2]}
    # The rows take turns, round after round, and each keeps its best round.
    best = [0.0] * len(rows)
    for _ in range(sizes.rounds):
        for index, row in enumerate(rows):
            best[index] = max(best[index], _time_steps(row["step"], sizes))
    table = pd.DataFrame(
        {
            "layer": [row["layer"] for row in rows],
            "runs as": [row["runs as"] for row in rows],
            "first step (s)": [row["first"] for row in rows],
            "steps/s": best,
        }
    )
    table.attrs.update(
        {
            "device": device_name(),
            # PyTorch's CPU threads for every row (the book's build uses one).
            "torch_threads": torch.get_num_threads(),
            "sizes": asdict(sizes),
            # Matrix products that the operators of one forward pass call, per row.
            "matrix_products": {row["layer"]: row["products"] for row in rows},
            # The largest difference of each from-scratch row from nn.LSTM with its weights.
            "difference_from_nn_lstm": differences,
        }
    )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    args = parser.parse_args(argv)
    table = speed_table(QUICK if args.quick else BOOK)
    print(f"device = {table.attrs['device']}")
    print(f"torch_threads = {table.attrs['torch_threads']}")
    print(f"sizes = {table.attrs['sizes']}")
    print(f"matrix_products = {table.attrs['matrix_products']}")
    print(f"difference_from_nn_lstm = {table.attrs['difference_from_nn_lstm']}")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


if __name__ == "__main__":
    main()
