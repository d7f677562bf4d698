"""The built site in a real browser: headless Chromium, driven by Playwright, offline.

The site is served on 127.0.0.1; every page of both editions is opened and checked for
console errors, failed or outside requests, rendered maths, loaded images, the
language switcher, the copy buttons and the search. Screenshots of one chapter and one
example, at desktop and phone widths, are written to _build/screenshots/ for review.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import EDITIONS
from test_translations import english_pages
from webmeta import NOT_FOUND, site_path

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
REPORT = ROOT / "_build" / "browser-report.json"
PAGES = english_pages()
LANGS = EDITIONS
SEARCH_WORDS = {"en": "sigmoid", "ja": "シグモイド"}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Record what a copy button hands to the clipboard: ClipboardJS selects the text in
# a hidden textarea and calls document.execCommand("copy").
CAPTURE_COPY = """
window.__copied = [];
const originalExecCommand = document.execCommand.bind(document);
document.execCommand = (command, ...args) => {
  if (command === "copy") {
    const el = document.activeElement;
    const text = el && "value" in el
      ? el.value.substring(el.selectionStart, el.selectionEnd)
      : String(document.getSelection());
    window.__copied.push(text);
  }
  return originalExecCommand(command, ...args);
};
"""

checks = {"pages": 0, "checks": 0}


def check(condition: bool, message: str) -> None:
    """Count a check, and fail with the message when it does not hold."""
    checks["checks"] += 1
    assert condition, message


def chromium_path() -> str:
    path = os.environ.get("BOOK_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is needed for the browser test: apt-get install chromium")
    return path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site at its root and, as the host publishes it, under the published
    path (docs/_ext/webmeta.py): the 404 page's links are absolute paths there."""

    def translate_path(self, path):
        prefix = site_path()
        if path.startswith(prefix):
            path = "/" + path[len(prefix) :]
        return super().translate_path(path)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    started = time.perf_counter()
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps({**checks, "seconds": round(time.perf_counter() - started, 1)}, indent=1),
        encoding="utf-8",
    )


class Watched:
    """A page with listeners for console errors, failed requests and outside requests."""

    def __init__(self, browser, server, viewport=DESKTOP):
        self.context = browser.new_context(viewport=viewport)
        self.context.add_init_script(CAPTURE_COPY)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        host = urlparse(server).netloc
        self.page.on(
            "console",
            lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "requestfailed",
            lambda r: self.problems.append(f"failed: {r.url} ({r.failure})"),
        )
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"),
        )

        def outside(request):
            url = urlparse(request.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
                self.problems.append(f"outside request: {request.url}")

        self.page.on("request", outside)

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        # Wait for MathJax to finish typesetting, where the page loads it.
        self.page.wait_for_function(
            "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)"
        )
        self.page.evaluate(
            "() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null"
        )
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


@contextlib.contextmanager
def opened(browser, server, path: str, name: str, viewport=DESKTOP):
    """Open a page of the site; when the checks are done, fail on any page problem."""
    watched = Watched(browser, server, viewport=viewport)
    try:
        yield watched.open(f"{server}/{path}")
        check(not watched.problems, f"{name}: " + "\n".join(watched.problems))
    finally:
        watched.close()


def cell_sources(site: Path, lang: str, page: str) -> set[str]:
    notebook = site / lang / "_sources" / f"{page}.ipynb"
    if not notebook.exists():
        return set()
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return {
        ("".join(c["source"]) if isinstance(c["source"], list) else c["source"]).strip("\n")
        for c in cells
        if c["cell_type"] == "code"
    }


PROSE_TEXT = """() => {
  const article = document.querySelector("article") || document.body;
  const copy = article.cloneNode(true);
  const hidden = "pre, code, script, style, mjx-container, .MathJax";
  copy.querySelectorAll(hidden).forEach(e => e.remove());
  return copy.innerText;
}"""


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_in_browser(browser, server, site, lang, page):
    name = f"{lang}/{page}"
    with opened(browser, server, f"{lang}/{page}.html", name) as tab:
        checks["pages"] += 1

        # Maths: MathJax output is present wherever the page has maths, and no raw TeX
        # delimiters are left in the prose.
        prose = tab.evaluate(PROSE_TEXT)
        has_math = tab.locator("div.math, span.math").count() > 0
        if has_math:
            check(tab.locator("mjx-container").count() > 0, f"{name}: maths not rendered")
        check(
            not re.search(r"\\\(|\\\[|\$\$|\$[^$\s][^$\n]*\$", prose),
            f"{name}: raw TeX in the text",
        )

        # Images: every image has loaded and has a size.
        broken = tab.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.src)"
        )
        check(not broken, f"{name}: images did not load: {broken}")

        # Copy buttons: each copies exactly the source of its code cell.
        sources = cell_sources(site, lang, page)
        # A reader opens a hidden cell ("hide-input") before copying it; so does the test.
        tab.evaluate("() => document.querySelectorAll('details').forEach(d => (d.open = true))")
        # So does a reader with a folded solution (sphinx-togglebutton): a click on its title.
        tab.evaluate(
            "() => document.querySelectorAll('.toggle-hidden > .admonition-title')"
            ".forEach(t => t.click())"
        )
        buttons = tab.locator("button.copybtn")
        for index in range(buttons.count()):
            button = buttons.nth(index)
            button.scroll_into_view_if_needed()
            button.click(force=True)
            tab.wait_for_function("n => window.__copied.length >= n", arg=index + 1)
            copied = tab.evaluate("() => window.__copied[window.__copied.length - 1]")
            check(
                copied.strip("\n") in sources,
                f"{name}: copy button {index} copied text that is not a code cell:\n{copied[:300]}",
            )

        # Language switcher: to the same page in the other edition, and back.
        other = "ja" if lang == "en" else "en"
        tab.locator("a.book-lang-switch").first.click()
        tab.wait_for_load_state("load")
        check(
            tab.url.endswith(f"/{other}/{page}.html"),
            f"{name}: switcher led to {tab.url}",
        )
        check(
            tab.locator("html").get_attribute("lang") == other,
            f"{name}: the other edition is not marked lang={other}",
        )
        tab.locator("a.book-lang-switch").first.click()
        tab.wait_for_load_state("load")
        check(tab.url.endswith(f"/{lang}/{page}.html"), f"{name}: switcher back led to {tab.url}")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_a_word_of_the_gates_chapter(browser, server, lang):
    path = f"{lang}/search.html?q={SEARCH_WORDS[lang]}"
    with opened(browser, server, path, f"{lang}/search") as tab:
        tab.wait_for_selector("ul.search li a", timeout=20_000)
        links = tab.eval_on_selector_all("ul.search li a", "els => els.map(e => e.href)")
        check(
            any("/gates.html" in link for link in links),
            f"{lang}: searching {SEARCH_WORDS[lang]!r} did not find the gates chapter: {links}",
        )


