"""Same code, same machine, same results: the cheap form of `nox -s determinism`.

The full check builds the whole book twice from empty caches (half an hour here), so it
is its own session. These tests keep its two promises in every `nox -s tests`: every
page of the build declares its timings, and two pages executed twice from empty caches
give the same glued values, figures and tables, compared by the same script.
"""

import json
import os
import subprocess
import sys

import pytest
from compare_builds import main, results, undeclared_timings
from conftest import ROOT

#: Two fast pages (30 s here): the first has a table that mixes results with a declared
#: timing column and glues results and timings, the second glues figures.
PAGES = ["convlstm", "gates"]


def test_every_page_of_the_build_declares_its_timings(site):
    found = results(ROOT / "_build" / "en")
    assert any(key.startswith("keras_rnn glue timing_") for key in found)
    assert undeclared_timings(found) == []


@pytest.mark.slow
def test_two_executions_of_the_same_pages_give_the_same_results(tmp_path, capsys):
    for run in ("a", "b"):
        out = tmp_path / run
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-q"]
        command += ["-D", f"nb_execution_cache_path={out / 'cache'}", "-d", str(out / "doctrees")]
        command += [str(ROOT / "docs"), str(out / "html")]
        env = dict(os.environ, BOOK_PAGES=",".join(PAGES))
        build = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        assert build.returncode == 0, build.stderr[-3000:]
        for page in PAGES:
            assert (out / "jupyter_execute" / f"{page}.glue.json").exists(), page
    status = main(tmp_path / "a", tmp_path / "b")
    report = capsys.readouterr().out
    assert status == 0, report
    assert f"Pages (2): {', '.join(PAGES)}" in report
    assert "gates glue fig_gate_signal [image/svg+xml]" in json.dumps(results(tmp_path / "a"))
