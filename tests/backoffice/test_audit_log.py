"""The journal of actions speaks French (issue 13, item 8): every action code written in the
code base has its sentence, and the sentences fill in the event's data."""

import pathlib
import re

from portail.backoffice.audit_log import ACTIONS, action_label, changes, sentence

ROOT = pathlib.Path(__file__).resolve().parents[2] / "portail"
PROCEDURE_STATUSES = ["pending", "processing", "closed", "rejected", "cancelled", "draft"]


def _codes_in_code_base() -> set[str]:
    codes = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text()
        for match in re.finditer(r"record\(\s*[\w.]+,\s*(f?)\"([a-z_]+\.[a-z_{}]+)\"", text):
            fstring, code = match.groups()
            if fstring and "{to_status}" in code:
                codes |= {code.replace("{to_status}", s) for s in PROCEDURE_STATUSES}
            else:
                codes.add(code)
        # The few written through a variable: _change_audited(..., "code", ...), "a" if x else "b".
        codes |= set(re.findall(r"\"((?:household|child|adult)\.[a-z_]+)\"", text))
        codes |= set(re.findall(r"\"(imports\.(?:imported|checked))\"", text))
    return codes


def test_every_action_code_of_the_code_base_has_a_french_sentence():
    codes = _codes_in_code_base()
    assert len(codes) > 40
    assert codes - set(ACTIONS) == set()


def test_sentences_fill_in_the_data_in_french():
    assert (
        sentence("billing.cash_payment", {"amount": "12.50", "receipt": "R-2026-00001"})
        == "Paiement en espèces de 12,50 € (reçu R-2026-00001)"
    )
    assert sentence("agenda.closure_removed", {"date": "2026-05-01"}) == (
        "Jour fermé retiré\u00a0: 01/05/2026"
    )
    assert sentence("documents.expire", {}) == "Justificatif périmé"
    assert sentence("new.code", {}) == "Action enregistrée\u00a0: new.code"
    assert action_label("billing.refund") == "Remboursement de … € crédité\u00a0: …"


def test_changes_read_as_before_and_after():
    data = {"changes": {"phone": ["", "0612345678"], "has_pai": [False, True]}}
    assert changes(data) == ["téléphone\u00a0: — → 0612345678", "PAI\u00a0: non → oui"]
