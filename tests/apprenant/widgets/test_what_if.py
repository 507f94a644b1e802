"""The what-if tools: they react to their controls, start from the learner's own results, say in
French what is missing, carry a static chart for nbconvert, and run quietly in a headless kernel."""
from __future__ import annotations

import base64
import math
import warnings

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook

from mda_apprenant.widgets import break_even_explorer, risk_explorer
from mda_apprenant.widgets.break_even import (BreakEvenExplorer, BreakEvenScenario, computed, learner_answers,
                                           scenario_from_budget)
from mda_apprenant.widgets.common import WIDGET_VIEW, Unavailable, WhatIfDisplay
from mda_apprenant.widgets.risk_matrix import RiskExplorer, read_risks, read_zones, zone_of
from tests.conftest import COURSE

PNG = b"\x89PNG\r\n\x1a\n"
BLOC1_DATA = COURSE.source / "bloc1" / "data"
BLOC4_DATA = COURSE.source / "bloc4" / "data"


def _summary(ca=6_000_000.0, cv=3_000_000.0, cf=2_400_000.0, autres=100_000.0) -> pd.Series:
    """A learner's budget summary (question 1): made-up numbers, not the case's."""
    return pd.Series({"Chiffre d'affaires": ca, "Charges variables": cv, "Marge sur coûts variables": ca - cv,
                      "Charges fixes": cf, "Autres produits": autres, "Résultat prévisionnel": ca - cv - cf + autres})


#: the learner's answers to questions 2 and 4 that match `_summary()` (SR = 2 300 000 / 0.5)
RIGHT_ANSWERS = {"taux_mcv": 0.5, "seuil_rentabilite": 4_600_000.0, "seuil_quantite": 2_300,
                 "marge_securite": 1_400_000.0, "indice_securite": 1_400_000 / 6_000_000}
#: a learner who forgot to deduct the other income (gross fixed costs): a wrong SR, carried to question 4
WRONG_ANSWERS = {"taux_mcv": 0.5, "seuil_rentabilite": 4_800_000.0, "seuil_quantite": 2_400,
                 "marge_securite": 1_200_000.0, "indice_securite": 0.2}


def _explorer(summary=None, price=2_000, answers=None) -> BreakEvenExplorer:
    summary = _summary() if summary is None else summary
    return BreakEvenExplorer(scenario_from_budget(summary, prix_moyen=price),
                             learner_answers(summary, **(answers or RIGHT_ANSWERS)))


def _matrix(registre: pd.DataFrame, zones: pd.DataFrame) -> pd.DataFrame:
    """A learner's risk matrix (question 5), computed here as the notebook's conventions say."""
    criticite = registre["probabilite"] * registre["gravite"]
    zone = pd.cut(criticite, bins=[0] + zones["criticite_max"].tolist(), labels=zones["zone"].tolist()).astype(str)
    return pd.DataFrame({"criticite": criticite.values, "zone": zone.values}, index=registre["risque_id"])


def _case_risks():
    registre, zones = pd.read_csv(BLOC4_DATA / "registre_risques.csv"), pd.read_csv(BLOC4_DATA / "zones_criticite.csv")
    return registre, zones, _matrix(registre, zones)


def assert_break_even(scenario: BreakEvenScenario, *, threshold: float, quantity: int, result: float) -> None:
    """The scenario's break-even point and result, as the notebook's conventions state them."""
    assert scenario.break_even_value == pytest.approx(threshold, rel=1e-9)
    assert scenario.break_even_quantity == quantity
    assert scenario.result == pytest.approx(result, rel=1e-9)


# --- break-even: computation --------------------------------------------------------------------

def test_the_start_is_the_learners_own_summary_and_follows_the_notebooks_conventions():
    start = scenario_from_budget(_summary(), prix_moyen=2_000)
    assert start.volume == pytest.approx(3_000)           # CA / prix moyen
    assert start.unit_variable_cost == pytest.approx(1_000)
    assert start.margin_rate == pytest.approx(0.5)
    # SR = charges fixes nettes / taux de MCV ; en quantité : arrondi à l'unité supérieure
    assert_break_even(start, threshold=(2_400_000 - 100_000) / 0.5, quantity=2_300, result=700_000)
    assert start.safety_margin == pytest.approx(6_000_000 - 4_600_000)


