"""Catalogue checks that msgfmt does not make (run by `make check-messages`):

1. Django merges every app's catalogue into one: a msgid (without context) that two apps
   translate differently shows one app's French in the other's page (« To » → « Destinataire »
   on the agenda). Such a msgid must get a pgettext context.
2. makemessages extracts only the names it knows (`_`, gettext, gettext_lazy, pgettext, ...):
   a string behind another alias (`gettext as _g`) is never translated.

Exit status 1 with one line per problem."""

import pathlib
import re
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FUNCTIONS = (
    "gettext|gettext_lazy|gettext_noop|ngettext|ngettext_lazy|pgettext|pgettext_lazy|"
    "npgettext|npgettext_lazy|ugettext|ugettext_lazy"
)
# `from django.utils.translation import gettext as _g`: only `_` (or no alias) is extracted.
ALIAS = re.compile(rf"\b({FUNCTIONS})\s+as\s+(\w+)")
# `translation.gettext(...)` (through the module): not extracted either.
MODULE_CALL = re.compile(rf"\b\w+\.({FUNCTIONS})\(")


def collisions(root=ROOT):
    seen = {}  # msgid -> {french: [app, ...]}
    for po_path in sorted(root.glob("portail/*/locale/fr/LC_MESSAGES/django.po")):
        app = po_path.parts[-5]
        for entry in polib.pofile(str(po_path)):
            if entry.msgctxt or entry.obsolete or not entry.msgstr:
                continue
            seen.setdefault(entry.msgid, {}).setdefault(entry.msgstr, []).append(app)
    problems = []
    for msgid, translations in sorted(seen.items()):
        if len(translations) > 1:
            detail = "; ".join(f"{', '.join(apps)}: {fr!r}" for fr, apps in translations.items())
            problems.append(f"msgid {msgid!r} translated differently ({detail}): use pgettext")
    return problems


def hidden_aliases(root=ROOT):
    problems = []
    for path in sorted(root.glob("portail/**/*.py")):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for function, alias in ALIAS.findall(line):
                if alias != "_":
                    problems.append(
                        f"{path.relative_to(root)}:{number}: {function} as {alias} is not "
                        "extracted by makemessages (import it as _ or by its own name)"
                    )
            for function in MODULE_CALL.findall(line):
                problems.append(
                    f"{path.relative_to(root)}:{number}: .{function}() through a module is not "
                    "extracted by makemessages"
                )
    return problems


def main():
    problems = collisions() + hidden_aliases()
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
