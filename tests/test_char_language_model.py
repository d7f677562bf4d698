"""The loader and the cleaning of the character-level example (gatedrnn.aozora)."""

import re
from pathlib import Path

import keras
import pytest

from gatedrnn import aozora

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "aozora"


@pytest.fixture
def loader():
    """The loader of the character-level example, as the example imports it."""
    return aozora


@pytest.fixture
def shared_novel() -> bytes:
    path = SHARED / "wagahaiwa_nekodearu.sjis.txt"
    if not path.exists():
        pytest.skip(f"no shared copy of the novel at {path}")
    return path.read_bytes()


def seed_cache(home: Path, data: bytes) -> None:
    target = home / "datasets" / "aozora" / "wagahaiwa_nekodearu.txt"
    target.parent.mkdir(parents=True)
    target.write_bytes(data)


def test_cleaning_reproduces_the_independently_derived_plain_text(loader, shared_novel):
    # The plain text in shared/ was derived from the same file by other code.
    expected = (SHARED / "wagahaiwa_nekodearu.plain.txt").read_text(encoding="utf-8")
    text = loader.clean_aozora(shared_novel)
    assert text == expected
    assert not re.search("[《》｜［］＃]", text)


def test_loader_reads_a_seeded_cache_without_downloading(
    loader, shared_novel, tmp_path, monkeypatch
):
    seed_cache(tmp_path, shared_novel)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_download(*args, **kwargs):
        raise AssertionError("the loader tried to download a file that is in the cache")

    monkeypatch.setattr(keras.utils, "get_file", no_download)
    assert loader.novel_bytes() == shared_novel


def test_loader_refuses_a_file_with_another_hash(loader, shared_novel, tmp_path, monkeypatch):
    changed = bytearray(shared_novel)
    changed[1000] ^= 0x01  # the same size, one bit different
    seed_cache(tmp_path, bytes(changed))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    expected = loader.ENTRY_SHA256
    with pytest.raises(ValueError, match=rf"expected 749,051 bytes with SHA-256 {expected}"):
        loader.novel_bytes()


def test_loader_refuses_a_truncated_file(loader, shared_novel, tmp_path, monkeypatch):
    seed_cache(tmp_path, shared_novel[:-10])
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(ValueError, match=r"got 749,041 bytes"):
        loader.novel_bytes()
