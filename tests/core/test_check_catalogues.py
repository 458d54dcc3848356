"""scripts/check_catalogues.py (run by `make check-messages`) fails on the two mistakes that
showed English or the wrong French to parents (issue 15, item 1)."""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "check_catalogues", ROOT / "scripts/check_catalogues.py"
)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

PO = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n{}\n'


def _app(root, app, entries="", code=""):
    locale = root / "portail" / app / "locale/fr/LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "django.po").write_text(PO.format(entries), encoding="utf-8")
    (root / "portail" / app / "views.py").write_text(code, encoding="utf-8")


def test_the_project_catalogues_pass():
    assert check.collisions() == []
    assert check.hidden_aliases() == []


def test_a_msgid_translated_differently_by_two_apps_fails(tmp_path):
    _app(tmp_path, "agenda", 'msgid "To"\nmsgstr "Au"\n')
    _app(tmp_path, "messaging", 'msgid "To"\nmsgstr "Destinataire"\n')
    problems = check.collisions(tmp_path)
    assert len(problems) == 1 and "'To'" in problems[0] and "Destinataire" in problems[0]


def test_the_same_msgid_with_contexts_or_the_same_french_passes(tmp_path):
    _app(
        tmp_path,
        "agenda",
        'msgctxt "date range"\nmsgid "To"\nmsgstr "Au"\n\nmsgid "Child"\nmsgstr "Enfant"\n',
    )
    _app(
        tmp_path,
        "messaging",
        'msgid "To"\nmsgstr "Destinataire"\n\nmsgid "Child"\nmsgstr "Enfant"\n',
    )
    assert check.collisions(tmp_path) == []


def test_a_gettext_alias_that_makemessages_ignores_fails(tmp_path):
    _app(tmp_path, "procedures", code="from django.utils.translation import gettext as _g\n")
    _app(
        tmp_path,
        "billing",
        code="from django.utils import translation\nx = translation.gettext('Hi')\n",
    )
    _app(
        tmp_path,
        "agenda",
        code="from django.utils.translation import gettext_lazy as _, pgettext_lazy\n",
    )
    problems = check.hidden_aliases(tmp_path)
    assert len(problems) == 2
    assert (
        "procedures/views.py:1: gettext as _g" in problems[0]
        or "procedures/views.py:1: gettext as _g" in problems[1]
    )
    assert any("billing/views.py:2" in p for p in problems)


def test_the_project_catalogues_follow_french_typography():
    assert check.typography() == []


NB = "\u00a0"


def test_french_typography_wants_a_no_break_space_before_double_signs_and_in_guillemets():
    fix = check.fix_typography
    assert fix("Identifiant :") == f"Identifiant{NB}:"
    assert fix("%(name)s: %(phone)s") == f"%(name)s{NB}: %(phone)s"  # « Paul Dupont: 06… »
    assert fix("Continuer ? Oui! ; fin") == f"Continuer{NB}? Oui{NB}!{NB}; fin"
    assert fix("cliquez sur « valider »") == f"cliquez sur «{NB}valider{NB}»"
    assert fix("Entre 1.00 € et 1000.00 €") == "Entre 1,00 € et 1000,00 €"
    assert fix("Qu’est-ce\u202f?") == f"Qu’est-ce{NB}?"  # one no-break space, not two kinds


def test_french_typography_leaves_code_alone():
    for code in [
        "https://exemple.fr/a?b=c;d",
        "ouvert de 10:00 à 12:30",
        '<a href="%(url)s">lien</a>',
        "&amp;",
        '{"households": {"name": "Nom"}}',
        "l'en-tête « Authorization: Bearer »".replace(" ", NB).replace("n:" + NB, "n: "),
        "RGAA, version 4.1",
    ]:
        assert check.fix_typography(code) == code


def test_a_msgstr_breaking_french_typography_fails_and_fix_rewrites_only_the_msgstr(tmp_path):
    entry = (
        '#, python-format\nmsgid "Name: %(name)s?"\nmsgstr ""\n"Nom « complet » "\n": %(name)s ?"\n'
    )
    _app(tmp_path, "agenda", entry)
    problems = check.typography(tmp_path)
    assert len(problems) == 1 and "agenda" in problems[0]
    po_path = tmp_path / "portail/agenda/locale/fr/LC_MESSAGES/django.po"
    assert check.fix_file(po_path) == 1
    text = po_path.read_text(encoding="utf-8")
    assert f'"Nom «{NB}complet{NB}»{NB}"\n": %(name)s{NB}?"\n' in text  # lines kept as they were
    assert 'msgid "Name: %(name)s?"' in text and "Content-Type: text/plain; charset" in text
    assert check.typography(tmp_path) == []
