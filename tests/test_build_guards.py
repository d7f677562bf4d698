"""The build refuses a page whose cell raises, and a page that skipped execution."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import NOTEBOOK_HEADER

EXT = Path(__file__).resolve().parent.parent / "docs" / "_ext"


def build(tmp_path: Path, page: str, *settings: str) -> subprocess.CompletedProcess:
    """Build a one-page project with the book's myst-nb settings and extensions."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(EXT)!r})
            extensions = ["myst_nb", "provenance"]
            nb_execution_mode = "cache"
            nb_execution_raise_on_error = False
            nb_execution_show_tb = True
            """
        ),
        encoding="utf-8",
    )
    (src / "index.md").write_text("# Test\n\n```{toctree}\npage\n```\n", encoding="utf-8")
    (src / "page.md").write_text(NOTEBOOK_HEADER + page, encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q"]
    command += [arg for setting in settings for arg in ("-D", setting)]
    command += [str(src), str(tmp_path / "out")]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_cell_that_raises_fails_the_build_and_names_page_and_cell(tmp_path):
    page = "# Page\n\n```{code-cell} ipython3\nvalue = 1\n```\n\n"
    page += "```{code-cell} ipython3\nraise RuntimeError('the cell that fails')\n```\n"
    result = build(tmp_path, page)
    report = result.stdout + result.stderr
    assert result.returncode != 0
    assert "page.md" in report
    assert "raise RuntimeError('the cell that fails')" in report


@pytest.mark.slow
def test_a_notebook_page_that_did_not_execute_fails_the_build(tmp_path):
    page = "# Page\n\n```{code-cell} ipython3\nprint('never run')\n```\n"
    result = build(tmp_path, page, "nb_execution_mode=off")
    assert result.returncode != 0
    assert "page: the page was not executed" in result.stdout + result.stderr


@pytest.mark.slow
def test_a_page_that_executes_passes_the_guard(tmp_path):
    page = "# Page\n\n```{code-cell} ipython3\nprint('ran')\n```\n"
    result = build(tmp_path, page)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "out" / "page.html").read_text(encoding="utf-8")
    assert "book-provenance" in html
