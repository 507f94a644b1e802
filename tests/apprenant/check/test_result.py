"""CheckResult: nbgrader reads the plain-text score, learners read the HTML message."""
from mda_apprenant import CheckResult, Status


def test_plain_text_is_the_score_nbgrader_parses():
    result = CheckResult("TCAM", Status.PARTIAL, "Cause probable : …", 1.5, 2.0)
    assert float(repr(result)) == 1.5


def test_self_check_plain_text_is_not_a_number():
    result = CheckResult("TCAM", Status.FORMAT_OK, "Forme correcte.")
    try:
        float(repr(result))
    except ValueError:
        pass
    else:  # pragma: no cover - a number here would be taken as a grade
        raise AssertionError("a self-check must not look like a score")


def test_html_shows_status_words_score_and_escapes_text():
    html = CheckResult("Parts <de> marché", Status.WRONG, "Votre réponse : 3 & 4.", 0.0, 2.0, "Relisez")._repr_html_()
    assert "incorrect" in html and "0 / 2" in html and "Piste : Relisez" in html
    assert "&lt;de&gt;" in html and "3 &amp; 4" in html


def test_text_form_for_logs_includes_score():
    text = CheckResult("CA", Status.CORRECT, "C'est juste.", 1.0, 1.0).text()
    assert text == "CA : correct. C'est juste. Score : 1 / 1."
