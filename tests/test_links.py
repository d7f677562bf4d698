"""Every internal link and image of the built site resolves, and nothing points outside."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import EDITIONS
from webmeta import site_path

EXTERNAL = ("http:", "https:", "//")
SKIP = ("mailto:", "javascript:", "data:")


class Links(HTMLParser):
    """Collect ids, links (href) and embedded resources (src) of one page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.cross_language: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            if attrs.get("hreflang"):
                self.cross_language.append(attrs["href"])
        if tag in ("img", "script", "source", "iframe") and attrs.get("src"):
            self.sources.append(attrs["src"])


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def site_pages(site: Path) -> list[Path]:
    """The pages of the site; the themes also copy Jinja macro files into _static."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def resolve(site: Path, page: Path, path: str) -> Path:
    """The file a link's path names: relative to the page, or, for an absolute path (the
    404 pages' links), relative to the site's root at its published path."""
    if path.startswith("/"):
        prefix = site_path()
        assert path.startswith(prefix), f"{page.relative_to(site)}: {path} is not under {prefix}"
        return (site / path[len(prefix) :]).resolve()
    return (page.parent / path).resolve()


def test_every_internal_link_and_image_resolves(site):
    parsed = {page: parse(page) for page in site_pages(site)}
    broken, outside, checked = [], [], 0
    for page, links in parsed.items():
        for url in links.sources:
            if url.startswith(EXTERNAL):
                outside.append(f"{page.relative_to(site)} loads {url}")
        for url in links.hrefs + links.sources:
            if url.startswith(SKIP) or url.startswith(EXTERNAL):
                continue
            checked += 1
            parts = urlparse(url)
            target = resolve(site, page, unquote(parts.path)) if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {url} (no such anchor)")
    assert checked > 100
    assert not broken, "\n".join(broken[:30])
    assert not outside, "\n".join(outside[:30])


@pytest.mark.parametrize("lang", EDITIONS)
def test_only_the_language_links_leave_an_edition(site, lang):
    edition = (site / lang).resolve()
    for page in site_pages(site / lang):
        links = parse(page)
        for url in links.hrefs:
            path = unquote(urlparse(url).path)
            if url.startswith(EXTERNAL + SKIP) or not path:
                continue
            target = resolve(site, page, path)
            if edition not in target.parents:
                assert url in links.cross_language, f"{page.relative_to(site)} -> {url}"
