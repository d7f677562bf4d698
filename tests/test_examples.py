"""Every example runs as a plain script, as a reader would run it, with --quick, on Keras'
PyTorch backend as on a GPU runner without TensorFlow (on TensorFlow: test_standalone.py)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.py"))


def run_as_a_reader(
    arguments: list[str], folder: Path, backend: str = "tensorflow"
) -> subprocess.CompletedProcess:
    """Run Python with these arguments in a fresh folder, outside the repository."""
    env = dict(os.environ, MPLBACKEND="agg", KERAS_BACKEND=backend)
    result = subprocess.run(
        [sys.executable, *arguments],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def looks_like_a_program(stdout: str, backend: str, name: str) -> None:
    """A script reads like a program: a line saying what it runs on, then a short report
    under titles, not the page's glued values one per line."""
    assert re.match(rf"Keras \S+ on {backend}, PyTorch \S+ on \w+", stdout), (name, stdout[:300])
    assert re.search(r"\n\w[^\n]*\n-{5,}\n", stdout), (name, stdout[-2000:])
    assert not re.search(r"^[a-z][a-z0-9_]* = ", stdout, re.MULTILINE), (name, stdout)


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_as_a_script_with_quick_on_the_pytorch_backend(script, tmp_path):
    # A fresh working folder, outside the repository, as a reader who copied the file.
    # On TensorFlow, the default backend, tests/test_standalone.py runs them in a clean
    # environment with the book's wheel.
    result = run_as_a_reader([str(script), "--quick"], tmp_path, backend="torch")
    looks_like_a_program(result.stdout, "torch", script.name)
