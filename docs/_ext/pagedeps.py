"""A page executes again when anything it runs changes.

jupyter-cache keys a page on the code of its cells, and Sphinx re-reads a page only when
its own file changes. A page that imports a module of the book's package (``from
gatedrnn.data import adding_problem``), or shows one with ``:load:``, would otherwise keep
its old outputs after that module changed, and its footer would say the code had not.

For every page this extension:

- finds the modules of ``gatedrnn`` that the page runs: those its code imports or loads,
  and those they import in turn;
- declares their files as dependencies of the page, so Sphinx re-reads the page when one
  of them changes;
- writes a digest of their contents into the page's ``kernelspec`` metadata, which
  jupyter-cache hashes with the cells, so a changed module gives the page a new cache key
  and the page executes again. Pages that run none of the package are left as they are.

``-D book_rerun=gates,examples/reuters_topics`` (``nox -s docs -- --rerun gates``) drops
the cached executions of some pages and re-reads them, so they execute again.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

PACKAGE = "gatedrnn"
#: The key under ``kernelspec`` that holds the digest of the modules a page runs.
METADATA_KEY = "book_dependencies"
LOAD = re.compile(r"^:load:[ \t]*(\S+)", re.MULTILINE)
# The code of a MyST notebook's cells: ```{code-cell} ... ```.
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
# The front matter's `kernelspec:` line, bare (MyST) or commented (jupytext percent).
KERNELSPEC = re.compile(r"^(?P<lead>#?[ \t]*)kernelspec:[ \t]*\n(?P<next>#?[ \t]*)", re.MULTILINE)


def package_dir() -> Path:
    """The folder of the package the build's kernels import (the first on the path)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(f"pagedeps: the package {PACKAGE!r} is not importable")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def module_file(package: Path, name: str) -> Path | None:
    """The file of a module of the package (``gatedrnn.data`` → ``data.py``), if any."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = package.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_names(tree: ast.AST, current: str = PACKAGE) -> set[str]:
    """Dotted names a module imports that may be modules of the package.

    ``from gatedrnn import a`` yields ``gatedrnn`` and ``gatedrnn.a``: ``a`` may be a
    module or a name defined in ``__init__.py``, and the caller keeps what exists.
    ``current`` is the package that relative imports start from.
    """
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = current.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return {n for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")}


def page_code(source: str, path: Path) -> str:
    """The Python code of a page: a jupytext percent script whole, or a MyST page's cells."""
    if path.suffix == ".py":
        return source
    cells = []
    for body in CODE_CELL.findall(source):
        lines = body.splitlines()
        # Skip the cell's options (`:tags:` lines and a `---` YAML block).
        if lines and lines[0].strip() == "---":
            end = lines.index("---", 1) if "---" in lines[1:] else 0
            lines = lines[end + 1 :]
        lines = [line for line in lines if not line.startswith(":")]
        # IPython magics and shell escapes are not Python.
        cells.append("\n".join(line for line in lines if not line.lstrip().startswith(("%", "!"))))
    return "\n".join(cells)


def dependencies(source: str, path: Path, package: Path) -> list[Path]:
    """The package's module files that a page runs, following their own imports."""
    code = page_code(source, path)
    try:
        names = imported_names(ast.parse(code))
    except SyntaxError as error:
        raise ExtensionError(f"pagedeps: {path}: cannot parse its code: {error}") from error
    found = set()
    for load in LOAD.findall(source):
        target = (path.parent / load).resolve()
        if target.is_file() and target.is_relative_to(package):
            found.add(target)
            names |= imported_names(ast.parse(target.read_text(encoding="utf-8")))
    todo = sorted(names)
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        file = module_file(package, name)
        if file is None:
            continue
        found.add(file)
        current = name if file.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        todo.extend(imported_names(tree, current) - seen)
        # Importing a submodule runs the package's __init__.py first.
        todo.append(PACKAGE)
    return sorted(found)


def digest(files: list[Path], package: Path) -> str:
    """A short digest of the names and contents of some files of the package."""
    hasher = hashlib.sha256()
    for file in files:
        hasher.update(file.relative_to(package).as_posix().encode() + b"\0")
        hasher.update(file.read_bytes() + b"\0")
    return hasher.hexdigest()[:16]


def with_digest(source: str, value: str, path: Path) -> str:
    """The page's text with the digest written under its front matter's ``kernelspec``."""
    match = KERNELSPEC.search(source)
    if match is None:
        raise ExtensionError(
            f"pagedeps: {path} runs modules of {PACKAGE} but its front matter has no "
            "'kernelspec:' block to hold their digest"
        )
    insert = match.start("next")
    return f"{source[:insert]}{match['next']}{METADATA_KEY}: {value}\n{source[insert:]}"


def page_source(source: str, path: Path) -> tuple[str, list[Path]]:
    """A page's text as the build reads it, with the digest of the modules it runs, and
    those modules' files. A page that runs nothing of the package is left as it is.

    Whatever matches a page to its cached execution must read the page through this.
    """
    if path.suffix not in {".md", ".py"} or "kernelspec:" not in source:
        return source, []  # a page with nothing to execute
    package = package_dir()
    files = dependencies(source, path, package)
    if not files:
        return source, []
    return with_digest(source, digest(files, package), path), files


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    source[0], files = page_source(source[0], Path(app.env.doc2path(docname)))
    for file in files:
        app.env.note_dependency(str(file))


def on_env_get_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Drop the cached executions of the pages named by ``book_rerun``; re-read them."""
    pages = [p.strip() for p in app.config.book_rerun.split(",") if p.strip()]
    unknown = [p for p in pages if p not in env.found_docs]
    if unknown:
        raise ExtensionError(
            f"book_rerun: no page named {', '.join(unknown)}; pages are named like "
            "'gates' or 'examples/reuters_topics'"
        )
    if not pages:
        return []
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    sources = {Path(env.doc2path(page)).resolve(): page for page in pages}
    removed = set()
    for record in cache.list_cache_records():
        if (page := sources.get(Path(record.uri).resolve())) is not None:
            cache.remove_cache(record.pk)
            removed.add(page)
    for page in sorted(removed):
        logger.info(f"[pagedeps] {page}: removed its cached executions, so it runs again")
    return pages


def setup(app: Sphinx):
    app.add_config_value("book_rerun", "", "", types=(str,))
    app.connect("source-read", on_source_read)
    app.connect("env-get-outdated", on_env_get_outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
