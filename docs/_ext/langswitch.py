"""A language switcher: every page links to the same page in the other edition.

The site is laid out as ``site/en/<page>.html`` and ``site/ja/<page>.html``, so the
other edition of a page is always ``../`` (once per folder level) + ``<lang>/<page>``,
which works from disk too. The 404 page, which the host shows at any address, links by
absolute path under the published address instead, and the ``hreflang`` alternates in the
head name the published addresses, as search engines expect (docs/_ext/webmeta.py).
"""

from languages import LANGUAGES
from sphinx.application import Sphinx
from webmeta import site_path, site_url


def other_language_links(app: Sphinx, pagename: str) -> list[dict[str, str]]:
    """The links from ``pagename`` to the same page in every other edition."""
    current = app.config.language or "en"
    up = "../" * (pagename.count("/") + 1)
    if pagename == getattr(app.config, "notfound_pagename", None):
        up = site_path()
    return [
        {
            "lang": lang,
            "name": LANGUAGES[lang],
            "url": f"{up}{lang}/{pagename}.html",
            "published": f"{site_url()}{lang}/{pagename}.html",
        }
        for lang in app.config.book_languages
        if lang != current
    ]


def add_switcher_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    links = other_language_links(app, pagename)
    context["book_language_links"] = links
    # Tell search engines and browsers that the page exists in the other language.
    tags = "".join(
        f'<link rel="alternate" hreflang="{link["lang"]}" href="{link["published"]}" />\n'
        for link in links
    )
    context["metatags"] = context.get("metatags", "") + tags


def setup(app: Sphinx):
    app.add_config_value("book_languages", list(LANGUAGES), "html", types=[list])
    app.connect("html-page-context", add_switcher_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
