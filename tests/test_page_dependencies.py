"""A page executes again when a module of the package that it runs changes, and only then."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOTEBOOK_HEADER, ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from pagedeps import dependencies, with_digest  # noqa: E402

PACKAGE = ROOT / "src" / "gatedrnn"


def names(files):
    return sorted(f.name for f in files)


def test_a_page_depends_on_what_it_imports_and_loads_and_what_they_import():
    page = ROOT / "docs" / "gru.md"
    found = dependencies(page.read_text(encoding="utf-8"), page, PACKAGE)
    # gru.md imports gatedrnn.book, gatedrnn.data and gatedrnn.diagrams, and loads three
    # modules.
    assert names(found) == [
        "__init__.py", "book.py", "convert.py", "data.py", "diagrams.py", "keras_cells.py",
        "torch_cells.py",
    ]  # fmt: skip
    # gatedrnn.speed imports gatedrnn.book, and inside its functions the cells it times and
    # gatedrnn.torch_speed, which names PyTorch's kernels:
    # a page that imports speed depends on all of them.
    script = "# %%\nfrom gatedrnn.speed import speed_table\n"
    assert names(dependencies(script, ROOT / "docs" / "page.py", PACKAGE)) == [
        "__init__.py", "book.py", "keras_cells.py", "speed.py", "torch_cells.py",
        "torch_speed.py",
    ]  # fmt: skip


def test_a_page_that_runs_nothing_of_the_package_has_no_dependencies():
    script = "# %%\nimport numpy as np\n# from gatedrnn import data (a comment)\n"
    assert dependencies(script, ROOT / "docs" / "page.py", PACKAGE) == []


def test_the_digest_goes_under_the_kernelspec_of_either_front_matter():
    myst = (ROOT / "docs" / "gates.md").read_text(encoding="utf-8")
    assert "kernelspec:\n  book_dependencies: 0123\n  display_name" in with_digest(
        myst, "0123", Path("gates.md")
    )
    percent = (ROOT / "docs" / "examples" / "gate_learning.py").read_text(encoding="utf-8")
    assert "#   kernelspec:\n#     book_dependencies: 0123\n#     display_name" in with_digest(
        percent, "0123", Path("gate_learning.py")
    )


PROBE_PAGE = (
    NOTEBOOK_HEADER
    + """
# Probe

```{code-cell} ipython3
from gatedrnn.probe_outer import value

value
```

```{toctree}
loader
```
"""
)
LOADER_PAGE = (
    NOTEBOOK_HEADER
    + """
# Loader

```{code-cell} ipython3
:load: ../src/gatedrnn/probe_loaded.py
```
"""
)


def build(copy: Path, *extra: str) -> dict[str, str]:
    """Build the pages of the copy warm; return how each page got its results."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going"]
    command += ["-D", f"nb_execution_cache_path={copy / 'cache'}", "-d", str(copy / "doctrees")]
    command += [*extra, str(copy / "docs"), str(copy / "html")]
    env = dict(os.environ, BOOK_PAGES="probe,loader", PYTHONPATH=str(copy / "src"))
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    found = {}
    executions = re.findall(r"(\w+)\.(?:md|py): (Executing|Using cached) notebook", run.stdout)
    for page, verb in executions:
        found[page] = "executed" if verb == "Executing" else "cached"
    # Two or more pages to execute run side by side in shards before the build reads them
    # from the cache (docs/_ext/shards.py).
    for pages in re.findall(r"\[shards\] shard \d+/\d+: (.+)", run.stdout):
        found.update(dict.fromkeys(pages.strip().split(", "), "executed"))
    for page in re.findall(r"\[pagedeps\] (\w+): removed its cached executions", run.stdout):
        found[page] += ", after --rerun"
    return found


@pytest.mark.slow
def test_editing_a_module_executes_again_the_pages_that_run_it_and_no_other(tmp_path):
    copy = tmp_path / "book"
    shutil.copytree(ROOT / "docs", copy / "docs", ignore=shutil.ignore_patterns("locale"))
    package = copy / "src" / "gatedrnn"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    # The probe page imports probe_outer, which imports probe_inner: a dependency that the
    # page's own code never names.
    (copy / "docs" / "probe.md").write_text(PROBE_PAGE, encoding="utf-8")
    (package / "probe_outer.py").write_text("from .probe_inner import value\n", encoding="utf-8")
    (package / "probe_inner.py").write_text("value = 1\n", encoding="utf-8")
    # The loader page shows probe_loaded with :load: and runs it.
    (copy / "docs" / "loader.md").write_text(LOADER_PAGE, encoding="utf-8")
    (package / "probe_loaded.py").write_text("print('loaded')\n", encoding="utf-8")

    assert build(copy) == {"probe": "executed", "loader": "executed"}
    assert build(copy) == {}, "a warm build with nothing changed re-reads nothing"

    # A module the probe page reaches only through another module.
    (package / "probe_inner.py").write_text("value = 2\n", encoding="utf-8")
    assert build(copy) == {"probe": "executed"}
    assert re.search(r">\s*2\s*</pre>", (copy / "html" / "probe.html").read_text(encoding="utf-8"))

    # A module that the loader page shows with :load: and runs.
    (package / "probe_loaded.py").write_text("print('loaded again')\n", encoding="utf-8")
    assert build(copy) == {"loader": "executed"}
    assert "loaded again" in (copy / "html" / "loader.html").read_text(encoding="utf-8")

    # Without an edit, --rerun executes a page again from its code.
    assert build(copy, "-D", "book_rerun=probe") == {"probe": "executed, after --rerun"}
