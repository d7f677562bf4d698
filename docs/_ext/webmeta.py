"""The site on the web: one base URL, and from it what search engines and link previews read.

The site is published at ``SITE_URL`` (below), or at ``BOOK_SITE_URL`` where that is set:
`.github/workflows/publish.yml` sets it to the address GitHub Pages gives the repository.
Each edition lives under ``SITE_URL/<lang>/``. From that one address, in every build:

- each page gets a canonical link (Sphinx's ``html_baseurl``);
- each edition writes a ``sitemap.xml`` whose every page names its twin in the other
  language with an ``hreflang`` alternate (sphinx-sitemap);
- each page carries Open Graph metadata with a preview image (sphinxext-opengraph), and
  names its locale;
- each edition has a 404 page in its own language (sphinx-notfound-page), whose links are
  absolute paths under the published address, so that it works at any depth.

The site's root gets a sitemap index, ``robots.txt`` and the English 404 page from
``noxfile.py`` (`root_files`). This module imports nothing but the standard library at its
top, so that noxfile.py and the tests can read ``site_url`` without Sphinx.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

#: Where the site is published when BOOK_SITE_URL is not set. Change it in this one place.
SITE_URL = "https://gated-rnn-book.github.io/gated-rnn-book/"
#: Open Graph's name of each edition's locale.
OG_LOCALES = {"en": "en_US", "ja": "ja_JP"}
#: The name of the site, and the text of the preview image, in each edition's language.
SITE_NAMES = {"en": "gated-rnn-book", "ja": "gated-rnn-book（ゲート付き RNN の本）"}
IMAGE_ALT = {
    "en": "gated-rnn-book: a signal, a sigmoid gate and their product",
    "ja": "gated-rnn-book：信号、シグモイドのゲート、その積",
}
#: The 404 page of each edition: its title and its body (HTML).
NOT_FOUND = {
    "en": {
        "title": "Page not found",
        "body": (
            "<h1>Page not found</h1>\n"
            "<p>This page does not exist, or it has moved. "
            'Start again from the <a href="{index}">table of contents</a>, '
            "or use the search.</p>"
        ),
    },
    "ja": {
        "title": "ページが見つかりません",
        "body": (
            "<h1>ページが見つかりません</h1>\n"
            "<p>このページは存在しないか、移動しました。"
            '<a href="{index}">目次</a>からたどるか、検索を使ってください。</p>'
        ),
    },
}


def site_url() -> str:
    """The published address of the site's root, ending in a slash."""
    url = os.environ.get("BOOK_SITE_URL") or SITE_URL
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"BOOK_SITE_URL: expected an http(s) address, got {url!r}")
    return url.rstrip("/") + "/"


def site_path() -> str:
    """The path of the site's root on its host: "/gated-rnn-book/" for a project site."""
    return urlparse(site_url()).path


def configure(app, config) -> None:
    """Set the extensions' settings for the edition being built, from the one address."""
    lang = config.language
    root = site_url()
    config.html_baseurl = f"{root}{lang}/"
    # sphinx-sitemap: every page at SITE_URL/<lang>/<page>.html, with both editions' twins.
    config.site_url = root
    config.sitemap_url_scheme = "{lang}{link}"
    config.sitemap_locales = list(config.book_languages)
    config.sitemap_excludes = ["search.html", "genindex.html", "404.html"]
    # sphinxext-opengraph: one preview image, no cards drawn per page.
    config.ogp_site_url = config.html_baseurl
    config.ogp_site_name = SITE_NAMES[lang]
    config.ogp_image = "_static/og-image.png"
    config.ogp_image_alt = IMAGE_ALT[lang]
    config.ogp_social_cards = {"enable": False}
    config.ogp_custom_meta_tags = [
        f'<meta property="og:locale" content="{OG_LOCALES[lang]}" />',
        *(
            f'<meta property="og:locale:alternate" content="{OG_LOCALES[other]}" />'
            for other in config.book_languages
            if other != lang
        ),
    ]
    # sphinx-notfound-page: links of the 404 page as absolute paths of this edition (a
    # build of a few pages, BOOK_PAGES, has no 404 page: docs/conf.py).
    if "notfound_pagename" not in config:
        return
    config.notfound_urls_prefix = f"{site_path()}{lang}/"
    index = f"{config.notfound_urls_prefix}index.html"
    config.notfound_context = {
        "title": NOT_FOUND[lang]["title"],
        "body": NOT_FOUND[lang]["body"].format(index=index),
    }


def remember_written(app, pagename, templatename, context, doctree) -> None:
    app.book_written_pages.add(pagename)


def complete_sitemap(app, exception) -> None:
    """Add to the sitemap the pages that this build did not write.

    sphinx-sitemap lists the pages as they are written, and an incremental build (a changed
    page, a changed catalogue) writes only some: without this, its sitemap would leave the
    others out. Runs before sphinx-sitemap writes the file (priority 400 < 500).
    """
    links = getattr(app, "sitemap_links", None)
    if exception or links is None or app.builder.format != "html":
        return
    excluded = set(app.config.sitemap_excludes)
    for docname in sorted(app.env.found_docs - app.book_written_pages):
        if f"{docname}.html" not in excluded:
            links.put((f"{docname}.html", None))


def setup(app):
    app.connect("config-inited", configure, priority=400)
    app.connect("builder-inited", lambda app: setattr(app, "book_written_pages", set()))
    app.connect("html-page-context", remember_written)
    app.connect("build-finished", complete_sitemap, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
