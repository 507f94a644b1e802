"""Carried answers: graded on the learner's own earlier results, so an upstream mistake costs once."""
import pandas as pd

from mda_apprenant import Amount, Carried, Selection, Status, Table
from mda_apprenant.check.expected import Expected, Mistake
from mda_checks.scoring.right_answers import RightAnswer

SCORES = pd.DataFrame({"R": [5, 1, 4]}, index=["C1", "C2", "C3"])


def label(scores: pd.DataFrame) -> pd.Series:
    return scores["R"].map(lambda r: "Actif" if r >= 4 else "Perdu")


def test_an_answer_consistent_with_wrong_earlier_results_gets_full_points():
    wrong_scores = pd.DataFrame({"R": [1, 5, 4]}, index=["C1", "C2", "C3"])  # R not reversed upstream
    answer = Carried(Table("Segments", label(wrong_scores)), scores=wrong_scores)
    assert answer.grade(Expected(label), 2).score == 2


def test_a_wrong_application_of_the_rule_loses_points_cell_by_cell():
    given = pd.Series({"C1": "Actif", "C2": "Actif", "C3": "Actif"})
    result = Carried(Table("Segments", given), scores=SCORES).grade(Expected(label), 3)
    assert result.status is Status.PARTIAL and result.score == 2.0 and "C2" in result.message


def test_mistakes_given_as_functions_are_derived_from_the_same_inputs():
    def reversed_rule(scores):
        return scores["R"].map(lambda r: "Perdu" if r >= 4 else "Actif")

    expected = Expected(label, mistakes=[Mistake(reversed_rule, "la règle est inversée.", "sens_classement")])
    result = Carried(Table("Segments", reversed_rule(SCORES)), scores=SCORES).grade(expected, 2)
    assert result.score == 1.0 and "inversée" in result.message


def test_missing_earlier_result_scores_zero_and_says_which_one():
    result = Carried(Table("Segments", label(SCORES)), scores=...).grade(Expected(label), 2)
    assert result.status is Status.MISSING and result.score == 0 and "scores" in result.message


def test_malformed_earlier_result_scores_zero_without_raising():
    result = Carried(Table("Segments", label(SCORES)), scores="pas un tableau").grade(Expected(label), 2)
    assert result.status is Status.INVALID and result.score == 0


def test_self_check_shows_the_form_of_the_wrapped_answer_only():
    assert Carried(Table("Segments", label(SCORES)), scores=SCORES).precheck().status is Status.FORMAT_OK
    assert Carried(Table("Segments", ...), scores=SCORES).precheck().status is Status.MISSING


WRONG_SCORES = pd.DataFrame({"R": [1, 5, 4]}, index=["C1", "C2", "C3"])


def _with_direct(answer, right_scores=SCORES):
    answer.direct = Expected(label(right_scores))
    return answer


def test_an_answer_recomputed_from_the_data_is_right_whatever_the_earlier_result():
    """A learner whose earlier result is wrong, but who recomputed this one from the data, is right too."""
    answer = _with_direct(Carried(Table("Segments", label(SCORES)), scores=WRONG_SCORES))
    assert answer.grade(Expected(label), 2).score == 2
    # without the grader's right answer, only the learner's own earlier result counts
    assert Carried(Table("Segments", label(SCORES)), scores=WRONG_SCORES).grade(Expected(label), 2).score < 2


def test_the_right_answer_from_the_data_never_rescues_a_wrong_answer():
    wrong = pd.Series({"C1": "Perdu", "C2": "Perdu", "C3": "Perdu"})
    with_direct = _with_direct(Carried(Table("Segments", wrong), scores=WRONG_SCORES)).grade(Expected(label), 3)
    without = Carried(Table("Segments", wrong), scores=WRONG_SCORES).grade(Expected(label), 3)
    assert with_direct.score == without.score == max(
        Table("Segments", wrong).grade(Expected(label(SCORES)), 3).score,
        Table("Segments", wrong).grade(Expected(label(WRONG_SCORES)), 3).score)
    assert with_direct.score < 3


def test_a_missing_earlier_result_still_lets_a_right_answer_count_and_says_why_otherwise():
    right = _with_direct(Carried(Table("Segments", label(SCORES)), scores=...)).grade(Expected(label), 2)
    assert right.score == 2
    wrong = _with_direct(Carried(Table("Segments", pd.Series({"C1": "X", "C2": "X", "C3": "X"})), scores=...))
    result = wrong.grade(Expected(label), 2)
    assert result.score == 0 and result.status is Status.MISSING and "résultat précédent" in result.message


def test_a_carried_choice_hands_its_options_over():
    from mda_apprenant import Choice
    from mda_apprenant.check.handover import payload

    data = payload(Carried(Choice("Canal", "Salon", options=["Salon", "Web"]), taux=0.2))
    assert data["options"] == ["Salon", "Web"] and data["kind"] == "Choice" and "inputs" not in data


