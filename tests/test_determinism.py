"""Same code, same machine, same results: the cheap form of `nox -s determinism`.

The full check builds the whole book twice from empty caches (40 minutes here), so it
is its own session. These tests keep its two promises in every `nox -s tests`: every
page of the build declares its timings, and two pages executed three times from empty
caches, one after another, side by side in one build, and in two shards merged, give the
same glued values, figures and tables, compared by the same script.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

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


def sphinx(out: Path, *settings: str, quiet: bool = True) -> subprocess.CompletedProcess:
    """Build PAGES into ``out`` with their executions in ``out/cache``."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", *(["-q"] if quiet else [])]
    command += ["-D", f"nb_execution_cache_path={out / 'cache'}", "-d", str(out / "doctrees")]
    command += [arg for setting in settings for arg in ("-D", setting)]
    command += [str(ROOT / "docs"), str(out / "html")]
    env = dict(os.environ, BOOK_PAGES=",".join(PAGES))
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)


def shards(*arguments) -> subprocess.CompletedProcess:
    """Run docs/_ext/shards.py on PAGES."""
    command = [sys.executable, str(ROOT / "docs" / "_ext" / "shards.py"), *map(str, arguments)]
    env = dict(os.environ, BOOK_PAGES=",".join(PAGES))
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    return run


def shard_pages(stdout: str, share: str) -> list[str]:
    """The pages that ``shards.py execute`` says it gave to ``share`` ("1/2")."""
    line = next(line for line in stdout.splitlines() if line.startswith(f"shard {share}: "))
    return line.removeprefix(f"shard {share}: ").split(" (about")[0].split(", ")


@pytest.mark.slow
def test_sequential_parallel_and_sharded_builds_give_the_same_results(tmp_path, capsys):
    # One process executes the pages one after another; a build executes them in two
    # processes at once (as every build does on two cores); two shards execute them from
    # empty caches, and a build that executes nothing reads their merged executions.
    single, parallel, merged = tmp_path / "single", tmp_path / "parallel", tmp_path / "merged"
    build = sphinx(single, "book_jobs=1")
    assert build.returncode == 0, build.stderr[-3000:]
    build = sphinx(parallel, "book_jobs=2", quiet=False)
    assert build.returncode == 0, build.stderr[-3000:]
    assert "[shards] executed 2 of 2 pages in 2 processes" in build.stdout, build.stdout[-3000:]
    assert "Executing notebook" not in build.stdout + build.stderr
    one, two = tmp_path / "shard1", tmp_path / "shard2"
    # Which page goes first depends on the run times this machine recorded; each shard
    # takes one page, and together they take both.
    first = shard_pages(shards("execute", "1/2", "--out", one).stdout, "1/2")
    second = shard_pages(shards("execute", "2/2", "--out", two).stdout, "2/2")
    assert len(first) == len(second) == 1
    assert sorted(first + second) == sorted(PAGES)
    shards("merge", one / "cache", two / "cache", "--into", merged / "cache")
    build = sphinx(merged, "book_from_shards=1")
    assert build.returncode == 0, build.stderr[-3000:]
    assert "Executing notebook" not in build.stdout + build.stderr
    for out in (single, parallel, merged):
        for page in PAGES:
            assert (out / "jupyter_execute" / f"{page}.glue.json").exists(), page
    for other in (parallel, merged):
        status = main(single, other)
        report = capsys.readouterr().out
        assert status == 0, report
        assert f"Pages (2): {', '.join(PAGES)}" in report
    assert "gates glue fig_gate_signal [image/svg+xml]" in json.dumps(results(single))

    # A page that no shard executed stops the build, by name, before anything executes.
    refused = sphinx(one, "book_from_shards=1")
    assert refused.returncode != 0
    assert f"no shard executed these pages: {second[0]}" in refused.stderr
