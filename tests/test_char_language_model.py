"""The loader and the cleaning of the character-level example, run from the example's own code."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "char_language_model.py"
SHARED = ROOT.parent / "shared" / "data" / "aozora"


@pytest.fixture(scope="module")
def loader() -> dict:
    """The example's imports and its loader cell, executed as the page executes them."""
    cells = re.split(r"^# %%.*$", EXAMPLE.read_text(encoding="utf-8"), flags=re.M)
    code = [c for c in cells if not c.lstrip().startswith("# ")]
    imports = next(c for c in code if "import keras" in c)
    cell = next(c for c in code if "def novel_bytes" in c)
    namespace: dict = {}
    exec(imports, namespace)
    # Only the definitions: the rest of the cell loads the novel from the book's cache.
    exec(cell[: cell.index("\nraw = novel_bytes()")], namespace)
    return namespace


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
    text = loader["clean_aozora"](shared_novel)
    assert text == expected
    assert not re.search("[《》｜［］＃]", text)


def test_loader_reads_a_seeded_cache_without_downloading(
    loader, shared_novel, tmp_path, monkeypatch
):
    seed_cache(tmp_path, shared_novel)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_download(*args, **kwargs):
        raise AssertionError("the loader tried to download a file that is in the cache")

    monkeypatch.setattr(loader["keras"].utils, "get_file", no_download)
    assert loader["novel_bytes"]() == shared_novel


def test_loader_refuses_a_file_with_another_hash(loader, shared_novel, tmp_path, monkeypatch):
    changed = bytearray(shared_novel)
    changed[1000] ^= 0x01  # the same size, one bit different
    seed_cache(tmp_path, bytes(changed))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    expected = loader["ENTRY_SHA256"]
    with pytest.raises(ValueError, match=rf"expected 749,051 bytes with SHA-256 {expected}"):
        loader["novel_bytes"]()


def test_loader_refuses_a_truncated_file(loader, shared_novel, tmp_path, monkeypatch):
    seed_cache(tmp_path, shared_novel[:-10])
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(ValueError, match=r"got 749,041 bytes"):
        loader["novel_bytes"]()
