"""Shares of pages balanced by their run times (docs/_ext/shards.py)."""

import json
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from shards import notebook_pages, plan, recorded_seconds  # noqa: E402


def test_shares_are_balanced_by_run_time_longest_first():
    seconds = {"a": 373, "b": 326, "c": 195, "d": 194, "e": 142, "f": 87, "g": 40}
    shares = plan(seconds, 2)
    assert sorted(p for share in shares for p in share) == sorted(seconds)
    loads = [sum(seconds[p] for p in share) for share in shares]
    # Longest first, each to the lighter share: a | b, c | d ... within the shortest page.
    assert shares[0][:2] == ["a", "d"] and shares[1][:2] == ["b", "c"]
    assert abs(loads[0] - loads[1]) <= max(seconds.values())
    assert plan(seconds, 1) == [sorted(seconds, key=lambda p: -seconds[p])]
    with pytest.raises(ValueError, match="at least 1 shard"):
        plan(seconds, 0)


def test_a_page_without_a_recorded_time_counts_as_the_median(tmp_path, monkeypatch):
    import shards

    monkeypatch.setattr(shards, "TIMES", tmp_path / "times.json")
    (tmp_path / "times.json").write_text(json.dumps({"a": 10, "b": 30}), encoding="utf-8")
    (tmp_path / "cache" / "provenance").mkdir(parents=True)
    (tmp_path / "cache" / "provenance" / "b.json").write_text('{"runtime": 20.0}')
    seconds = recorded_seconds(tmp_path / "cache", ["a", "b", "c"])
    # The cache's record beats the committed time, and a new page gets the median.
    assert seconds == {"a": 10.0, "b": 20.0, "c": 15.0}


def test_every_executed_page_has_a_committed_run_time():
    committed = json.loads((ROOT / "docs" / "_ext" / "execution_times.json").read_text())
    assert sorted(committed) == notebook_pages()
