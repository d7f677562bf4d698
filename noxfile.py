"""Sessions of gated-rnn-book: build the site, test it, translate it, lint it.

    nox -s docs        build the English and Japanese site into _build/site/
    nox -s execute     execute one shard of the pages (-- K/N), for docs -- --from-shards
    nox -s tests       build the site, then run the test suite (what CI runs)
    nox -s translate   extract messages and update docs/locale/ja/LC_MESSAGES/*.po
    nox -s lint        ruff
    nox -s examples    run every example as a script with --quick
    nox -s standalone  run the examples and chapter notebooks in a clean env with the wheel
    nox -s determinism build sequential and parallel from empty caches; compare
    nox -s benchmark   print the speed table of the Keras chapter (steps/s, GFLOP/s)
    nox -s linkcheck   check the external links of both editions

Every session installs its pinned dependency group from pyproject.toml, and reuses
its virtual environment on the next run.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import string
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["docs"]

ROOT = Path(__file__).resolve().parent


def load_module(name: str, path: Path):
    """Import a module of the book by its path (nox's own Python has no Sphinx)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = ROOT / "_build"
SITE = BUILD / "site"
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
# Execution in shards, and their merge (docs/_ext/shards.py).
SHARDS = str(ROOT / "docs" / "_ext" / "shards.py")
# The editions of the book, listed in one place (docs/_ext/languages.py).
EDITIONS = load_module("languages", ROOT / "docs" / "_ext" / "languages.py")
LANGUAGES = tuple(EDITIONS.LANGUAGES)
# The environment every execution sees (docs/_ext/bookenv.py), as docs/conf.py applies it.
BOOKENV = load_module("bookenv", ROOT / "docs" / "_ext" / "bookenv.py")
# The published address of the site, set in one place (docs/_ext/webmeta.py).
WEBMETA = load_module("webmeta", ROOT / "docs" / "_ext" / "webmeta.py")


#: The extras of the package that every session installs: the frameworks and the pages' libraries.
EXTRAS = ",".join(PYPROJECT["project"]["optional-dependencies"])


def install_group(session: nox.Session, group: str) -> None:
    """Install one dependency group of pyproject.toml and the book's package with its extras.

    On a GPU runner, BOOK_TF_CUDA=1 adds the CUDA libraries that TensorFlow needs;
    PyTorch's wheel for Linux brings its own.
    """
    requirements = [*nox.project.dependency_groups(PYPROJECT, group), "-e", f".[{EXTRAS}]"]
    if os.environ.get("BOOK_TF_CUDA") == "1":
        (tensorflow,) = [
            r
            for r in PYPROJECT["project"]["optional-dependencies"]["keras"]
            if r.startswith("tensorflow==")
        ]
        requirements.append(tensorflow.replace("tensorflow", "tensorflow[and-cuda]", 1))
    # A reused environment that already has exactly these requirements skips pip.
    marker = Path(session.virtualenv.location) / f".book-{group}-requirements"
    if marker.exists() and marker.read_text(encoding="utf-8") == "\n".join(requirements):
        session.log(f"Dependency group {group!r} is up to date in {marker.parent}")
        return
    session.install(*requirements)
    marker.write_text("\n".join(requirements), encoding="utf-8")


def book_env(session: nox.Session) -> None:
    """Set the environment every executed page sees (docs/_ext/bookenv.py)."""
    session.env.update(BOOKENV.environment(ROOT))


def sphinx(session: nox.Session, builder: str, out: Path, *options: str) -> None:
    """Run sphinx-build on docs/ with one builder, into ``out`` (doctrees in ``out/doctrees``)."""
    book_env(session)
    target = out / ("html" if builder == "html" else "")
    session.run(
        "sphinx-build", "-b", builder, "-d", str(out / "doctrees"), *options, "docs", str(target)
    )


def site_root() -> str:
    """The site's root page: a link to each edition, from docs/_templates/site-root.html."""
    links = "\n".join(
        f'<a class="edition" href="{code}/index.html" hreflang="{code}" lang="{code}">{name}</a>'
        for code, name in EDITIONS.EDITION_LINKS.items()
    )
    template = (ROOT / "docs" / "_templates" / "site-root.html").read_text(encoding="utf-8")
    return string.Template(template.split("-->\n", 1)[1]).substitute(editions=links)


def build_site(session: nox.Session, languages=LANGUAGES, extra=()) -> None:
    """Build each language into _build/<lang>/html, then assemble _build/site."""
    for lang in languages:
        out = BUILD / lang
        sphinx(session, "html", out, "-W", "--keep-going", "-D", f"language={lang}", *extra)
        target = SITE / lang
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(out / "html", target, ignore=shutil.ignore_patterns(".buildinfo"))
    (SITE / "index.html").write_text(site_root(), encoding="utf-8")
    root_files()
    session.log(f"Site written to {SITE}")


def root_files() -> None:
    """The files of the site's root for the web: a sitemap index of the editions' sitemaps,
    robots.txt that points to it, and the English 404 page (docs/_ext/webmeta.py)."""
    url = WEBMETA.site_url()
    editions = [lang for lang in LANGUAGES if (SITE / lang / "sitemap.xml").exists()]
    entries = "".join(
        f"  <sitemap><loc>{url}{lang}/sitemap.xml</loc></sitemap>\n" for lang in editions
    )
    (SITE / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n",
        encoding="utf-8",
    )
    (SITE / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\nSitemap: {url}sitemap.xml\n", encoding="utf-8"
    )
    # GitHub Pages answers a missing address with the 404.html of the site's root; its links
    # are absolute paths of the English edition, so it works at any depth.
    if (SITE / LANGUAGES[0] / "404.html").exists():
        shutil.copyfile(SITE / LANGUAGES[0] / "404.html", SITE / "404.html")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into _build/site/{en,ja}."""
    # `nox -s docs -- en` builds one language; `nox -s docs -- --rerun gates` executes the
    # page docs/gates.md again instead of reading it from the cache; `--jobs 1` executes
    # the pages one after another instead of one per core at once (docs/_ext/shards.py).
    # Other arguments go to sphinx-build, e.g. `nox -s docs -- en -E` to reread every page.
    install_group(session, "docs")
    parser = argparse.ArgumentParser(prog="nox -s docs --")
    parser.add_argument("--rerun", action="append", default=[], metavar="PAGE")
    parser.add_argument("--jobs", type=int, default=0, metavar="N")
    parser.add_argument("--from-shards", nargs="+", default=[], metavar="DIR")
    args, rest = parser.parse_known_args(session.posargs)
    # Language codes pick the editions; everything else goes to sphinx-build.
    languages = [a for a in rest if a in LANGUAGES] or list(LANGUAGES)
    extra = [a for a in rest if a not in LANGUAGES]
    if args.from_shards:
        # The shards' caches hold every execution; the build executes nothing.
        book_env(session)
        session.run("python", SHARDS, "merge", *args.from_shards)
        extra += ["-D", "book_from_shards=1"]
    elif args.jobs:
        extra += ["-D", f"book_jobs={args.jobs}"]
    if args.rerun:
        # The first edition executes the pages again; the others read the new results.
        build_site(session, languages[:1], [*extra, "-D", f"book_rerun={','.join(args.rerun)}"])
        languages = languages[1:]
    build_site(session, languages, extra)


@nox.session(default=False)
def execute(session: nox.Session) -> None:
    """Execute one shard of the pages into a cache of its own, for `docs --from-shards`."""
    # `nox -s execute -- 1/2` on one machine and `-- 2/2` on another; shares are balanced
    # by the run times recorded in the book's cache (docs/_ext/shards.py).
    install_group(session, "docs")
    book_env(session)
    session.run("python", SHARDS, "execute", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Build both languages (the build itself is a test), then run pytest."""
    # Arguments go to pytest, e.g. `nox -s tests -- -k gate`.
    install_group(session, "test")
    build_site(session)
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def determinism(session: nox.Session) -> None:
    """Build the English site twice from empty caches, sequential and parallel; compare."""
    # Glued values and table cells must agree. Declared timings (glue keys that start with
    # `timing_`, table columns whose header names a unit such as "(s)") may differ and are
    # listed apart; a value that looks like a timing but is not declared fails the check.
    # The rules are in tests/compare_builds.py.
    # The first build executes the pages one after another, the second one per core at
    # once, as every build does: the comparison checks both promises.
    install_group(session, "docs")
    runs = []
    for name, jobs in (("sequential", 1), ("parallel", 0)):
        out = BUILD / "determinism" / name
        shutil.rmtree(out, ignore_errors=True)
        cache = ["-D", f"nb_execution_cache_path={out / 'cache'}"]
        sphinx(session, "html", out, "-q", *cache, "-D", f"book_jobs={jobs}")
        runs.append(str(out))
    session.run("python", "tests/compare_builds.py", *runs)


@nox.session
def translate(session: nox.Session) -> None:
    """Extract the English messages and update the catalogues under docs/locale/."""
    # The messages are the prose and the words of the executed outputs (figure text, table
    # headers and word cells, glued words; docs/_ext/outputlang.py), read from the cache.
    # Then translate every empty or fuzzy entry; `nox -s tests` checks that none is left.
    install_group(session, "docs")
    # Captions and the words of figures and tables come from the executed pages, so pages
    # run (or come from the cache).
    sphinx(session, "gettext", BUILD / "gettext", "-q")
    session.run(
        "sphinx-intl",
        "update",
        "-p",
        str(BUILD / "gettext"),
        *[option for lang in LANGUAGES[1:] for option in ("-l", lang)],
        "-d",
        "docs/locale",
        "--no-obsolete",
        "-w",
        "0",
    )


@nox.session(default=False)
def linkcheck(session: nox.Session) -> None:
    """Check the external links of both editions with Sphinx's linkcheck builder."""
    # The links are in the prose, so no page executes. _build/linkcheck/<lang>/output.txt
    # lists every broken or redirected link; a broken one fails the session.
    install_group(session, "docs")
    for lang in LANGUAGES:
        out = BUILD / "linkcheck" / lang
        sphinx(
            session, "linkcheck", out, "-q", "-D", f"language={lang}", "-D", "nb_execution_mode=off"
        )


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "docs", "noxfile.py")
    session.run("ruff", "format", "--check", "--diff", "src", "tests", "docs", "noxfile.py")


