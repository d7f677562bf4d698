"""Provenance of executed pages, and a check that no page skipped execution.

For every page that myst-nb executes (or reads from the jupyter-cache), this
extension:

- records, when the page really executes, the machine and library versions in a
  small JSON file beside the cache, keyed by the execution's run time, so that a
  later build that reads the page from the cache still says where it ran;
- prints a footer on the page: device, TensorFlow, Keras and PyTorch versions,
  when and how long it ran, and whether this build executed it or reused an
  earlier execution from the cache;
- offers the executed notebook for download as ``.ipynb``;
- fails the build (a warning under ``-W``) when a notebook page has no successful
  execution with a positive run time.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import html
import json
import time
from contextlib import suppress
from pathlib import Path

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.util import logging

from gatedrnn.book import provenance as machine_provenance

logger = logging.getLogger(__name__)

LABELS = {
    "en": {
        "title": "Where this page ran",
        "device": "Device",
        "libraries": "Libraries",
        "executed": "Executed",
        "result": "Result",
        "fresh": "executed in this build",
        "cached": "reused from an earlier execution in the cache (the code has not changed since)",
        "unknown": "not recorded",
        "seconds": "{:.1f} s",
        "backend": "backend",
        "cores": " ({} cores)",
    },
    "ja": {
        "title": "このページの実行環境",
        "device": "デバイス",
        "libraries": "ライブラリ",
        "executed": "実行",
        "result": "結果",
        "fresh": "このビルドで実行しました",
        "cached": (
            "キャッシュにある以前の実行結果を再利用しました（その後コードは変更されていません）"
        ),
        "unknown": "記録なし",
        "seconds": "{:.1f} 秒",
        "backend": "バックエンド",
        "cores": "（{} コア）",
    },
}


def _store(app: Sphinx, docname: str) -> Path:
    cache = Path(app.env.mystnb_config.execution_cache_path)
    return cache / "provenance" / f"{docname}.json"


def on_builder_inited(app: Sphinx) -> None:
    app.book_read_start = time.time()


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Match this page's execution to a stored record, or store a new one."""
    env = app.env
    docname = env.docname
    exec_data = NbMetadataCollector.get_exec_data(env, docname)
    if not exec_data or not exec_data.get("succeeded"):
        return
    store = _store(app, docname)
    record = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    if record.get("runtime") != exec_data.get("runtime"):
        # An execution this store has not seen: if it happened during this build,
        # record the machine now; otherwise the cache came from elsewhere.
        record = {}
        if app.book_read_start <= exec_data["mtime"] <= time.time() + 1:
            record = {
                "runtime": exec_data["runtime"],
                "epoch": exec_data["mtime"],
                "machine": machine_provenance(),
            }
            store.parent.mkdir(parents=True, exist_ok=True)
            store.write_text(json.dumps(record, indent=1), encoding="utf-8")
    env.metadata[docname]["book_provenance"] = {
        "runtime": exec_data.get("runtime"),
        "epoch": record.get("epoch"),
        "machine": record.get("machine"),
    }


def execution_excluded(env, docname: str) -> bool:
    """Whether ``BOOK_EXECUTION_EXCLUDE`` (myst-nb's exclude patterns) skips the page."""
    source = str(env.doc2path(docname, False))
    return any(fnmatch.fnmatch(source, p) for p in env.mystnb_config.execution_excludepatterns)


def on_check_consistency(app: Sphinx, env) -> None:
    """Fail any notebook page that did not execute, or ran in zero seconds."""
    if app.builder.name == "gettext":
        return  # extracting messages executes nothing
    for docname in sorted(env.found_docs):
        if "kernelspec" not in env.metadata.get(docname, {}):
            continue  # a prose page, with nothing to execute
        if execution_excluded(env, docname):
            logger.info(f"[provenance] {docname}: execution excluded by BOOK_EXECUTION_EXCLUDE")
            continue
        exec_data = NbMetadataCollector.get_exec_data(env, docname)
        if not exec_data:
            logger.warning(f"{docname}: the page was not executed", location=docname)
        elif not exec_data.get("succeeded"):
            logger.warning(
                f"{docname}: execution failed ({exec_data.get('error')})", location=docname
            )
        elif not (exec_data.get("runtime") or 0) > 0:
            logger.warning(f"{docname}: the page ran in 0 seconds", location=docname)


def _footer_html(labels: dict[str, str], info: dict, fresh: bool) -> str:
    machine = info.get("machine")
    unknown = labels["unknown"]
    if machine:
        device = f"{machine['device_kind'].upper()}: {machine['device']}"
        if machine["device_kind"] == "cpu" and machine.get("cores"):
            device += labels["cores"].format(machine["cores"])
        libraries = (
            f"TensorFlow {machine['tensorflow']} · Keras {machine['keras']} "
            f"({labels['backend']}: {machine['keras_backend']}) · "
            f"PyTorch {machine['torch']} · Python {machine['python']}"
        )
    else:
        device = libraries = unknown
    when = unknown
    if info.get("epoch"):
        stamp = dt.datetime.fromtimestamp(info["epoch"], dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        when = stamp
    if info.get("runtime"):
        when += ", " + labels["seconds"].format(info["runtime"])
    result = labels["fresh"] if fresh else labels["cached"]
    rows = [
        (labels["device"], device),
        (labels["libraries"], libraries),
        (labels["executed"], when),
        (labels["result"], result),
    ]
    body = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows)
    return (
        f'<aside class="book-provenance" aria-label="{html.escape(labels["title"])}">'
        f"<strong>{html.escape(labels['title'])}</strong><dl>{body}</dl></aside>"
    )


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    info = app.env.metadata.get(docname, {}).get("book_provenance")
    if not info or app.builder.format != "html":
        return
    labels = LABELS.get(app.config.language, LABELS["en"])
    # Decided when the page is written: a page that this build did not reread
    # shows an execution from an earlier build, which is a reuse too.
    fresh = bool(info.get("epoch")) and info["epoch"] >= app.book_read_start
    doctree.append(nodes.raw("", _footer_html(labels, info, fresh), format="html"))


def on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Offer the executed notebook as ``_sources/<page>.ipynb``."""
    if "book_provenance" not in app.env.metadata.get(pagename, {}):
        return
    executed = Path(app.env.mystnb_config.output_folder) / f"{pagename}.ipynb"
    if not executed.exists():
        return
    notebook = nbformat.read(executed, as_version=4)
    # myst-nb writes the notebook without outputs when it came from the cache, and
    # without its glued values after a fresh execution: the cache holds them all.
    cache = get_cache(app.env.mystnb_config.execution_cache_path)
    with suppress(KeyError):
        _, notebook = cache.merge_match_into_notebook(notebook)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx):
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-check-consistency", on_check_consistency)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("html-page-context", on_page_context, priority=400)
    return {"version": "1.0", "parallel_read_safe": False, "parallel_write_safe": True}
