"""The environment every execution of the book's code sees: quiet, seeded, offline data.

docs/conf.py applies it to every build, so a bare ``sphinx-build docs out`` executes the
same book as ``nox -s docs``; noxfile.py applies it to the sessions that run the examples
as scripts. This module imports nothing but the standard library.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: What sets the threads of PyTorch (OpenMP) and TensorFlow in a kernel.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def environment(root: Path) -> dict[str, str]:
    """The variables for the kernels and scripts; seeds the Keras cache under ``_build``.

    The machines that build the book are offline: where a folder ``../shared/data`` sits
    beside the project, the Keras cache is seeded with the genuine dataset files, which
    Keras (and the novel's loader) then check against their hashes.
    """
    keras_home = root / "_build" / "keras"
    shared = root.parent / "shared" / "data"
    datasets = keras_home / "datasets"
    if (shared / "keras_datasets").is_dir():
        datasets.mkdir(parents=True, exist_ok=True)
        for source in (shared / "keras_datasets").iterdir():
            if not (datasets / source.name).exists():
                shutil.copyfile(source, datasets / source.name)
    # The character-level example keeps the novel where its loader caches the download.
    novel = datasets / "aozora" / "wagahaiwa_nekodearu.txt"
    shared_novel = shared / "aozora" / "wagahaiwa_nekodearu.sjis.txt"
    if shared_novel.is_file() and not novel.exists():
        novel.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_novel, novel)
    return {
        # One thread per framework in every kernel, so that a page gives the same numbers
        # alone or beside other pages (docs/_ext/shards.py), on two cores or on sixteen: a
        # framework with more threads sums in another order. The book's small recurrent
        # models gain little from a second thread; the build runs pages side by side instead.
        **dict.fromkeys(THREAD_VARIABLES, "1"),
        "PYTHONHASHSEED": "0",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "CUBLAS_WORKSPACE_CONFIG": ":4096:8",
        "KERAS_HOME": str(keras_home),
    }


def execution_cache(root: Path) -> Path:
    """The book's execution cache. The device kind is part of the path, so a CPU result is
    never served as a GPU result or the other way round."""
    from gatedrnn.book import device_kind

    return root / "_build" / ".jupyter_cache" / device_kind()