def active(scores: pd.DataFrame) -> list[str]:
    return sorted(scores.index[scores["R"] >= 4])


def test_an_empty_list_is_right_where_the_learners_earlier_results_give_nobody():
    """Nobody is active by the learner's own scores: their empty list follows from them (an empty list is no
    answer otherwise); a non-empty one is wrong, and says why."""
    nobody = pd.DataFrame({"R": [1, 2, 3]}, index=["C1", "C2", "C3"])
    assert Carried(Selection("Actifs", []), scores=nobody).grade(Expected(active), 2).score == 2
    empty_elsewhere = Carried(Selection("Actifs", []), scores=SCORES).grade(Expected(active), 2)
    assert empty_elsewhere.score == 0 and "vide" in empty_elsewhere.message
    someone = Carried(Selection("Actifs", ["C1"]), scores=nobody).grade(Expected(active), 2)
    assert someone.score == 0 and someone.status is Status.WRONG and "aucun élément" in someone.message


def test_a_mistake_that_gives_nobody_is_not_matched():
    everyone = Mistake(lambda scores: [], "personne.", "methode")
    result = Carried(Selection("Actifs", ["C2"]), scores=SCORES).grade(Expected(active, mistakes=[everyone]), 2)
    assert result.status is Status.WRONG and result.score == 0 and "Cause probable" not in result.message


def test_an_earlier_result_wrong_for_a_reason_this_answer_does_not_reuse_is_read_as_it_should_be():
    """A margin from the offer and the cost read in the margin rate: a learner whose rate has a wrong formula but
    whose cost is right, and whose effects are wrong, is right from their effects and the right rate."""
    def margin(amount, rate, effects):
        return amount * rate + effects

    right = {"amount": 100.0, "rate": 0.25, "effects": -5.0}
    learner = {"amount": 100.0, "rate": 0.33, "effects": -8.0}  # rate on the cost; refused requests counted
    answer = Carried(Amount("Marge", 100.0 * 0.25 - 8.0), **learner)
    assert answer.grade(Expected(margin), 1).score == 0  # the grader does not know the right results
    answer.direct = RightAnswer(margin(**right), inputs=right)
    assert answer.grade(Expected(margin), 1).score == 1
    assert len(answer.readings()) == 4  # amount is right: only rate and effects are read both ways
    nonsense = Carried(Amount("Marge", 123.0), **learner)
    nonsense.direct = RightAnswer(margin(**right), inputs=right)
    assert nonsense.grade(Expected(margin), 1).score == 0


def _counted(function, calls):
    def counted(**inputs):
        calls.append(function.__name__)
        return function(**inputs)
    counted.__name__ = function.__name__
    return counted


def _reversed_rule(scores):
    return scores["R"].map(lambda r: "Perdu" if r >= 4 else "Actif")


def _everyone_active(scores):
    return scores["R"].map(lambda r: "Actif")


def test_on_the_very_right_results_the_right_answer_already_computed_is_used_and_grades_alike():
    """The grader's right answer (``resolve_carried``) is the reference's functions on the right earlier results:
    an answer carried on those very objects is graded against it without calling the reference again, with the
    grade it gets on equal copies of them, where every value and listed slip is derived again."""
    from mda_checks.scoring.right_answers import resolve_carried

    calls: list[str] = []
    expected = Expected(_counted(label, calls), mistakes=[
        Mistake(_counted(_reversed_rule, calls), "la règle est inversée.", "sens_classement"),
        Mistake(_counted(_everyone_active, calls), "tous actifs.", "methode")])
    right = {"scores": SCORES}
    direct = resolve_carried(expected, right)
    given_values = [label(SCORES), _reversed_rule(SCORES), _everyone_active(SCORES),
                    pd.Series({"C1": "Perdu", "C2": "Perdu", "C3": "Perdu"})]
    for given in given_values:
        calls.clear()
        on_the_very = Carried(Table("Segments", given), **right)
        on_the_very.direct = direct
        very = on_the_very.grade(expected, 2)
        assert calls == []
        on_copies = Carried(Table("Segments", given), scores=SCORES.copy())
        on_copies.direct = direct
        assert on_copies.grade(expected, 2) == very
        assert calls == ["label", "_reversed_rule", "_everyone_active"]


def test_a_right_answer_computed_from_another_expectation_or_other_results_is_never_taken_for_this_one():
    from mda_checks.scoring.right_answers import resolve_carried

    calls: list[str] = []
    expected = Expected(_counted(label, calls))
    other = Expected(_everyone_active)
    right = {"scores": SCORES}
    for direct in (resolve_carried(other, right),                          # another expectation's answer
                   resolve_carried(expected, {"scores": WRONG_SCORES}),    # on other results
                   RightAnswer(label(SCORES), inputs=right)):              # no expectation said
        calls.clear()
        answer = Carried(Table("Segments", label(SCORES)), **right)
        answer.direct = direct
        assert answer.grade(expected, 2).score == 2
        assert calls == ["label"]