@nox.session(default=False)
def examples(session: nox.Session) -> None:
    """Run every example as a script with --quick, as a reader would."""
    install_group(session, "docs")
    book_env(session)
    session.env["MPLBACKEND"] = "agg"
    for script in sorted((ROOT / "docs" / "examples").glob("*.py")):
        session.run("python", str(script), "--quick", *session.posargs)


@nox.session(default=False)
def standalone(session: nox.Session) -> None:
    """Run the examples and the chapters' notebooks where a reader runs them."""
    # Builds the package's wheel, installs it with its extras into a new virtual environment
    # outside the repository, and runs there every example with --quick and every chapter
    # notebook that the site offers for download (tests/test_standalone.py).
    # `nox -s tests` runs the same file among the others.
    install_group(session, "test")
    build_site(session)
    session.run("pytest", "-s", "tests/test_standalone.py", *session.posargs)


@nox.session(default=False)
def benchmark(session: nox.Session) -> None:
    """Print the speed table of the chapter on Keras' recurrent layers, on this machine."""
    # `nox -s benchmark -- --quick` uses tiny sizes. With KERAS_BACKEND=torch the Keras
    # rows run on PyTorch, which reaches cuDNN on a GPU without TensorFlow's CUDA libraries.
    install_group(session, "docs")
    book_env(session)
    session.run("python", "-m", "gatedrnn.speed", *session.posargs)
