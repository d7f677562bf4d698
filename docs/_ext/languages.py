"""The editions of the book: the one place where a language is added.

English is the source; every other edition has its catalogues under
``docs/locale/<code>/LC_MESSAGES``. The Sphinx configuration, the language switcher, the
nox sessions, the site's root page and the tests all read this list. This module imports
nothing but the standard library, so that noxfile.py can read it without Sphinx.
"""

#: Each edition's code and the name it gives itself, the source language first.
LANGUAGES = {"en": "English", "ja": "日本語"}
#: The source language, the one the pages are written in.
SOURCE = "en"
#: How the site's root page names each edition, in that edition's language.
EDITION_LINKS = {"en": "English edition", "ja": "日本語版"}
