"""The compiled English catalogue matches its source (run `make messages` after editing)."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_mo_files_are_compiled_from_their_po() -> None:
    for po_path in LOCALE.glob("*/LC_MESSAGES/django.po"):
        po = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)).translated_entries()}
        mo = {e.msgid: e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo"))) if e.msgid}
        assert po == mo, f"{po_path.with_suffix('.mo')} is stale: run `make messages`"


def test_the_english_catalogue_is_complete() -> None:
    """Every string the catalogue knows has an English translation (`make messages` extracts new ones)."""
    for po_path in LOCALE.glob("*/LC_MESSAGES/django.po"):
        catalogue = polib.pofile(str(po_path))
        missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
        assert not missing, f"{len(missing)} strings lack a translation, e.g. {missing[:3]}"
