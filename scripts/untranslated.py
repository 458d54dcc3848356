"""List the French messages still untranslated or fuzzy: python scripts/untranslated.py [app...]"""

import pathlib
import sys

import polib

root = pathlib.Path(__file__).resolve().parent.parent / "portail"
apps = sys.argv[1:] or sorted(p.name for p in root.iterdir() if (p / "locale").is_dir())
for app in apps:
    po_path = root / app / "locale/fr/LC_MESSAGES/django.po"
    if not po_path.exists():
        continue
    po = polib.pofile(str(po_path))
    for entry in po.untranslated_entries() + po.fuzzy_entries():
        print(
            f"{app}\t{entry.msgid!r}"
            + (f"\t(plural {entry.msgid_plural!r})" if entry.msgid_plural else "")
        )