def test_a_wrong_expectation_fails():
    """The checks above can fail: the same scenario against numbers that are not its own."""
    start = scenario_from_budget(_summary(), prix_moyen=2_000)
    with pytest.raises(AssertionError):
        assert_break_even(start, threshold=2_400_000 / 0.5, quantity=2_300, result=700_000)  # gross fixed costs
    with pytest.raises(AssertionError):
        assert_break_even(start, threshold=4_600_000, quantity=2_299, result=700_000)  # rounded down


@pytest.mark.parametrize("name, value, threshold, quantity, result", [
    ("price", 2_500, 2_300_000 / 0.6, math.ceil(2_300_000 / 1_500), 3_000 * 1_500 - 2_300_000),
    ("volume", 3_500, 4_600_000, 2_300, 3_500 * 1_000 - 2_300_000),
    ("unit_variable_cost", 1_200, 2_300_000 / 0.4, math.ceil(2_300_000 / 800), 3_000 * 800 - 2_300_000),
    ("fixed_costs", 2_000_000, 1_900_000 / 0.5, 1_900, 3_000 * 1_000 - 1_900_000),
])
def test_each_slider_moves_the_threshold_the_result_and_the_chart(name, value, threshold, quantity, result):
    explorer = _explorer()
    text, chart = explorer.result.value, explorer.chart.value
    explorer.sliders[name].value = value
    assert_break_even(explorer.scenario, threshold=threshold, quantity=quantity, result=result)
    assert explorer.result.value != text and bytes(explorer.chart.value) != bytes(chart) and bytes(explorer.chart.value).startswith(PNG)
    assert "écart avec le départ" in explorer.result.value
    explorer.reset.click()
    assert explorer.scenario == explorer.start and explorer.result.value == text


def test_the_result_is_written_in_french():
    explorer = _explorer()
    text = explorer.result.value
    assert "Seuil de rentabilité : 4\u202f600\u202f000 €, soit 2\u202f300 vélos" in text
    assert "Résultat prévisionnel : 700\u202f000 €" in text and "taux de marge sur coûts variables : 50 %" in text
    assert "Au départ : vos réponses" in text
    assert explorer.readouts["price"].value == "2\u202f000 €"
    assert explorer.readouts["volume"].value == "3\u202f000 vélos"
    explorer.sliders["fixed_costs"].value = 2_500_000
    assert "écart avec le départ : −100\u202f000 €" in explorer.result.value


def test_the_start_displays_the_learners_own_wrong_answers_not_the_right_ones():
    """A learner whose SR is wrong (gross fixed costs) sees their own SR, margin and index at the start,
    never the right ones the tool could work out from their (right) budget summary."""
    shown = break_even_explorer(_summary(), prix_moyen=2_000, **WRONG_ANSWERS)
    assert isinstance(shown, WhatIfDisplay)
    text = shown.summary
    assert "Seuil de rentabilité : 4\u202f800\u202f000 €, soit 2\u202f400 vélos" in text
    assert "Marge de sécurité : 1\u202f200\u202f000 € ; indice de sécurité : 20 %" in text
    for right in ("4\u202f600\u202f000", "2\u202f300 vélos", "1\u202f400\u202f000", "23,3 %"):
        assert right not in text, right
    explorer = _explorer(answers=WRONG_ANSWERS)
    assert "4\u202f800\u202f000 €" in explorer.result.value and "4\u202f600\u202f000" not in explorer.result.value
    assert explorer.shown == learner_answers(_summary(), **WRONG_ANSWERS)
    # a percentage instead of a decimal is shown as typed: 5 000 %, not corrected to 50 %
    percent = break_even_explorer(_summary(), prix_moyen=2_000, **{**WRONG_ANSWERS, "taux_mcv": 50})
    assert "taux de marge sur coûts variables : 5\u202f000 %" in percent.summary


