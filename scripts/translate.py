"""Fill French translations from a Python dict file: python scripts/translate.py APP FILE.py

FILE.py defines T = {"English msgid": "French text", ...}; plurals as a tuple (singular, plural).
Entries not in T are left as they are.
"""

import pathlib
import runpy
import sys

import polib

root = pathlib.Path(__file__).resolve().parent.parent / "portail"
app, source = sys.argv[1], sys.argv[2]
table = runpy.run_path(source)["T"]
po_path = root / app / "locale/fr/LC_MESSAGES/django.po"
po = polib.pofile(str(po_path))
po.metadata["Language"] = "fr"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
done = 0
for entry in po:
    if entry.msgid in table:
        value = table[entry.msgid]
        if entry.msgid_plural:
            singular, plural = value if isinstance(value, tuple) else (value, value)
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        done += 1
po.save()
print(f"{app}: {done} translated")
