"""The built site as the web sees it: canonical links, sitemaps with hreflang alternates,
Open Graph metadata, a 404 page per edition and robots.txt, all from one base URL
(docs/_ext/webmeta.py, and noxfile.py for the files of the site's root)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from conftest import EDITIONS
from test_translations import english_pages
from webmeta import NOT_FOUND, OG_LOCALES, site_path, site_url

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
PAGES = english_pages()
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


class Head(HTMLParser):
    """The canonical link, the meta properties and the title of one page."""

    def __init__(self):
        super().__init__()
        self.canonical: list[str] = []
        self.alternates: dict[str, str] = {}
        self.meta: dict[str, list[str]] = {}
        self.lang = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs["href"]
        if tag == "meta" and attrs.get("property"):
            self.meta.setdefault(attrs["property"], []).append(attrs.get("content", ""))
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def head(path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_has_its_canonical_link_and_open_graph_metadata(site, lang):
    url = site_url()
    for page in PAGES:
        meta = head(site / lang / f"{page}.html")
        address = f"{url}{lang}/{page}.html"
        assert meta.canonical == [address], (page, meta.canonical)
        # The head names the page's twins in the other editions at their published address.
        twins = {other: f"{url}{other}/{page}.html" for other in EDITIONS if other != lang}
        assert meta.alternates == twins, (page, meta.alternates)
        assert meta.meta["og:url"] == [address], page
        assert meta.meta["og:title"][0].strip(), page
        assert meta.meta["og:type"] == ["website"], page
        assert meta.meta["og:locale"] == [OG_LOCALES[lang]], page
        others = [OG_LOCALES[other] for other in EDITIONS if other != lang]
        assert meta.meta["og:locale:alternate"] == others, page
        # The preview image is an absolute address of a file the site holds.
        (image,) = meta.meta["og:image"]
        assert image == f"{url}{lang}/_static/og-image.png", image
        assert (site / lang / "_static" / "og-image.png").stat().st_size > 10_000
        (alt,) = meta.meta["og:image:alt"]
        assert bool(JAPANESE.search(alt)) == (lang == "ja"), alt


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_edition_has_a_sitemap_with_hreflang_alternates(site, lang):
    url = site_url()
    root = ElementTree.parse(site / lang / "sitemap.xml").getroot()
    entries = {}
    for entry in root.iter(f"{SITEMAP}url"):
        loc = entry.find(f"{SITEMAP}loc").text
        alternates = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
        entries[loc] = alternates
    expected = {f"{url}{lang}/{page}.html" for page in PAGES}
    assert set(entries) == expected, set(entries) ^ expected
    for loc, alternates in entries.items():
        page = loc.removeprefix(f"{url}{lang}/")
        assert alternates == {other: f"{url}{other}/{page}" for other in EDITIONS}, loc
        # Every alternate is a page that the site holds.
        for other in EDITIONS:
            assert (site / other / page).exists(), (other, page)


def test_the_root_has_a_sitemap_index_and_robots_txt(site):
    url = site_url()
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}sitemapindex"
    listed = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert listed == [f"{url}{lang}/sitemap.xml" for lang in EDITIONS]
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots and f"Sitemap: {url}sitemap.xml" in robots


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_edition_has_a_404_page_in_its_language(site, lang):
    page = site / lang / "404.html"
    text = page.read_text(encoding="utf-8")
    meta = head(page)
    assert meta.lang == lang
    assert NOT_FOUND[lang]["title"] in meta.title
    body = re.sub(r"<[^>]+>", "", text.split('<article class="bd-article"', 1)[-1])
    assert bool(JAPANESE.search(body)) == (lang == "ja")
    # Its links and resources are absolute paths of this edition at the published address,
    # so that the page works wherever the server shows it.
    prefix = f"{site_path()}{lang}/"
    assert f'href="{prefix}index.html"' in text
    assert f'href="{prefix}_static/' in text
    # It is no page of the book: not in the sitemap.
    assert "404.html" not in (site / lang / "sitemap.xml").read_text(encoding="utf-8")


def test_the_root_404_page_is_the_source_editions(site):
    root = (site / "404.html").read_bytes()
    assert root == (site / EDITIONS[0] / "404.html").read_bytes()


def test_site_url_rejects_an_address_that_is_not_http(monkeypatch):
    monkeypatch.setenv("BOOK_SITE_URL", "gated-rnn-book.example")
    with pytest.raises(ValueError, match="expected an http"):
        site_url()
    monkeypatch.setenv("BOOK_SITE_URL", "https://books.example/gated")
    assert site_url() == "https://books.example/gated/"
    assert site_path() == "/gated/"
