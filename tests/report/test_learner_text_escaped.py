"""Text a learner controls (an error message of their code, a value, a label, a name) reaches the trainer's
reports, competences.html and the dashboard as text, never as HTML."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from mda_apprenant.check.result import CheckResult, Status
from mda_checks.report.dashboard_widgets import Notice, html_table
from mda_checks.report.html import common, environment

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def test_competences_and_report_pages_escape_the_journal_and_the_learner():
    """An ungraded notebook's reason quotes the learner's exception message (autograde.error_notes)."""
    page = environment().get_template("report/competences.html.j2").render(
        **common(datetime(2026, 12, 1)), name=HOSTILE, assignment="bloc1", points="1", maximum="2",
        submitted="1 déc.", late="", data=HOSTILE, pages=["01_veille"], group="", grouped=False,
        ungraded=[{"notebook": "01_veille", "reason": f"erreur d'exécution (ValueError: {HOSTILE})"}],
        rows=[{"ce": "CE1.1.1", "libelle": HOSTILE, "points_text": "1 / 2", "css": "acquis", "statut": "acquis"}])
    assert HOSTILE not in page and page.count(ESCAPED) == 5  # title, name, data, reason, label


def test_the_dashboard_escapes_messages_journal_and_names():
    table = pd.DataFrame({"Apprenant": [HOSTILE], "Message": [HOSTILE], "Remarques": [HOSTILE]})
    shown = html_table(table, "messages") + Notice(HOSTILE)._repr_html_()
    assert HOSTILE not in shown and shown.count(ESCAPED) == 4


def test_a_check_message_escapes_the_learners_value_and_label():
    result = CheckResult(HOSTILE, Status.WRONG, f"Votre réponse : {HOSTILE}.", 0.0, 1.0, hint=HOSTILE)
    shown = result._repr_html_()
    assert HOSTILE not in shown and shown.count(ESCAPED) == 3
