"""The Japanese edition is complete: every page has a catalogue, every entry is translated."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

DOCS = Path(__file__).resolve().parent.parent / "docs"
LOCALE = DOCS / "locale" / "ja" / "LC_MESSAGES"
SOURCE_SUFFIXES = {".md", ".py"}
NOT_PAGES = {"conf.py"}


def english_pages() -> list[str]:
    """Docnames of every page of the English source."""
    pages = []
    for path in sorted(DOCS.rglob("*")):
        relative = path.relative_to(DOCS)
        if path.suffix not in SOURCE_SUFFIXES or relative.parts[0].startswith("_"):
            continue
        if (
            relative.parts[0] == "locale"
            or path.name in NOT_PAGES
            or "__pycache__" in relative.parts
        ):
            continue
        pages.append(relative.with_suffix("").as_posix())
    return pages


def catalogues() -> list[Path]:
    return sorted(LOCALE.rglob("*.po"))


def test_every_english_page_has_a_japanese_catalogue():
    have = {po.relative_to(LOCALE).with_suffix("").as_posix() for po in catalogues()}
    missing = [page for page in english_pages() if page not in have]
    assert not missing, f"pages without a .po file (run `nox -s translate`): {missing}"


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po_path):
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert len(catalog) > 0
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, first: {fuzzy[:3]}"


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: p.relative_to(LOCALE).as_posix())
def test_translations_keep_every_role_of_the_english(po_path):
    """A translation that drops a glued number or a cross-reference would silently lose it.

    A `{ref}` may have a link text in the translation's language; its target stays.
    """
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        assert roles(message.string) == roles(message.id), message.id


ROLE = re.compile(r"\{glue:text\}`[^`]+`|\{(?:eq|ref|doc|(?:foot)?cite(?::[a-z]+)?)\}`[^`]+`")
REF_TARGET = re.compile(r"\{ref\}`(?:[^`<]*<([^`>]+)>|([^`]+))`")


def roles(text: str) -> list[str]:
    """The roles of a message, each `{ref}` reduced to its target."""
    found = []
    for role in ROLE.findall(text):
        ref = REF_TARGET.fullmatch(role)
        found.append(f"ref:{(ref.group(1) or ref.group(2)).strip()}" if ref else role)
    return sorted(found)


def test_a_translated_link_text_keeps_the_target_of_a_ref():
    assert roles("{ref}`言語の切り替え <book-editions>`") == roles("{ref}`book-editions`")
    assert roles("{ref}`language switcher <book-editions>`") == ["ref:book-editions"]
    assert roles("{ref}`言語 <other-label>`") != roles("{ref}`book-editions`")
    assert roles("{doc}`gates`") != roles("{doc}`rnn`")