def test_a_moved_slider_applies_the_notebooks_formulas_to_the_learners_summary_and_back():
    explorer = _explorer(answers=WRONG_ANSWERS)
    start_text = explorer.result.value
    explorer.sliders["fixed_costs"].value = 2_200_000
    assert explorer.shown == computed(explorer.scenario)
    # (2,2 M − 0,1 M) / 0,5, from the learner's summary; the result compared with the learner's own
    assert "Seuil de rentabilité : 4\u202f200\u202f000 €, soit 2\u202f100 vélos" in explorer.result.value
    assert "écart avec le départ : +200\u202f000 €" in explorer.result.value
    assert "formules du carnet" in explorer.result.value
    explorer.sliders["fixed_costs"].value = explorer.start.fixed_costs  # moved back by hand: their answers again
    assert explorer.result.value == start_text


def test_a_price_under_the_unit_cost_has_no_threshold_and_says_so():
    explorer = _explorer()
    explorer.sliders["unit_variable_cost"].value = explorer.sliders["unit_variable_cost"].max
    explorer.sliders["price"].value = explorer.sliders["price"].min
    assert explorer.scenario.break_even_value is None
    assert "Pas de seuil de rentabilité" in explorer.result.value
    assert bytes(explorer.chart.value).startswith(PNG)


def test_sliders_start_on_their_grid_at_the_learners_values():
    """The browser snaps a slider to its steps: the starting value must be on them."""
    explorer = _explorer(_summary(ca=5_833_400, cv=3_266_704), price=2_450)
    for name, slider in explorer.sliders.items():
        assert slider.min >= 0 and slider.min < slider.value < slider.max, name
        steps = (slider.value - slider.min) / slider.step
        assert steps == pytest.approx(round(steps)), name
        assert slider.value == pytest.approx(getattr(explorer.start, name)), name


# --- break-even: missing or unusable learner values -----------------------------------------------

@pytest.mark.parametrize("missing, questions", [
    (["synthese_budget"], "à la question 1"),
    (["seuil_rentabilite"], "à la question 2"),
    (["indice_securite"], "à la question 4"),
    (["taux_mcv", "marge_securite"], "aux questions 2 et 4"),
    (["synthese_budget", "seuil_quantite", "indice_securite"], "aux questions 1, 2 et 4"),
])
def test_the_tool_refuses_to_start_until_every_answer_it_could_display_is_given(missing, questions):
    """An unanswered question (`...`) whose answer the tool could display: no tool, no number, the
    questions to answer first."""
    given = {"synthese_budget": _summary(), **RIGHT_ANSWERS, **{name: ... for name in missing}}
    shown = break_even_explorer(given.pop("synthese_budget"), prix_moyen=2_000, **given)
    assert isinstance(shown, Unavailable)
    bundle = shown._repr_mimebundle_()
    assert f"Répondez d'abord {questions} : le simulateur part de vos réponses." in bundle["text/plain"]
    for name in missing:
        assert f"« {name} »" in bundle["text/plain"] and f"<code>{name}</code>" in bundle["text/html"]
    assert WIDGET_VIEW not in bundle and "image/png" not in bundle
    assert not any(c.isdigit() for c in bundle["text/plain"].split("part de vos réponses.")[1]
                   .replace("question 1", "").replace("question 2", "").replace("question 4", ""))


def test_an_answer_left_as_none_counts_as_unanswered():
    shown = break_even_explorer(_summary(), prix_moyen=2_000, **{**RIGHT_ANSWERS, "seuil_quantite": None})
    assert isinstance(shown, Unavailable) and "Répondez d'abord à la question 2" in shown.text()
    with pytest.raises(AssertionError):  # the check can fail: the same call with every answer starts the tool
        assert isinstance(break_even_explorer(_summary(), prix_moyen=2_000, **RIGHT_ANSWERS), Unavailable)


