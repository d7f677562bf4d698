"""Execution in shards: the pages split across processes or machines, then one cache.

The pages of the book do not depend on each other, so they can execute anywhere and at
the same time. A shard is a plain build of some of the pages (``BOOK_PAGES``) into a
jupyter-cache of its own; merging copies every shard's executions, with their provenance
records, into the book's cache, from which both editions are built executing nothing.

As a script (run by ``noxfile.py`` inside the session's environment)::

    python docs/_ext/shards.py execute K/N [--out DIR]     # one shard, e.g. on a CI runner
    python docs/_ext/shards.py parallel N                  # N shards at once, then merged
    python docs/_ext/shards.py merge DIR...                # shard caches into the book's

The shares are balanced by each page's run time: from the provenance record of its last
execution in the book's cache, else from the committed ``execution_times.json`` (so a new
machine balances too), else the median of the others.

As a Sphinx extension, with ``-D book_from_shards=1``: before reading, every notebook page
must match an execution in the cache; otherwise the build stops and names the pages that
no shard executed, instead of executing them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
SHARDS = ROOT / "_build" / "shards"
#: What caps the threads of PyTorch (OpenMP) and TensorFlow in a kernel.
THREAD_VARIABLES = ["OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"]
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
    pages: list[str], cache: Path, out: Path, threads: int | None = None
) -> tuple[list[str], dict[str, str]]:
    """The sphinx-build command and environment that execute some pages into a cache.

    The build of a few pages warns about links to the pages it leaves out, so it runs
    without ``-W``; `check_executed` then makes sure that every page executed.
    """
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q"]
    command += ["-D", f"nb_execution_cache_path={cache}", "-d", str(out / "doctrees")]
    command += [str(DOCS), str(out / "html")]
    env = dict(os.environ, BOOK_PAGES=",".join(pages))
    if threads:
        # Shards that share a machine share its cores: each framework of each kernel gets
        # its share, or their threads wait for each other (several times slower here).
        env.update({name: str(threads) for name in THREAD_VARIABLES})
    return command, env


def check_executed(pages: list[str], cache: Path) -> None:
    """Stop, naming them, if some pages of a shard left no execution in its cache."""
    missing = [p for p in pages if not (cache / "provenance" / f"{p}.json").is_file()]
    if missing:
        raise SystemExit(f"these pages did not execute in {cache}: {', '.join(missing)}")


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="shards.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("execute", help="execute one shard's pages into its own cache")
    one.add_argument("shard", help="K/N: the Kth of N shards, from 1")
    one.add_argument("--out", type=Path, help="default: _build/shards/K")
    many = commands.add_parser("parallel", help="execute N shards at once, then merge")
    many.add_argument("jobs", type=int)
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
        check_executed(pages, cache)
    elif args.command == "parallel":
        start = time.perf_counter()
        runs = []
        for k, pages in enumerate(plan(seconds, args.jobs), start=1):
            out = SHARDS / str(k)
            shutil.rmtree(out, ignore_errors=True)
            print(f"shard {k}/{args.jobs}: {', '.join(pages)}", flush=True)
            threads = max(1, (os.cpu_count() or 1) // args.jobs)
            command, env = shard_command(pages, out / "cache", out, threads)
            runs.append((pages, out / "cache", subprocess.Popen(command, env=env)))
        failed = [str(k) for k, (_, _, run) in enumerate(runs, start=1) if run.wait() != 0]
        if failed:
            raise SystemExit(f"shards {', '.join(failed)} failed")
        for pages, cache, _ in runs:
            check_executed(pages, cache)
        merged = merge([cache for _, cache, _ in runs], book_cache())
        print(f"{merged} executions from {args.jobs} shards in {time.perf_counter() - start:.0f} s")
    elif args.command == "merge":
        target = args.into or book_cache()
        print(f"merged {merge(args.caches, target)} executions into {target}")
    else:
        rounded = {page: round(value) for page, value in sorted(seconds.items())}
        TIMES.write_text(json.dumps(rounded, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {TIMES}")


def check_cache(app, env, docnames: list[str]) -> None:
    """With book_from_shards: stop before reading if a notebook page has no execution."""
    if str(app.config.book_from_shards).lower() in {"", "0", "false"}:
        return
    from outputlang import executed_notebook
    from sphinx.errors import ExtensionError

    missing = [
        doc
        for doc in sorted(docnames)
        if "kernelspec:" in Path(env.doc2path(doc)).read_text(encoding="utf-8")
        and executed_notebook(app, doc) is None
    ]
    if missing:
        raise ExtensionError(f"no shard executed these pages: {', '.join(missing)}")


def setup(app):
    app.add_config_value("book_from_shards", False, "", types=(bool, int, str))
    app.connect("env-before-read-docs", check_cache)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    main()
