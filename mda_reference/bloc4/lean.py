"""01_lean_flux: lead time, value-added time, PCE, takt time, wastes and the gain of the kaizen actions."""
from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc4.answers import reference
from mda_reference.carried import number
from mda_reference.registry import CaseData

CALENDAR_HOURS = 24


def stream(data: CaseData):
    return data("flux_revision.csv")


def working_day(data: CaseData) -> float:
    return data.parameter("heures_ouvrees_par_jour")


def lead_hours(data: CaseData) -> float:
    return float(stream(data)["duree_h"].sum())


def value_added_hours(data: CaseData) -> float:
    frame = stream(data)
    return float(frame.loc[frame["categorie"] == "valeur ajoutée", "duree_h"].sum())


def kaizen_saving_hours(data: CaseData) -> float:
    actions = data("chantiers_kaizen.csv").merge(stream(data), on="activite_no")
    return float((actions["duree_h"] * actions["reduction"]).sum())


def process_cycle_efficiency(value_added: float, lead_days: float, hours_per_day: float) -> float:
    """PCE = value-added time / lead time, both in hours; the basis is the hours counted per day."""
    return value_added / (lead_days * hours_per_day)


def takt_time(available_min_per_day: float, days: float, demand: float) -> float:
    """Takt time = available time / customer demand (minutes per unit)."""
    return available_min_per_day * days / demand


@reference.answer("lead_time_jours")
def lead_time(data: CaseData) -> Expected:
    frame = stream(data)
    return Expected(
        lead_hours(data) / working_day(data),
        mistakes=[
            Mistake(lead_hours(data) / CALENDAR_HOURS,
                    "vous avez compté des jours de 24 h ; le délai se compte en jours ouvrés de 8 h.", "decompte"),
            Mistake(frame.loc[frame["nature"] == "traitement", "duree_h"].sum() / working_day(data),
                    "les attentes ont été oubliées : le lead time va de la demande à la facturation, attentes comprises.",
                    "methode"),
        ],
        hint="Lead time = somme de toutes les durées du flux (traitements et attentes), convertie en jours ouvrés.",
    )


@reference.answer("temps_va_heures")
def value_added(data: CaseData) -> Expected:
    frame = stream(data)
    needed = frame["categorie"].isin(["valeur ajoutée", "nécessaire sans valeur ajoutée"])
    return Expected(
        value_added_hours(data),
        mistakes=[Mistake(float(frame.loc[needed, "duree_h"].sum()),
                          "les activités nécessaires sans valeur ajoutée ont été comptées comme de la valeur ajoutée.",
                          "methode")],
    )


@reference.answer("pce")
def pce(data: CaseData) -> Expected:
    """Carried: the learner's own value-added time over their own lead time, in working hours."""
    hours_per_day = working_day(data)

    def working_hours(temps_va_heures, lead_time_jours):
        return process_cycle_efficiency(number(temps_va_heures), number(lead_time_jours), hours_per_day)

    def calendar_hours(temps_va_heures, lead_time_jours):
        return process_cycle_efficiency(number(temps_va_heures), number(lead_time_jours), CALENDAR_HOURS)

    def inverted(temps_va_heures, lead_time_jours):
        return number(lead_time_jours) / number(temps_va_heures)

    return Expected(
        working_hours,
        mistakes=[
            Mistake(calendar_hours,
                    "le lead time a été converti en heures calendaires (24 h par jour) au lieu d'heures ouvrées "
                    "(8 h par jour).", "decompte"),
            Mistake(inverted, "le rapport est inversé : PCE = temps à valeur ajoutée / lead time.", "methode"),
        ],
        hint="PCE = temps à valeur ajoutée (h) / lead time (h ouvrées).",
    )


@reference.answer("takt_time_min")
def takt(data: CaseData) -> Expected:
    orders = data("ordres_travail_2025.csv")
    demand = int((orders["prestation"] == "Révision").sum())
    days = data.parameter("jours_ouvres_2025")
    opening = working_day(data) * 60
    available = opening - data.parameter("pauses_min_par_jour")
    return Expected(
        takt_time(available, days, demand),
        mistakes=[
            Mistake(takt_time(opening, days, demand),
                    "les pauses n'ont pas été retirées du temps d'ouverture : le takt se calcule sur le temps disponible.",
                    "methode"),
            Mistake(takt_time(available, days, len(orders)),
                    "la demande retenue est celle de toutes les prestations, pas celle des révisions.", "methode"),
        ],
        hint="Takt time = temps disponible sur l'année (min) / nombre de révisions demandées.",
    )


@reference.answer("gaspillages_par_type")
def wastes(data: CaseData) -> Expected:
    frame = stream(data)
    waste = frame[frame["categorie"] == "gaspillage"]
    by_type = waste.groupby("type_gaspillage")["duree_h"]
    return Expected(by_type.sum(), mistakes=[
        Mistake(by_type.size().astype(float), "c'est le nombre d'activités de chaque type ; additionnez leurs durées "
                                              "(en heures).", "methode"),
        Mistake(by_type.mean(), "c'est la durée moyenne d'une activité de chaque type ; additionnez les durées.",
                "methode")],
                    hint="Filtrez les activités de catégorie « gaspillage », puis additionnez les durées par type.")


@reference.answer("gain_lead_time_jours")
def kaizen_gain(data: CaseData) -> Expected:
    saving = kaizen_saving_hours(data)
    return Expected(
        saving / working_day(data),
        mistakes=[Mistake(saving / CALENDAR_HOURS,
                          "vous avez compté des jours de 24 h ; le gain se compte en jours ouvrés de 8 h.", "decompte")],
        hint="Gain (h) = somme des durées × réduction prévue des activités visées ; puis conversion en jours ouvrés.",
    )


@reference.answer("pce_apres")
def pce_after(data: CaseData) -> Expected:
    """Carried: the learner's own value-added time over their own lead time less their own kaizen gain."""
    hours_per_day = working_day(data)

    def after(temps_va_heures, lead_time_jours, gain_lead_time_jours, hours=hours_per_day):
        days = number(lead_time_jours) - number(gain_lead_time_jours)
        return process_cycle_efficiency(number(temps_va_heures), days, hours)

    def working_hours(temps_va_heures, lead_time_jours, gain_lead_time_jours):
        return after(temps_va_heures, lead_time_jours, gain_lead_time_jours)

    def calendar_hours(temps_va_heures, lead_time_jours, gain_lead_time_jours):
        return after(temps_va_heures, lead_time_jours, gain_lead_time_jours, CALENDAR_HOURS)

    return Expected(
        working_hours,
        mistakes=[Mistake(calendar_hours, "le lead time a été converti en heures calendaires (24 h par jour).",
                          "decompte")],
    )
