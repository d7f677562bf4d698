"""Sphinx configuration of gated-rnn-book.

The English source is built as is; the Japanese edition is the same build with
``-D language=ja``, which reads ``locale/ja/LC_MESSAGES/*.po``. Both builds share
one jupyter-cache, so every notebook executes once.
"""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

from bookenv import THREAD_VARIABLES, environment, execution_cache  # noqa: E402
from languages import LANGUAGES  # noqa: E402
from languages import SOURCE as SOURCE_LANGUAGE  # noqa: E402

from gatedrnn.book import BOOK_BUILD_VARIABLE, FIGURE_RC, device_kind  # noqa: E402

# Every kernel the build starts reads this IPython profile: figures come out as SVG
# with stable ids and their text as text, so two builds of the same code give the same
# files and the Japanese edition can translate the words of every figure.
IPYTHONDIR = ROOT / "_build" / "ipython"
KERNEL_CONFIG = (
    "c.InlineBackend.figure_formats = {'svg'}\n"
    f"c.InlineBackend.rc = {FIGURE_RC!r}\n"
    "c.InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', 'metadata': {'Date': None}}\n"
    # Logs that C++ libraries write to the process's stderr stay in the build log;
    # Python warnings still show on the page.
    "c.IPKernelApp.capture_fd_output = False\n"
)
# A build that measures its cells (tools/exercise_times.py) loads the timer into every
# kernel; the profile of any other build does not mention it.
if os.environ.get("BOOK_CELL_TIMES"):
    KERNEL_CONFIG += "c.InteractiveShellApp.extensions = ['gatedrnn.celltimes']\n"
profile = IPYTHONDIR / "profile_default" / "ipython_kernel_config.py"
# Written only when it changes, and whole: the builds that execute pages side by side
# (docs/_ext/shards.py) each read this file while their kernels start.
if not profile.is_file() or profile.read_text(encoding="utf-8") != KERNEL_CONFIG:
    profile.parent.mkdir(parents=True, exist_ok=True)
    partial = profile.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(KERNEL_CONFIG, encoding="utf-8")
    os.replace(partial, profile)
os.environ["IPYTHONDIR"] = str(IPYTHONDIR)
# The kernels glue their results into the pages (gatedrnn.book.glue), where a reader's
# Jupyter or a script would not.
os.environ[BOOK_BUILD_VARIABLE] = "1"
# Every kernel runs quiet and seeded, with the datasets in the build's Keras cache, whether
# the build runs through nox or as a bare sphinx-build (docs/_ext/bookenv.py).
for name, value in environment(ROOT).items():
    os.environ.setdefault(name, value)
# One thread per framework, whatever the shell says: the same numbers on any machine.
os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))
# On a GPU, cuDNN and cuBLAS pick kernels whose sums run in varying orders; TensorFlow's
# deterministic mode pins them. On a CPU its ops are deterministic already, and the mode
# would switch off XLA, which the examples use to train several times faster there.
if device_kind() == "gpu":
    os.environ.setdefault("TF_DETERMINISTIC_OPS", "1")

# -- Project -------------------------------------------------------------------------
project = "gated-rnn-book"
author = "The gated-rnn-book authors"
copyright = "2026, The gated-rnn-book authors"
language = SOURCE_LANGUAGE
# Every edition of the book (docs/_ext/languages.py); the language switcher links them.
book_languages = list(LANGUAGES)

extensions = [
    "myst_nb",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
    "sphinx-mathjax-offline",
    # Exercises with solutions that are executed and hidden until the reader opens them
    # (sphinx-togglebutton folds the `dropdown` class); both carry Japanese labels.
    "sphinx_exercise",
    "sphinx_togglebutton",
    "langswitch",
    "pagedeps",
    "outputlang",
    "pagelabels",
    "provenance",
    "shards",
    # The site on the web: canonical links, sitemaps, link previews and a 404 page per
    # edition, all from one base URL (docs/_ext/webmeta.py).
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
    "webmeta",
]

# The pages: the chapters and the examples. A stray Python file elsewhere under docs/
# (conf.py, the small extensions) is not a page.
include_patterns = ["*.md", "examples/*.py"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
# BOOK_PAGES="convlstm" builds those pages alone (comma-separated names), the
# first as the root of the build; the determinism check of `nox -s tests` uses it.
if book_pages := [p for p in os.environ.get("BOOK_PAGES", "").split(",") if p]:
    root_doc = book_pages[0]
    # Such a build has no table of contents, which the theme needs to draw a 404 page.
    extensions.remove("notfound.extension")
    exclude_patterns += [
        source.relative_to(DOCS).as_posix()
        for source in [*DOCS.glob("*.md"), *DOCS.glob("examples/*.py")]
        if source.relative_to(DOCS).with_suffix("").as_posix() not in book_pages
    ]
templates_path = ["_templates"]
html_static_path = ["_static"]
nitpicky = True

# -- MyST and myst-nb ----------------------------------------------------------------
myst_enable_extensions = ["amsmath", "dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
myst_dmath_double_inline = True
nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}
# Execute each notebook once and keep the result in one cache that both languages
# read. The device kind is part of the path, so a CPU result is never served as a
# GPU result or the other way round.
nb_execution_mode = "cache"
nb_execution_cache_path = str(execution_cache(ROOT))
nb_execution_timeout = 1800
nb_execution_show_tb = True
nb_execution_raise_on_error = False  # a failed cell becomes a warning, and -W fails the build
nb_merge_streams = True
# A comma-separated list of glob patterns, for skipping slow pages while writing.
nb_execution_excludepatterns = [
    p for p in os.environ.get("BOOK_EXECUTION_EXCLUDE", "").split(",") if p
]

# -- Internationalisation -------------------------------------------------------------
locale_dirs = ["locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False

# -- References ----------------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- HTML ----------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "gated-rnn-book"
html_css_files = ["book.css"]
html_favicon = "_static/favicon.svg"
# The theme logs a console error when no colour mode is set.
html_context = {"default_mode": "auto"}
html_last_updated_fmt = None
html_copy_source = True
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "article_header_end": ["lang-switch.html", "article-header-buttons.html"],
}
# The copy button skips IPython prompts and never copies outputs.
copybutton_exclude = ".linenos, .gp, .go"
copybutton_selector = (
    "div.cell_input div.highlight pre, div.highlight-python pre, div.highlight-bash pre"
)
