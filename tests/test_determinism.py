"""Same code, same machine, same results: the cheap form of `nox -s determinism`.

The full check builds the whole book twice from empty caches (half an hour here), so it
is its own session. These tests keep its two promises in every `nox -s tests`: every
page of the build declares its timings, and one page executed twice from empty caches
gives the same glued values and tables, compared by the same script.
"""

import os
import subprocess
import sys

import pytest
from compare_builds import main, results, undeclared_timings
from conftest import ROOT

#: A fast page (17 s here) whose table mixes results with a declared timing column, and
#: which glues results and timings.
PAGE = "convlstm"


def test_every_page_of_the_build_declares_its_timings(site):
    found = results(ROOT / "_build" / "en")
    assert any(key.startswith("keras_rnn glue timing_") for key in found)
    assert undeclared_timings(found) == []


@pytest.mark.slow
def test_two_executions_of_a_page_give_the_same_results(tmp_path, capsys):
    for run in ("a", "b"):
        out = tmp_path / run
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-q"]
        command += ["-D", f"nb_execution_cache_path={out / 'cache'}", "-d", str(out / "doctrees")]
        command += [str(ROOT / "docs"), str(out / "html")]
        env = dict(os.environ, BOOK_PAGES=PAGE)
        build = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        assert build.returncode == 0, build.stderr[-3000:]
        assert (out / "jupyter_execute" / f"{PAGE}.glue.json").exists()
    status = main(tmp_path / "a", tmp_path / "b")
    report = capsys.readouterr().out
    assert status == 0, report
    assert f"Pages (1): {PAGE}" in report
