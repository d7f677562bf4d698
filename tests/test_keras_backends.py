"""The book's Keras code also runs on Keras' PyTorch backend, as on a GPU runner that has
CUDA PyTorch and no TensorFlow."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

#: The tests of the from-scratch Keras cells, the gates and the ConvLSTM, each of which
#: checks Keras code against the library with copied weights.
KERAS_TESTS = ["tests/test_cells.py", "tests/test_gates.py", "tests/test_convlstm.py"]


@pytest.mark.slow
def test_the_keras_cells_pass_their_tests_on_the_pytorch_backend():
    env = dict(os.environ, KERAS_BACKEND="torch")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *KERAS_TESTS]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert "keras backend: torch" in run.stdout, run.stdout[:2000]
    assert run.returncode == 0, run.stdout[-3000:]
