"""吾輩は猫である (I Am a Cat) by Natsume Sōseki, from Aozora Bunko, for the character model.

Aozora Bunko publishes the novel (public domain) as a zip archive holding one text file in
Shift_JIS. `novel_bytes` downloads the archive once with ``keras.utils.get_file``, keeps
the text file in the Keras cache (``~/.keras/datasets/aozora/``, or under ``$KERAS_HOME``)
and checks its size and SHA-256 every time it reads it: a file that does not match is an
error that names the file, the expected hash and the hash found. `clean_aozora` removes
Aozora Bunko's header, footer, ruby readings and notes.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path

ARCHIVE_URL = "https://www.aozora.gr.jp/cards/000148/files/789_ruby_5639.zip"
ENTRY = "wagahaiwa_nekodearu.txt"  # the text file inside the archive
ENTRY_BYTES = 749_051
ENTRY_SHA256 = "f8c511ab3e69e3a1ccfea475783c2e4d64917a2cdedfb67441ea27655aca5f75"


def novel_bytes() -> bytes:
    """The novel as Aozora Bunko publishes it (Shift_JIS), downloaded once and checked."""
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    path = home / "datasets" / "aozora" / ENTRY
    if not path.exists():
        import keras

        archive = keras.utils.get_file(
            Path(ARCHIVE_URL).name, ARCHIVE_URL, cache_dir=home, cache_subdir="datasets/aozora"
        )
        with zipfile.ZipFile(archive) as zipped:
            path.write_bytes(zipped.read(ENTRY))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != ENTRY_BYTES or digest != ENTRY_SHA256:
        raise ValueError(
            f"{path}: expected {ENTRY_BYTES:,} bytes with SHA-256 {ENTRY_SHA256}, "
            f"got {len(data):,} bytes with SHA-256 {digest}; delete the file to download it again"
        )
    return data


def clean_aozora(raw: bytes) -> str:
    """The novel's text without Aozora Bunko's header, footer, ruby and notes."""
    text = raw.decode("cp932").replace("\r\n", "\n")
    # The header ends at the second line of dashes; the footer starts with 底本 (the source book).
    lines = text.split("\n")
    dashes = [i for i, line in enumerate(lines) if re.fullmatch(r"-{20,}", line)]
    text = "\n".join(lines[dashes[1] + 1 :])
    text = text[: text.index("\n底本：")]
    # Notes ［＃…］ (with the ※ that marks a character outside the encoding), ruby 《…》, and ｜,
    # which marks where a ruby starts.
    text = re.sub(r"※?［＃[^］]*］", "", text)
    text = re.sub(r"《[^》]*》", "", text).replace("｜", "")
    # Three or more blank lines become one.
    text = re.sub(r"\n{4,}", "\n\n", text)
    return text.strip("\n") + "\n"
