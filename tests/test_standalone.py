"""What a reader downloads runs where a reader runs it.

A reader installs the book's package the ordinary way, from its wheel with the extras of
the frameworks, and runs an example as a script or a chapter's notebook in Jupyter. This
test does the same outside the repository: it builds the wheel, creates a clean virtual
environment with only that wheel, its extras and a Jupyter kernel, and runs there every
example with ``--quick`` and every chapter notebook that the site offers for download.

It runs in every ``nox -s tests`` (about five minutes here: the install, then the examples
and the chapters, one per core at once); ``nox -s standalone`` runs it alone.
"""

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ROOT
from test_examples import looks_like_a_program

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from bookenv import THREAD_VARIABLES  # noqa: E402
from shards import cores, notebook_pages  # noqa: E402

EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.py"))
CHAPTERS = [page for page in notebook_pages() if not page.startswith("examples/")]

pytestmark = pytest.mark.slow


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
        # The scripts and notebooks run one per core at once, each framework on one thread,
        # or their threads would wait for each other.
        **dict.fromkeys(THREAD_VARIABLES, "1"),
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


def run_at_once(commands: dict[str, list], reader: dict, timeout: int) -> dict[str, str]:
    """Run named commands in the reader's folder, one per core at once; return their output.

    Fails naming every command that failed, with the end of its output, and prints each
    command's time.
    """

    def one(command):
        start = time.perf_counter()
        try:
            result = subprocess.run(command, env=reader["env"], cwd=reader["folder"],
                                    capture_output=True, text=True, timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired as timed_out:
            result = subprocess.CompletedProcess(command, 1, "", f"{timed_out}\n")
        return result, time.perf_counter() - start

    with ThreadPoolExecutor(max_workers=cores()) as pool:
        done = dict(zip(commands, pool.map(one, commands.values()), strict=True))
    for name, (_, seconds) in done.items():
        print(f"{name}: {seconds:.0f} s")
    failed = {n: r.stdout[-1500:] + r.stderr[-1500:] for n, (r, _) in done.items() if r.returncode}
    assert not failed, "\n\n".join(f"{name} failed:\n{tail}" for name, tail in failed.items())
    return {name: result.stdout for name, (result, _) in done.items()}


def test_every_example_runs_as_a_script_in_the_clean_environment(reader):
    for script in EXAMPLES:
        shutil.copyfile(script, reader["folder"] / script.name)
    commands = {s.name: [reader["python"], s.name, "--quick"] for s in EXAMPLES}
    for name, stdout in run_at_once(commands, reader, timeout=600).items():
        looks_like_a_program(stdout, "tensorflow", name)


def test_every_downloaded_chapter_notebook_runs_in_the_clean_environment(reader, site):
    commands = {}
    for chapter in CHAPTERS:
        notebook = site / "en" / "_sources" / f"{chapter}.ipynb"
        assert notebook.exists(), f"the site offers no notebook for {chapter}"
        shutil.copyfile(notebook, reader["folder"] / notebook.name)
        # nbclient's command line runs the notebook in the environment's own Python kernel.
        execute = reader["python"].parent / "jupyter-execute"
        commands[notebook.name] = [execute, "--kernel_name=python3", "--timeout=900", notebook.name]
    run_at_once(commands, reader, timeout=1200)
