"""Shared fixtures: where the built site lives, and quiet TensorFlow logs."""

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "site"

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from languages import LANGUAGES  # noqa: E402

#: The editions of the book, as docs/_ext/languages.py lists them.
EDITIONS = list(LANGUAGES)

#: The front matter that makes a Markdown file a MyST notebook, for the tests' small pages.
NOTEBOOK_HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


@pytest.fixture(scope="session")
def site() -> Path:
    """The site that `nox -s docs` (or the first step of `nox -s tests`) built."""
    if not (SITE / "en" / "index.html").exists():
        pytest.fail(f"No built site at {SITE}: run `nox -s docs` (or `nox -s tests`) first.")
    return SITE


@pytest.fixture(autouse=True)
def seeded():
    """Every test starts from the same seeds, so a failure can be reproduced."""
    import numpy as np
    import torch

    seed = int(os.environ.get("BOOK_TEST_SEED", "0"))
    torch.manual_seed(seed)
    np.random.seed(seed)


def pytest_report_header(config):
    """Name the Keras backend (KERAS_BACKEND) and PyTorch's device, at the top of the report."""
    import keras

    from gatedrnn.book import torch_device

    return f"keras backend: {keras.backend.backend()}, torch device: {torch_device()}"


def pytest_configure(config):
    """On a GPU, compare in full float32: no TensorFloat-32 in cuDNN's or cuBLAS' sums."""
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
