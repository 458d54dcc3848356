"""Catalogue checks that msgfmt does not make (run by `make check-messages`):

1. Django merges every app's catalogue into one: a msgid (without context) that two apps
   translate differently shows one app's French in the other's page (« To » → « Destinataire »
   on the agenda). Such a msgid must get a pgettext context.
2. makemessages extracts only the names it knows (`_`, gettext, gettext_lazy, pgettext, ...):
   a string behind another alias (`gettext as _g`) is never translated.
3. French typography in every msgstr: a non-breaking space U+00A0 (the portal's one; never the
   narrow U+202F) before « : », « ; », « ? », « ! » and inside « guillemets », and decimal
   commas. URLs, times (10:00), placeholders (%(name)s, {name}), HTML tags and entities and the
   few code literals of CODE are left as they are.

Exit status 1 with one line per problem. `--fix` rewrites the msgstr text of the catalogues
to the typography rule in place (nothing else of the files changes)."""

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


NBSP = "\u00a0"
# Spans that are code, not French prose: left untouched by the rule.
CODE = re.compile(
    r"https?://\S+|www\.\S+|%\(\w+\)[sdfr]|%[sd]|\{(?:[^{}]|\{[^{}]*\})*\}|<[^<>]*>|&#?\w+;"
    r"|\b\d{1,2}:\d{2}\b|Authorization: Bearer|version \d+(?:\.\d+)+"
    r"|(?<=«[ \u00a0])12\.50"  # the API's amounts are JSON strings with a point
)
MASK = "\ue000"  # a private-use character stands for each code span while the rule runs
RULES = [
    (re.compile(r"[ \u202f]+(?=[:;?!])"), NBSP),  # a plain or narrow space before
    (re.compile(r"(?<=[^\s])(?=[;?!](?:[\s»)\"'.,]|$))"), NBSP),  # no space before ; ? !
    (re.compile(r"(?<=[^\s])(?=:(?:\s|$))"), NBSP),  # no space before a colon
    (re.compile(r"«(?:[ \u202f]|(?!\u00a0))"), "«" + NBSP),
    (re.compile(r"(?:[ \u202f]|(?<![\u00a0]))»"), NBSP + "»"),
    (re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?![\w]|\.\d)"), r"\1,\2"),  # decimal comma
    (re.compile("\u202f"), NBSP),
]


def fix_typography(text):
    spans = []

    def hide(match):
        spans.append(match.group(0))
        return MASK

    masked = CODE.sub(hide, text)
    for pattern, replacement in RULES:
        masked = pattern.sub(replacement, masked)
    restored = iter(spans)
    return re.sub(MASK, lambda _: next(restored), masked)


def _msgstrs(entry):
    return entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]


def typography(root=ROOT):
    problems = []
    for po_path in sorted(root.glob("portail/*/locale/fr/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            for text in _msgstrs(entry):
                if text and fix_typography(text) != text:
                    problems.append(
                        f"{po_path.relative_to(root)}: {text!r} should read "
                        f"{fix_typography(text)!r} (French typography)"
                    )
    return problems


def _po_unquote(piece):
    return polib.unescape(piece[1:-1])


def _po_quote(text):
    return '"' + polib.escape(text) + '"'


def _realign(original, fixed, lengths):
    """Cut `fixed` (original with spaces turned to U+00A0 and U+00A0 inserted) like `original`."""
    # Walk both strings; an inserted U+00A0 belongs to the piece being read.
    bounds, total = [], 0
    for length in lengths:
        total += length
        bounds.append(total)
    cuts, i, j = [], 0, 0
    for bound in bounds:
        while i < bound:
            if fixed[j] != original[i] and fixed[j] == NBSP and original[i] not in " \u202f":
                j += 1  # inserted
                continue
            i += 1
            j += 1
        cuts.append(j)
    if j < len(fixed):
        cuts[-1] = len(fixed)
    out, start = [], 0
    for cut in cuts:
        out.append(fixed[start:cut])
        start = cut
    return out


MSGSTR = re.compile(r'^(msgstr(?:\[\d+\])?) (".*")$')


def fix_file(po_path):
    """Rewrite the msgstr lines of one catalogue to the typography rule, keeping its layout."""
    lines = po_path.read_text(encoding="utf-8").split("\n")
    out, index, changed = [], 0, 0
    while index < len(lines):
        match = MSGSTR.match(lines[index])
        if not match or (index and lines[index - 1] == 'msgid ""'):  # the header is no prose
            out.append(lines[index])
            index += 1
            continue
        keyword, first = match.groups()
        quoted = [first]
        index += 1
        while index < len(lines) and lines[index].startswith('"'):
            quoted.append(lines[index])
            index += 1
        pieces = [_po_unquote(piece) for piece in quoted]
        original = "".join(pieces)
        fixed = fix_typography(original)
        if fixed == original:
            out.extend([lines[index - len(quoted)]] + quoted[1:])
            continue
        changed += 1
        pieces = _realign(original, fixed, [len(piece) for piece in pieces])
        out.append(f"{keyword} {_po_quote(pieces[0])}")
        out.extend(_po_quote(piece) for piece in pieces[1:])
    po_path.write_text("\n".join(out), encoding="utf-8")
    return changed


def main():
    if "--fix" in sys.argv:
        for po_path in sorted(ROOT.glob("portail/*/locale/fr/LC_MESSAGES/django.po")):
            print(f"{po_path.relative_to(ROOT)}: {fix_file(po_path)} msgstr fixed")
        return 0
    problems = collisions() + hidden_aliases() + typography()
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
