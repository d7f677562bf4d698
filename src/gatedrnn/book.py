"""Helpers that every page of the book shares but that are not the lesson.

Seeding, the figure style, the device, and the provenance record that the book's
Sphinx extension prints at the foot of each executed page.
"""

from __future__ import annotations

import os
import platform
import random
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

#: The seed every page starts from.
SEED = 20261122


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
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # Outside Jupyter there is no inline backend to configure.
        return
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
