"""Every example runs as a plain script, as a reader would run it, with --quick."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_as_a_script_with_quick(script, tmp_path):
    env = dict(os.environ, MPLBACKEND="agg")
    # A fresh working folder, outside the repository, as a reader who copied the file.
    result = subprocess.run(
        [sys.executable, str(script), "--quick"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "=" in result.stdout  # the glued numbers are printed