SCREENSHOT_PAGES = ["gates", "examples/gate_learning"]


@pytest.mark.slow
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", SCREENSHOT_PAGES)
def test_layout_holds_and_screenshots(browser, server, lang, page, width):
    viewport = DESKTOP if width == "desktop" else PHONE
    name = f"{lang}/{page} ({width})"
    with opened(browser, server, f"{lang}/{page}.html", name, viewport) as tab:
        # Nothing makes the page wider than the screen: tables and code scroll inside.
        overflow = tab.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        check(overflow <= 1, f"{name}: the page is {overflow}px wider than the screen")
        # Figures scale down to the width of the text.
        too_wide = tab.evaluate(
            """() => [...document.querySelectorAll("article img, article svg")]
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                 .map(e => e.getAttribute("src") || e.tagName)"""
        )
        check(not too_wide, f"{name}: figures wider than the screen: {too_wide}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        slug = page.replace("/", "-")
        tab.screenshot(path=str(SCREENSHOTS / f"{lang}-{slug}-{width}.png"), full_page=True)


#: A chapter with exercises, and the spoken label of the button that unfolds a solution.
EXERCISE_PAGE = "gru"
UNFOLD_LABEL = {"en": "Toggle hidden content", "ja": "隠れた内容の表示を切り替える"}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_solutions_stay_folded_until_the_reader_opens_one(browser, server, site, lang):
    name = f"{lang}/{EXERCISE_PAGE} (exercises, phone)"
    with opened(browser, server, f"{lang}/{EXERCISE_PAGE}.html", name, PHONE) as tab:
        checks["pages"] += 1
        solutions = tab.locator("div.solution.dropdown")
        check(solutions.count() >= 3, f"{name}: {solutions.count()} folded solutions")
        for index in range(solutions.count()):
            body = solutions.nth(index).locator("section").first
            check(not body.is_visible(), f"{name}: solution {index + 1} shows before a click")
        first = solutions.first
        label = first.locator("button.toggle-button").get_attribute("aria-label")
        check(label == UNFOLD_LABEL[lang], f"{name}: the unfold button is announced as {label!r}")
        # The button, not the middle of the title: in English the title's middle is the link
        # to its exercise, which a click follows instead of unfolding the solution.
        first.locator("button.toggle-button").click()
        # The toggle animates; wait for the body rather than read it at once.
        with contextlib.suppress(playwright_api.TimeoutError):
            first.locator("section").first.wait_for(state="visible", timeout=5000)
        check(first.locator("section").first.is_visible(), f"{name}: a click does not unfold")
        check(first.locator("div.cell").first.is_visible(), f"{name}: no code in the solution")
        check(not solutions.nth(1).locator("section").first.is_visible(), f"{name}: all unfold")
        # The unfolded solution's maths is typeset and its copy button copies its code.
        check(first.locator("mjx-container").count() > 0, f"{name}: solution maths not rendered")
        button = first.locator("button.copybtn").first
        button.scroll_into_view_if_needed()
        button.click(force=True)
        tab.wait_for_function("() => window.__copied.length >= 1")
        copied = tab.evaluate("() => window.__copied[window.__copied.length - 1]")
        check(
            copied.strip("\n") in cell_sources(site, lang, EXERCISE_PAGE),
            f"{name}: the solution's copy button copied:\n{copied[:300]}",
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        exercise = tab.locator("div.exercise.admonition").first
        exercise.scroll_into_view_if_needed()
        tab.screenshot(path=str(SCREENSHOTS / f"{lang}-{EXERCISE_PAGE}-exercises-phone.png"))


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_root_page_leads_to_each_edition(browser, server, lang):
    with opened(browser, server, "index.html", "root") as tab:
        checks["pages"] += 1
        tab.locator(f'a.edition[hreflang="{lang}"]').click()
        tab.wait_for_load_state("load")
        check(tab.url.endswith(f"/{lang}/index.html"), f"root: the {lang} link led to {tab.url}")


TEXT_BOXES = r"""() => {
  const frame = document.documentElement.getBoundingClientRect();
  // A text's box is its line box, taller than its ink by the font's ascent and descent
  // (for Noto Sans CJK about a fifth of the height above and below): keep the ink.
  const ink = r => ({left: r.left, right: r.right,
                     top: r.top + 0.2 * r.height, bottom: r.bottom - 0.2 * r.height});
  const boxes = [...document.querySelectorAll("text")]
    .map(t => ({text: t.textContent.replace(/\s+/g, ""), box: ink(t.getBoundingClientRect()),
                onAxis: t.closest('g[id^="matplotlib.axis"]') !== null}))
    .filter(t => t.text && t.box.right > t.box.left);
  const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                      && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  // Tick and axis labels belong beside the plot: one that reaches into an axes' white
  // background (a translation longer than the English it was placed for) covers the data.
  const plots = [...document.querySelectorAll('g[id^="axes_"] > g[id^="patch_"]:first-child')]
    .map(g => g.querySelector('path[style*="fill: #ffffff"]')).filter(Boolean)
    .map(p => p.getBoundingClientRect());
  const intoPlot = boxes.filter(t => t.onAxis && plots.some(p => meet(t.box, p)))
    .map(t => t.text);
  const outside = boxes
    .filter(({box}) => box.left < frame.left - 1 || box.right > frame.right + 1
                    || box.top < frame.top - 1 || box.bottom > frame.bottom + 1)
    .map(t => t.text);
  const overlaps = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (meet(a.box, b.box)) overlaps.push(`${a.text} / ${b.text}`);
  }));
  return {texts: boxes.length, outside, overlaps, intoPlot};
}"""


def figures_of(site: Path, lang: str, page: str) -> list[str]:
    html = (site / lang / f"{page}.html").read_text(encoding="utf-8")
    return [
        f"{lang}/{Path(page).parent / src}"
        for src in re.findall(r'<img[^>]+src="([^"]+\.svg)"', html)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_figure_texts_stay_inside_their_figure_and_apart(browser, server, site, lang):
    figures = sorted({f for page in PAGES for f in figures_of(site, lang, page)})
    assert len(figures) > 10
    problems = []
    # A figure opened on its own, as the browser draws it inside a page (an <img> has no
    # page fonts either); the browser's request for a favicon is of no interest here.
    tab = browser.new_page(viewport=DESKTOP)
    try:
        for figure in figures:
            tab.goto(f"{server}/{figure}", wait_until="load")
            found = tab.evaluate(TEXT_BOXES)
            check(found["texts"] > 0, f"{figure}: no text: its words are not kept as text")
            if found["outside"] or found["overlaps"] or found["intoPlot"]:
                problems.append(f"{figure}: {found}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # Every figure as a page shows it (an image on a white page), for review.
        tab.goto(f"{server}/{lang}/index.html", wait_until="load")
        for page in PAGES:
            for number, figure in enumerate(figures_of(site, lang, page), start=1):
                tab.set_content(
                    f'<body style="margin:0;background:#fff"><img src="{server}/{figure}"></body>'
                )
                tab.wait_for_function("() => document.images[0].complete")
                name = f"figure-{lang}-{page.replace('/', '-')}-{number}.png"
                tab.locator("img").screenshot(path=str(SCREENSHOTS / name))
    finally:
        tab.close()
    check(not problems, "\n".join(problems))


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_404_page_in_browser(browser, server, lang):
    # As the host shows it for a missing address: under the published path, its styles and
    # scripts loading from absolute paths, its link leading to the edition's contents.
    path = f"{site_path().lstrip('/')}{lang}/404.html"
    with opened(browser, server, path, f"{lang}/404") as tab:
        heading = tab.locator("article h1").first.inner_text()
        check(heading.strip() == NOT_FOUND[lang]["title"], f"{lang}/404: heading {heading!r}")
        styled = tab.evaluate(
            "() => [...document.styleSheets].some(s => s.href && s.href.includes('_static'))"
        )
        check(styled, f"{lang}/404: no stylesheet of the site loaded")
        tab.locator("article a[href$='index.html']").first.click()
        tab.wait_for_load_state("load")
        check(
            tab.url.endswith(f"{site_path()}{lang}/index.html"),
            f"{lang}/404: the contents link leads to {tab.url}",
        )
