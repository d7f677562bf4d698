"""Every example runs as a plain script, as a reader would run it, with --quick."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.py"))


def run_as_a_reader(arguments: list[str], folder: Path) -> subprocess.CompletedProcess:
    """Run Python with these arguments in a fresh folder, outside the repository."""
    env = dict(os.environ, MPLBACKEND="agg")
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


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_as_a_script_with_quick(script, tmp_path):
    # A fresh working folder, outside the repository, as a reader who copied the file.
    result = run_as_a_reader([str(script), "--quick"], tmp_path)
    # A script reads like a program: a line saying what it runs on, then a short report
    # under titles, not the page's glued values one per line.
    assert re.match(r"Keras \S+ on \w+, PyTorch \S+ on \w+", result.stdout), result.stdout[:300]
    assert re.search(r"\n\w[^\n]*\n-{5,}\n", result.stdout), result.stdout[-2000:]
    assert not re.search(r"^[a-z][a-z0-9_]* = ", result.stdout, re.MULTILINE), result.stdout
