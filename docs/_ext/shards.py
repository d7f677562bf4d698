"""Execution in shards: the pages split across processes or machines, then one cache.

The pages of the book do not depend on each other, so they can execute anywhere and at
the same time. A shard is a build of some of the pages (``BOOK_PAGES``) into a
jupyter-cache of its own; merging copies every shard's executions, with their provenance
records, into the book's cache, from which both editions are built executing nothing.

As a Sphinx extension, in every build: before reading, the pages whose execution is not in
the cache (new or changed pages, or all of them in a cold build) execute in ``book_jobs``
shards at once (default: one per core on a CPU, one on a GPU), and their executions are
merged into the cache that the build then reads. Every kernel runs each framework on one thread
(docs/_ext/bookenv.py), so a page gives the same numbers whether it executes alone or
beside others, on two cores or on sixteen; ``-D book_jobs=1`` executes one page after
another, in the build's own process.

With ``-D book_from_shards=1`` the build executes nothing: every notebook page must match
an execution in the cache, or the build stops and names the pages that no shard executed.

As a script (run by ``noxfile.py`` inside the session's environment)::

    python docs/_ext/shards.py execute K/N [--out DIR]     # one shard, e.g. on a CI runner
    python docs/_ext/shards.py merge DIR... [--into DIR]   # shard caches into the book's
    python docs/_ext/shards.py times                       # record the run times

The shares are balanced by each page's run time: from the provenance record of its last
execution in the book's cache, else from the committed ``execution_times.json`` (so a new
machine balances too), else the median of the others.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
SHARDS = ROOT / "_build" / "shards"
#: The run time assumed for a page that has none recorded, when no page has one.
DEFAULT_SECONDS = 60.0
#: Run times of the pages on a 2-core CPU, committed so that a new machine (a CI runner with
#: an empty cache) balances its shards too; `shards.py times` rewrites it from the cache.
TIMES = DOCS / "_ext" / "execution_times.json"


def notebook_pages(docs: Path = DOCS) -> list[str]:
    """The pages that execute: chapters with a kernel, and every example; only those named
    in ``BOOK_PAGES`` when it is set, as docs/conf.py builds them."""
    chapters = [p for p in docs.glob("*.md") if "kernelspec:" in p.read_text(encoding="utf-8")]
    pages = [p.relative_to(docs).with_suffix("").as_posix() for p in chapters]
    pages += [f"examples/{p.stem}" for p in docs.glob("examples/*.py")]
    if chosen := [p for p in os.environ.get("BOOK_PAGES", "").split(",") if p]:
        pages = [p for p in pages if p in chosen]
    return sorted(pages)


def recorded_seconds(cache: Path, pages: list[str]) -> dict[str, float]:
    """Each page's run time: from the cache's provenance records of its last execution, else
    from the committed times, else the median of the others."""
    committed = json.loads(TIMES.read_text(encoding="utf-8")) if TIMES.is_file() else {}
    found = {page: float(committed[page]) for page in pages if page in committed}
    for page in pages:
        record = cache / "provenance" / f"{page}.json"
        if record.is_file():
            runtime = json.loads(record.read_text(encoding="utf-8")).get("runtime")
            if runtime:
                found[page] = float(runtime)
    default = statistics.median(found.values()) if found else DEFAULT_SECONDS
    return {page: found.get(page, default) for page in pages}


def plan(seconds: dict[str, float], n: int) -> list[list[str]]:
    """Split the pages into n shares of about equal time: longest first, to the lightest."""
    if n < 1:
        raise ValueError(f"expected at least 1 shard, got {n}")
    shares: list[list[str]] = [[] for _ in range(n)]
    loads = [0.0] * n
    for page in sorted(seconds, key=lambda p: (-seconds[p], p)):
        lightest = loads.index(min(loads))
        shares[lightest].append(page)
        loads[lightest] += seconds[page]
    return shares


def book_cache() -> Path:
    """The book's execution cache, as docs/conf.py sets it."""
    if str(DOCS / "_ext") not in sys.path:
        sys.path.insert(0, str(DOCS / "_ext"))
    from bookenv import execution_cache

    return execution_cache(ROOT)