@pytest.mark.parametrize("summary, price, answers, says", [
    (12.5, 2_000, {}, "« synthese_budget » doit être une Series"),
    (_summary().drop("Charges fixes"), 2_000, {}, "La ligne « Charges fixes » manque dans « synthese_budget »"),
    (_summary().drop("Résultat prévisionnel"), 2_000, {},
     "La ligne « Résultat prévisionnel » manque dans « synthese_budget »"),
    (_summary().astype(object).replace({2_400_000.0: "2,4 M€"}), 2_000, {},
     "La ligne « Charges fixes » de « synthese_budget » n'est pas un nombre"),
    (_summary().replace({3_000_000.0: float("nan")}), 2_000, {}, "n'est pas un nombre fini"),
    (_summary(ca=0.0), 2_000, {}, "Le chiffre d'affaires de « synthese_budget » doit être positif"),
    (_summary(), "2000", {}, "Le prix moyen de vente HT n'est pas un nombre"),
    (_summary(), 2_000, {"seuil_rentabilite": "4,6 M€"}, "« seuil_rentabilite » (question 2) n'est pas un nombre"),
])
def test_a_missing_learner_value_gives_a_french_message_not_a_traceback(summary, price, answers, says):
    shown = break_even_explorer(summary, prix_moyen=price, **{**RIGHT_ANSWERS, **answers})
    assert isinstance(shown, Unavailable)
    bundle = shown._repr_mimebundle_()
    assert says in bundle["text/plain"] and "Simulateur du seuil de rentabilité indisponible" in bundle["text/plain"]
    assert "questions 1, 2 et 4" in bundle["text/html"] and WIDGET_VIEW not in bundle
    assert "Traceback" not in bundle["text/plain"]
    assert "`" not in bundle["text/plain"] + bundle["text/html"]   # no raw Markdown mark shown to the learner


# --- risk matrix ----------------------------------------------------------------------------------

def test_the_risk_moves_across_the_zones_of_the_case_with_its_sliders():
    registre, zones, mine = _case_risks()
    explorer = RiskExplorer(read_risks(registre, mine), read_zones(zones))
    first = registre.iloc[0]
    assert explorer.choice.value == first["risque_id"]
    assert (explorer.probability.value, explorer.impact.value) == (first["probabilite"], first["gravite"])
    before_text, before_chart = explorer.result.value, explorer.chart.value
    assert "Position simulée" not in before_text  # the start: the learner's matrix only
    explorer.probability.value, explorer.impact.value = 1, 1
    assert "probabilité 1 × gravité 1 = criticité 1, zone « acceptable »" in explorer.result.value
    assert bytes(explorer.chart.value) != bytes(before_chart) and bytes(explorer.chart.value).startswith(PNG)
    explorer.probability.value, explorer.impact.value = 4, 5
    assert "criticité 20, zone « inacceptable » : traitement immédiat" in explorer.result.value
    explorer.reset.click()
    assert explorer.result.value == before_text
    explorer.choice.value = "R08"
    r08 = registre.set_index("risque_id").loc["R08"]
    assert (explorer.probability.value, explorer.impact.value) == (r08["probabilite"], r08["gravite"])
    assert "R08" in explorer.result.value


def test_zones_come_from_the_case_table_bounds_included():
    zones = read_zones(pd.DataFrame({"zone": ["basse", "haute"], "criticite_min": [1, 7], "criticite_max": [6, 20],
                                     "conduite_a_tenir": ["rien", "agir"]}))
    assert zone_of(6, zones).name == "basse" and zone_of(7, zones).name == "haute"
    with pytest.raises(AssertionError):  # a wrong expectation fails: 6 is in the lower zone, bound included
        assert zone_of(6, zones).name == "haute"
    registre, _, mine = _case_risks()
    explorer = RiskExplorer(read_risks(registre, mine), zones)
    explorer.probability.value, explorer.impact.value = 2, 3
    assert "criticité 6, zone « basse » : rien" in explorer.result.value


