"""03_plan_action: the PAC's costs (HT), their split by channel and quarter, ROI per action."""
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc1.answers import reference
from mda_reference.carried import numbers_of
from mda_reference.registry import CaseData


def actions(data: CaseData) -> pd.DataFrame:
    frame = data("actions_pac.csv")
    frame["cout_ht_eur"] = frame["cout_ttc_eur"] / (1 + data.parameter("taux_tva"))
    return frame


TTC = "les montants sont restés TTC : le budget se construit HT (TTC / 1,20)."


@reference.answer("cout_pac_ht")
def pac_cost(data: CaseData) -> Expected:
    frame = actions(data)
    return Expected(frame["cout_ht_eur"].sum(), mistakes=[Mistake(frame["cout_ttc_eur"].sum(), TTC, "ht_ttc")])


@reference.answer("cout_par_canal")
def cost_by_channel(data: CaseData) -> Expected:
    frame = actions(data)
    return Expected(frame.groupby("canal")["cout_ht_eur"].sum(),
                    mistakes=[Mistake(frame.groupby("canal")["cout_ttc_eur"].sum(), TTC, "ht_ttc")])


@reference.answer("cout_par_trimestre")
def cost_by_quarter(data: CaseData) -> Expected:
    frame = actions(data)
    return Expected(frame.groupby("trimestre")["cout_ht_eur"].sum(),
                    mistakes=[Mistake(frame.groupby("trimestre")["cout_ttc_eur"].sum(), TTC, "ht_ttc")])


def roi(data: CaseData, cost: str = "cout_ht_eur", on_margin: bool = True, on_gain: bool = False) -> pd.Series:
    frame = actions(data).set_index("action_id")
    gain = frame["ca_attendu_ht_eur"] * (data.parameter("taux_mcv_actions") if on_margin else 1.0)
    return (gain - frame[cost]) / (gain if on_gain else frame[cost])


@reference.answer("roi_actions")
def roi_by_action(data: CaseData) -> Expected:
    return Expected(roi(data), mistakes=[
        Mistake(roi(data, on_margin=False),
                "le gain retenu est le chiffre d'affaires : le ROI se calcule sur la marge (CA × taux de MCV).", "methode"),
        Mistake(roi(data, cost="cout_ttc_eur"), TTC, "ht_ttc"),
        Mistake(roi(data, on_gain=True), "le gain net est rapporté à la marge attendue ; le ROI le rapporte au coût "
                                         "de l'action.", "methode"),
    ])


@reference.answer("action_a_couper")
def action_to_cut(data: CaseData) -> Expected:
    """Carried: the action with the lowest of the learner's own ROIs."""
    def lowest(roi_actions):
        return numbers_of(roi_actions).idxmin()

    return Expected(lowest, hint="Coupez l'action dont le ROI est le plus faible.")