def shard_command(
    pages: list[str], cache: Path, out: Path, settings: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """The sphinx-build command and environment that execute some pages into a cache.

    The pages execute while Sphinx reads them, so the ``dummy`` builder, which writes
    nothing, is enough; `executed` then tells which pages left an execution.
    """
    command = [sys.executable, "-m", "sphinx", "-b", "dummy", "-q", "-D", "book_jobs=1"]
    for name, value in (settings or {}).items():
        command += ["-D", f"{name}={value}"]
    command += ["-D", f"nb_execution_cache_path={cache}", "-d", str(out / "doctrees")]
    command += [str(DOCS), str(out / "dummy")]
    return command, dict(os.environ, BOOK_PAGES=",".join(pages))


def merge(sources: list[Path], target: Path) -> int:
    """Copy the executions and provenance records of shard caches into the target cache."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    into = get_cache(target)
    merged = 0
    for source in sources:
        if not (source / "global.db").is_file():
            raise SystemExit(f"{source}: not a jupyter-cache (no global.db)")
        cache = get_cache(source)
        for record in cache.list_cache_records():
            bundle = cache.get_cache_bundle(record.pk)
            into.cache_notebook_bundle(
                CacheBundleIn(bundle.nb, bundle.record.uri, data=bundle.record.data),
                check_validity=False,
                overwrite=True,
            )
            merged += 1
        if (source / "provenance").is_dir():
            shutil.copytree(source / "provenance", target / "provenance", dirs_exist_ok=True)
    return merged


def executed(pages: list[str], cache: Path) -> list[str]:
    """The pages that left an execution, with its provenance record, in a cache."""
    return [p for p in pages if (cache / "provenance" / f"{p}.json").is_file()]


def execute_at_once(
    pages: list[str], jobs: int, cache: Path, log, settings: dict[str, str] | None = None
) -> list[str]:
    """Execute the pages in up to ``jobs`` shards at once and merge them into ``cache``.

    ``settings`` are ``-D`` settings for the shards' builds (the build's own ``nb_*`` ones).

    Returns the pages that executed. A page that failed is left out; the build executes it
    again itself and reports its error with the traceback.
    """
    shares = [share for share in plan(recorded_seconds(cache, pages), jobs) if share]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="book-shards-") as work:
        runs = []
        try:
            for k, share in enumerate(shares, start=1):
                out = Path(work) / str(k)
                out.mkdir()
                log(f"[shards] shard {k}/{len(shares)}: {', '.join(share)}")
                command, env = shard_command(share, out / "cache", out, settings)
                with open(out / "log.txt", "w", encoding="utf-8") as output:
                    process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
                runs.append((share, out / "cache", process))
            for k, (_, cache_k, process) in enumerate(runs, start=1):
                if process.wait() != 0:
                    log_text = (cache_k.parent / "log.txt").read_text(errors="replace")
                    log(f"[shards] shard {k} stopped ({process.returncode}):\n{log_text[-2000:]}")
        finally:  # an interrupted build leaves no shard running
            for _, _, process in runs:
                if process.poll() is None:
                    process.terminate()
                    process.wait()
        caches = [c for _, c, _ in runs if (c / "global.db").is_file()]
        merge(caches, cache)
        done = [p for share, c, _ in runs for p in executed(share, c)]
    log(
        f"[shards] executed {len(done)} of {len(pages)} pages in {len(shares)} processes "
        f"in {time.perf_counter() - start:.0f} s"
    )
    return done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="shards.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("execute", help="execute one shard's pages into its own cache")
    one.add_argument("shard", help="K/N: the Kth of N shards, from 1")
    one.add_argument("--out", type=Path, help="default: _build/shards/K")
    into = commands.add_parser("merge", help="merge shard caches into the book's cache")
    into.add_argument("caches", type=Path, nargs="+")
    into.add_argument("--into", type=Path, help="default: the book's cache")
    commands.add_parser("times", help=f"write the recorded run times to {TIMES.name}")
    args = parser.parse_args(argv)

    seconds = recorded_seconds(book_cache(), notebook_pages())
    if args.command == "execute":
        k, _, n = args.shard.partition("/")
        if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
            parser.error(f"expected the shard as K/N with 1 <= K <= N, got {args.shard!r}")
        pages = plan(seconds, int(n))[int(k) - 1]
        out = args.out or SHARDS / k
        cache = out / "cache"
        print(f"shard {k}/{n}: {', '.join(pages)} (about {sum(seconds[p] for p in pages):.0f} s)")
        command, env = shard_command(pages, cache, out)
        subprocess.run(command, env=env, check=True)
        if missing := sorted(set(pages) - set(executed(pages, cache))):
            raise SystemExit(f"these pages did not execute in {cache}: {', '.join(missing)}")
    elif args.command == "merge":
        target = args.into or book_cache()
        print(f"merged {merge(args.caches, target)} executions into {target}")
    else:
        rounded = {page: round(value) for page, value in sorted(seconds.items())}
        TIMES.write_text(json.dumps(rounded, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {TIMES}")


def cores() -> int:
    """The cores this process may use (fewer than the machine's in a limited container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def jobs_setting(value, device: str = "cpu") -> int:
    """``book_jobs``: a number of processes, or 0 (the default): one per core on a CPU, and
    one on a GPU, where pages at once would share its memory and its timings."""
    jobs = int(value or 0)
    if jobs < 0:
        raise ValueError(f"book_jobs: expected 0 (one per core) or a positive number, got {jobs}")
    return jobs or (cores() if device == "cpu" else 1)


def before_read(app, env, docnames: list[str]) -> None:
    """Execute the notebook pages about to be read that have no execution in the cache.

    With ``book_from_shards``, stop instead, naming them. Otherwise, when there are two or
    more and ``book_jobs`` allows it, execute them in shards at once (`execute_at_once`).
    """
    from outputlang import executed_notebook
    from provenance import execution_excluded
    from sphinx.errors import ExtensionError
    from sphinx.util import logging

    from gatedrnn.book import device_kind

    from_shards = str(app.config.book_from_shards).lower() not in {"", "0", "false"}
    jobs = jobs_setting(app.config.book_jobs, device_kind())
    if not from_shards and (jobs < 2 or env.mystnb_config.execution_mode != "cache"):
        return  # myst-nb executes what it needs, one page after another
    missing = [
        doc
        for doc in sorted(docnames)
        if "kernelspec:" in Path(env.doc2path(doc)).read_text(encoding="utf-8")
        and not execution_excluded(env, doc)
        and executed_notebook(app, doc) is None
    ]
    if from_shards:
        if missing:
            raise ExtensionError(f"no shard executed these pages: {', '.join(missing)}")
    elif len(missing) > 1:
        cache = Path(env.mystnb_config.execution_cache_path)
        # The build's own myst-nb settings from the command line (-D), for its shards.
        overrides = app.config._overrides
        settings = {k: str(v) for k, v in overrides.items() if k.startswith("nb_")}
        settings.pop("nb_execution_cache_path", None)
        execute_at_once(missing, jobs, cache, logging.getLogger(__name__).info, settings)


def setup(app):
    app.add_config_value("book_from_shards", False, "", types=(bool, int, str))
    app.add_config_value("book_jobs", 0, "", types=(int, str))
    app.connect("env-before-read-docs", before_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    main()