def test_the_start_is_the_learners_own_matrix():
    """The starting criticality and zone shown are the learner's, even when they differ from the rules."""
    registre, zones, mine = _case_risks()
    mine = mine.copy()
    mine.loc["R01", ["criticite", "zone"]] = [7, "ma zone"]
    explorer = RiskExplorer(read_risks(registre, mine), read_zones(zones))
    r01 = registre.set_index("risque_id").loc["R01"]  # the case's assessment (it varies with the variant)
    probability, impact = int(r01["probabilite"]), int(r01["gravite"])
    assert (f"Au départ (votre matrice, question 5) : probabilité {probability}, gravité {impact}, criticité 7, "
            "zone « ma zone »") in explorer.result.value
    # the rules would give probability × severity and its zone: neither is shown at the start, in the widget or
    # its static copy
    rule = probability * impact
    assert rule != 7
    shown = risk_explorer(registre, zones, mine)
    for text in (explorer.result.value, shown.summary):
        assert f"criticité {rule}" not in text and f"« {zone_of(rule, read_zones(zones)).name} »" not in text
        assert "Position simulée" not in text
    assert "criticité 7, zone « ma zone »" in shown.summary
    only_two = RiskExplorer(read_risks(registre, mine.loc[["R05", "R02"]]), read_zones(zones))
    assert [value for _, value in only_two.choice.options] == ["R02", "R05"]  # the register's order


def _with(matrix: pd.DataFrame, risk: str, column: str, value) -> pd.DataFrame:
    changed = matrix.copy().astype({column: object})
    changed.loc[risk, column] = value
    return changed


@pytest.mark.parametrize("change", [
    lambda mine: ...,
    lambda mine: None,
    lambda mine: _with(mine, "R03", "zone", ""),
    lambda mine: _with(mine, "R03", "zone", None),
    lambda mine: _with(mine, "R03", "criticite", ...),
], ids=["matrice-vide", "none", "zone-vide", "zone-absente", "criticite-absente"])
def test_the_risk_tool_refuses_to_start_until_question_5_is_answered(change):
    registre, zones, mine = _case_risks()
    shown = risk_explorer(registre, zones, change(mine))
    assert isinstance(shown, Unavailable)
    assert "Répondez d'abord à la question 5 : le simulateur part de vos réponses." in shown.text()
    assert "zone «" not in shown.text() and "image/png" not in shown._repr_mimebundle_()
    if change(mine) is not ... and change(mine) is not None:
        assert "R03" in shown.text()


@pytest.mark.parametrize("matrix, says", [
    (pd.Series([1, 2]), "« matrice_criticite » doit être un DataFrame"),
    (pd.DataFrame({"criticite": [1]}, index=["R01"]), "avec les colonnes « criticite » et « zone »"),
    (pd.DataFrame({"criticite": [1], "zone": ["x"]}, index=["Z99"]), "Aucun risque du registre"),
])
def test_a_missing_risk_matrix_gives_a_french_message(matrix, says):
    registre, zones, _ = _case_risks()
    shown = risk_explorer(registre, zones, matrix)
    assert isinstance(shown, Unavailable) and says in shown.text()
    assert "Simulateur de la matrice des risques indisponible" in shown.text()


# --- static fallback -----------------------------------------------------------------------------

def _displays():
    registre, zones, mine = _case_risks()
    return [break_even_explorer(_summary(), prix_moyen=2_000, **RIGHT_ANSWERS), risk_explorer(registre, zones, mine)]


@pytest.mark.parametrize("index", [0, 1], ids=["seuil", "risques"])
def test_the_display_carries_the_live_widget_and_a_static_chart(index):
    shown = _displays()[index]
    assert isinstance(shown, WhatIfDisplay)
    bundle, metadata = shown._repr_mimebundle_()
    assert set(bundle) == {WIDGET_VIEW, "image/png", "text/plain"}
    assert metadata["image/png"]["alt"].startswith("Simulateur") and "outil non noté" in metadata["image/png"]["alt"]
    assert base64.b64decode(bundle["image/png"]).startswith(PNG)
    assert bundle[WIDGET_VIEW]["model_id"] == shown.widget.model_id
    assert "outil non noté" in bundle["text/plain"]


