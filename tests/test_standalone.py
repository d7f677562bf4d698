"""What a reader downloads runs where a reader runs it.

A reader installs the book's package the ordinary way, from its wheel with the extras of
the frameworks, and runs an example as a script or a chapter's notebook in Jupyter. This
test does the same outside the repository: it builds the wheel, creates a clean virtual
environment with only that wheel, its extras and a Jupyter kernel, and runs there every
example with ``--quick`` and every chapter notebook that the site offers for download.

It installs TensorFlow and PyTorch into a new environment and executes every chapter, so
it is its own session (``nox -s standalone``) rather than part of ``nox -s tests``.
"""

import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from shards import notebook_pages  # noqa: E402

EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.py"))
CHAPTERS = [page for page in notebook_pages() if not page.startswith("examples/")]

pytestmark = pytest.mark.skipif(
    os.environ.get("BOOK_STANDALONE") != "1",
    reason="installs the frameworks into a new environment: run `nox -s standalone`",
)


def run(command, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> dict:
    """A clean environment with the book's wheel and its extras, and a reader's folders."""
    base = tmp_path_factory.mktemp("reader")
    # The wheel is built from a copy of what it is made of, so the repository stays clean.
    source = base / "source"
    for part in ["pyproject.toml", "README.md", "LICENSE"]:
        (source / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / part, source / part)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", source])
    (wheel,) = (base / "dist").glob("gatedrnn-*.whl")
    run([sys.executable, "-m", "venv", base / "venv"])
    python = base / "venv" / "bin" / "python"
    start = time.perf_counter()
    run([python, "-m", "pip", "install", "-q", f"gatedrnn[torch,keras,pages] @ {wheel.as_uri()}",
         "ipykernel", "nbclient"])  # fmt: skip
    print(f"installed the wheel and its extras in {time.perf_counter() - start:.0f} s")
    # The data a reader's loaders would download once, from the build's Keras cache.
    keras_home = base / "keras"
    shutil.copytree(ROOT / "_build" / "keras" / "datasets", keras_home / "datasets")
    env = {
        "PATH": f"{python.parent}{os.pathsep}/usr/bin:/bin",
        "HOME": str(base / "home"),
        "KERAS_HOME": str(keras_home),
        "MPLBACKEND": "agg",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    (base / "home").mkdir()
    return {"python": python, "env": env, "folder": base / "home"}


def test_the_package_is_the_wheel_not_the_repository(reader):
    where = run(
        [reader["python"], "-c", "import gatedrnn; print(gatedrnn.__file__)"],
        env=reader["env"],
        cwd=reader["folder"],
    ).stdout
    assert "site-packages" in where and str(ROOT) not in where, where


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_an_example_runs_as_a_script_in_the_clean_environment(reader, script):
    copy = reader["folder"] / script.name
    shutil.copyfile(script, copy)
    start = time.perf_counter()
    result = run([reader["python"], copy, "--quick"], env=reader["env"], cwd=reader["folder"])
    print(f"{script.name} --quick: {time.perf_counter() - start:.0f} s")
    assert result.stdout.startswith("Keras "), result.stdout[:300]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_downloaded_chapter_notebook_runs_in_the_clean_environment(reader, site, chapter):
    notebook = site / "en" / "_sources" / f"{chapter}.ipynb"
    assert notebook.exists(), f"the site offers no notebook for {chapter}"
    copy = reader["folder"] / notebook.name
    shutil.copyfile(notebook, copy)
    # nbclient's command line runs the notebook in the environment's own Python kernel.
    execute = reader["python"].parent / "jupyter-execute"
    start = time.perf_counter()
    run([execute, "--kernel_name=python3", "--timeout=900", copy], env=reader["env"],
        cwd=reader["folder"], timeout=1200)  # fmt: skip
    print(f"{chapter}.ipynb: {time.perf_counter() - start:.0f} s")
