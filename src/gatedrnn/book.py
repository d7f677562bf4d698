"""Helpers that every page of the book shares but that are not the lesson.

Seeding, the figure style, the device, and the provenance record that the book's
Sphinx extension prints at the foot of each executed page. For the examples, which run
both as pages of the book and as scripts: the glue-or-quiet fallback, the quick flag,
progress and report lines for the script, and the thread, GPU-memory and XLA policy.
"""

from __future__ import annotations

import logging
import os
import platform
import random
import sys
from importlib import metadata

import numpy as np

#: The Okabe-Ito palette, safe for readers with colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: How the book's figures are written, for every page (the build's kernels read it too):
#: SVG whose text stays text, so that the Japanese edition can translate it, with stable
#: ids and a font stack that draws Japanese glyphs in any browser.
FIGURE_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "gated-rnn-book",
    "font.family": "sans-serif",
    "font.sans-serif": [
        "DejaVu Sans",
        "Noto Sans CJK JP",
        "Hiragino Sans",
        "Yu Gothic",
        "Meiryo",
        "sans-serif",
    ],
}

#: The seed every chapter starts from.
SEED = 20261122

#: The variable the book's build sets (docs/conf.py) for the kernels it starts.
BOOK_BUILD_VARIABLE = "GATEDRNN_BOOK_BUILD"
#: True inside the book's build; False in a script, or in a reader's Jupyter or Colab.
IN_BOOK = os.environ.get(BOOK_BUILD_VARIABLE) == "1"
#: ``--quick`` on the command line: a smoke test of a few seconds instead of the book's size.
QUICK = "--quick" in sys.argv[1:]


def torch_device():
    """Return ``cuda`` when PyTorch sees a GPU, and ``cpu`` otherwise."""
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def device_kind() -> str:
    """Return ``"gpu"`` when PyTorch sees a GPU, and ``"cpu"`` otherwise."""
    return "gpu" if torch_device().type == "cuda" else "cpu"


def seed_everything(seed: int = SEED) -> None:
    """Seed Python, NumPy, PyTorch and the Keras backend with one number."""
    import keras
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    keras.utils.set_random_seed(seed)


def use_book_style() -> None:
    """Set the figure style: SVG output with text as text, the palette, and stable SVG ids."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(PALETTE.values())),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "figure.figsize": (7.0, 3.6),
            "font.size": 11,
            "legend.frameon": False,
            **FIGURE_RC,
        }
    )
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # Outside Jupyter there is no inline backend to configure.
        return
    if get_ipython() is not None:  # In a script, this would start an IPython shell.
        set_matplotlib_formats("svg", metadata={"Date": None})


def setup_page(seed: int = SEED) -> None:
    """Prepare a page: seed every library and set the figure style."""
    seed_everything(seed)
    use_book_style()


def device_name() -> str:
    """Name the GPU PyTorch uses, or the CPU model when there is none.

    The name is a product name in any language; pages and footers that give the
    number of cores (``os.cpu_count()``) word it in their own language.
    """
    import torch

    if torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance() -> dict[str, str]:
    """Describe the machine and the libraries the book's code runs with."""
    return {
        "device_kind": device_kind(),
        "device": device_name(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
        "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
        "torch": _version("torch"),
    }


def glue(name: str, value, display: bool = True) -> None:
    """In the book, glue a value into the page's text (myst-nb's ``glue``).

    Anywhere else (a script, a downloaded notebook) this does nothing, so myst-nb is not
    needed there; an example prints its results with `report` instead.
    """
    if IN_BOOK:
        from myst_nb import glue as myst_glue

        myst_glue(name, value, display=display)


def progress(message: str) -> None:
    """Print a line of progress when an example runs as a script; pages stay free of it."""
    if not IN_BOOK:
        print(message, flush=True)


def report(title: str, result) -> None:
    """Print a result under a title when an example runs as a script.

    In the book the page displays the same table or figure itself.
    """
    if not IN_BOOK:
        body = result.to_string() if hasattr(result, "to_string") else str(result)
        print(f"\n{title}\n{'-' * len(title)}\n{body}", flush=True)


def show(fig) -> None:
    """Close a figure that the page shows glued, with its caption; elsewhere, show it."""
    import matplotlib.pyplot as plt

    if IN_BOOK:
        plt.close(fig)
    else:
        plt.show()


def example_seeds(n: int, quick: int = 1) -> list[int]:
    """The seeds of an example's repeated runs: 0, 1, …, n - 1, or the first ``quick`` of
    them with ``--quick``. An example that trains once uses the first, 0."""
    return list(range(quick if QUICK else n))


def start_example(*, torch_threads: int | None = None):
    """Prepare an example's frameworks, print what it runs on, and return PyTorch's device.

    - TensorFlow grows its GPU memory as it needs it, instead of taking almost all of it
      and leaving none to PyTorch (call this before the first TensorFlow operation);
    - on a CPU, ``torch_threads`` caps PyTorch's threads: small recurrent models gain
      nothing from a second thread, and threads that wait for each other make PyTorch many
      times slower when another program shares the cores;
    - TensorFlow's notes on retraced functions stay out of the output: every new Keras
      model traces new functions;
    - the figures take the book's style (`use_book_style`), in the book and in a script.
    """
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    import keras
    import torch

    use_book_style()

    device = torch_device()
    if device.type == "cpu" and torch_threads:
        torch.set_num_threads(torch_threads)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    print(
        f"Keras {keras.__version__} on {keras.backend.backend()}, "
        f"PyTorch {torch.__version__} on {device}"
    )
    return device


def jit_compile(device) -> bool | str:
    """The ``jit_compile`` setting for Keras models in the examples.

    Keras leaves XLA off on CPU-only machines; with TensorFlow it makes the examples' small
    recurrent models several times faster there, once its compile time is paid back, so it
    is on for a CPU at the book's size. On a GPU, ``"auto"`` lets Keras pick the fused cuDNN
    kernel, which XLA cannot compile; a ``--quick`` run is too short to repay compiling.
    """
    import keras

    if keras.backend.backend() == "tensorflow" and device.type == "cpu" and not QUICK:
        return True
    return "auto"


def steps_per_execution(steps: int) -> int:
    """Training steps per call of Keras' compiled function: ``steps``, or 1 on PyTorch.

    Several steps per call save Python overhead; Keras' PyTorch backend runs one per call.
    """
    import keras

    return 1 if keras.backend.backend() == "torch" else steps