@pytest.mark.parametrize("template", ["classic", "lab"])
@pytest.mark.parametrize("index", [0, 1], ids=["seuil", "risques"])
def test_nbconvert_shows_the_static_chart_in_place_of_the_widget(index, template):
    """As in a feedback page (classic template, sanitized) or any HTML export (lab template), without a
    saved widget state: the chart is there, no empty widget."""
    bundle, metadata = _displays()[index]._repr_mimebundle_()
    notebook = new_notebook(cells=[new_code_cell("simulateur", outputs=[nbformat.v4.new_output(
        "display_data", data=bundle, metadata=metadata)])])
    exporter = HTMLExporter(sanitize_html=True, template_name=template)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        body, _ = exporter.from_notebook_node(notebook)
    assert f'src="data:image/png;base64,{bundle["image/png"][:40]}' in body
    assert "widget-view+json" not in body and "Loading widget" not in body
    if template == "classic":  # the feedback pages' template: the chart's French text alternative
        assert 'alt="Simulateur' in body and "No description" not in body


# --- in a kernel without a frontend (grading) ------------------------------------------------------

SETUP_BLOC1 = f"""
import pandas as pd
budget = pd.read_csv({str(BLOC1_DATA / "budget_2026.csv")!r})
hypotheses = pd.read_csv({str(BLOC1_DATA / "hypotheses_2026.csv")!r}).set_index("parametre")["valeur"]
par_nature = budget.groupby("nature")["montant_eur"].sum()
synthese_budget = pd.Series({{"Chiffre d'affaires": par_nature["chiffre d'affaires"],
    "Charges variables": par_nature["variable"], "Charges fixes": par_nature["fixe"],
    "Autres produits": par_nature["autre produit"], "Résultat prévisionnel": 1.0}})
taux_mcv, seuil_rentabilite, seuil_quantite, marge_securite, indice_securite = 0.3, 1.0, 1, 1.0, 0.1
"""
SETUP_BLOC4 = f"""
import pandas as pd
registre = pd.read_csv({str(BLOC4_DATA / "registre_risques.csv")!r})
zones = pd.read_csv({str(BLOC4_DATA / "zones_criticite.csv")!r})
registre["criticite"] = registre["probabilite"] * registre["gravite"]
registre["zone"] = pd.cut(registre["criticite"], bins=[0] + zones["criticite_max"].tolist(),
                          labels=zones["zone"].tolist()).astype(str)
matrice_criticite = registre.set_index("risque_id")[["criticite", "zone"]]
"""
CALL_BLOC1 = ('from mda_apprenant.widgets import break_even_explorer\n\n'
              'break_even_explorer(synthese_budget, prix_moyen=hypotheses["prix_moyen_vae_ht_2026"],\n'
              '                    taux_mcv=taux_mcv, seuil_rentabilite=seuil_rentabilite, seuil_quantite=seuil_quantite,\n'
              '                    marge_securite=marge_securite, indice_securite=indice_securite)')
CALL_BLOC4 = "from mda_apprenant.widgets import risk_explorer\n\nrisk_explorer(registre, zones, matrice_criticite)"


def test_the_widget_cells_run_in_a_headless_kernel_quietly_and_fast():
    """The grading kernel has no frontend: no error, nothing on stderr (not even a warning), a static chart."""
    notebook = new_notebook(cells=[
        new_code_cell("import warnings\nwarnings.simplefilter('default')"),  # show any warning, as a learner would
        new_code_cell(SETUP_BLOC1), new_code_cell(CALL_BLOC1),
        new_code_cell("seuil_rentabilite = ..."), new_code_cell(CALL_BLOC1),
        new_code_cell(SETUP_BLOC4), new_code_cell(CALL_BLOC4),
        new_code_cell("matrice_criticite = ..."), new_code_cell(CALL_BLOC4),
    ])
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    for cell in notebook.cells:
        assert not [o for o in cell.outputs if o.output_type in ("error", "stream")], (cell.source, cell.outputs)
    live = [notebook.cells[2], notebook.cells[6]]
    for cell in live:
        (output,) = cell.outputs
        assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(output.data)
    assert "Seuil de rentabilité" in live[0].outputs[0].data["text/plain"]
    missing = [notebook.cells[4], notebook.cells[8]]
    assert "Simulateur du seuil de rentabilité indisponible" in missing[0].outputs[0].data["text/plain"]
    assert "Répondez d'abord à la question 2" in missing[0].outputs[0].data["text/plain"]
    assert "Simulateur de la matrice des risques indisponible" in missing[1].outputs[0].data["text/plain"]
