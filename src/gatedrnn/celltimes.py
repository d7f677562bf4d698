"""How long each cell of a page takes, measured in the build's own kernels.

The build loads this module as an IPython extension when the environment variable
``BOOK_CELL_TIMES`` names a file (``docs/conf.py``); every cell a kernel runs then adds
one JSON line to that file: its source, its seconds and the kernel's directory.
``tools/exercise_times.py`` adds up the cells of the exercises' solutions from it. In a
build without the variable nothing is loaded, and in a reader's Jupyter nothing happens.
"""

from __future__ import annotations

import json
import os
import time

#: The environment variable that names the file of cell times.
VARIABLE = "BOOK_CELL_TIMES"


def load_ipython_extension(ipython) -> None:
    """Time every cell the kernel runs from now on, if ``BOOK_CELL_TIMES`` is set."""
    path = os.environ.get(VARIABLE)
    if not path:
        return
    started: dict[str, float] = {}

    def pre_run_cell(info) -> None:
        started["cell"] = time.perf_counter()

    def post_run_cell(result) -> None:
        seconds = time.perf_counter() - started.pop("cell", time.perf_counter())
        record = {"source": result.info.raw_cell, "seconds": seconds, "cwd": os.getcwd()}
        with open(path, "a", encoding="utf-8") as times:
            times.write(json.dumps(record, ensure_ascii=False) + "\n")

    ipython.events.register("pre_run_cell", pre_run_cell)
    ipython.events.register("post_run_cell", post_run_cell)
