"""What a statement says about the case data holds for every variant the generator draws, and a
statement quotes the case's numbers through parameters (« {{name}} ») that each copy renders."""
import copy
import re
from functools import cache

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook
from nbgrader.utils import compute_checksum

from mda_checks.assign.bareme_cells import NotebookBareme
from mda_checks.assign.statements import (
    case_parameters,
    folder_parameters,
    master_templates,
    placeholders,
    read_frames,
    render,
    render_copy,
)
from mda_checks.casedata import GENERATORS, bloc1, generate_case
from mda_checks.notebook import build, cells
from tests.conftest import COURSE, cases


@pytest.mark.parametrize("seed", range(cases(40)))
def test_bloc1_pac_budget_line_is_an_envelope_above_the_plans_cost(seed):
    """Bloc 1 notebook 4: the PAC line is the case's envelope (a round figure the statement quotes), above
    notebook 3's HT cost of the actions, as the statement says."""
    frames = bloc1.generate(seed)
    budget = frames["budget_2026.csv"].set_index("poste")["montant_eur"]
    vat = frames["hypotheses_2026.csv"].set_index("parametre")["valeur"]["taux_tva"]
    plan_cost = (frames["actions_pac.csv"]["cout_ttc_eur"] / (1 + vat)).sum()
    envelope = budget["Budget marketing et commercial (PAC)"]
    assert envelope % 5_000 == 0 and plan_cost < envelope
    assert re.sub(r"\D", "", bloc1.statement_parameters(frames)["budget_pac_ht"]) == str(int(envelope))


# -- statements that quote the case's parameters (« {{name}} » in a master) -----------------------

BLOCS = sorted(GENERATORS)
#: five seeds besides the committed data, as five learners' variants
OTHER_SEEDS = (1, 2, 3, 4, 7)
#: the seeds of the rendered copies (test c)
COPY_SEEDS = (7, 1, 3)
#: numbers a statement writes that are no parameter of the case, whatever a parameter may be equal to:
#: a quintile is 20 % of the clients; Veloxia Pro's quote is 12 % below (the client's words, in both languages);
#: examples of a rate written as a decimal (one in a statement, one in the barème's conventions); in bloc 2's model
#: answers, the learner's own figures (a share of clients, a minimum order, targets they set) and the VAT
CONSTANT_PHRASES = ("20 % des clients", "20 % de clients", "12 % moins cher", "12 % less", "0.20 pour 20 % de plus",
                    "0.25 pour 25 %", "environ 15 % des clients", "minimum de commande de 500 €", "+10 % de CA",
                    "30 % de seconds achats", "TVA à 20 %")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


@cache
def default_parameters(bloc: int) -> dict[str, str]:
    """What the common copy quotes: the committed data of source/<bloc>/data."""
    return folder_parameters(f"bloc{bloc}", COURSE.source / f"bloc{bloc}" / "data")


@cache
def seed_parameters(bloc: int, seed: int) -> dict[str, str]:
    return case_parameters(f"bloc{bloc}", generate_case(bloc, seed))


def varying_parameters(bloc: int) -> dict[str, set[str]]:
    """Parameter -> its values over the committed data and the other seeds, for those that vary."""
    values: dict[str, set[str]] = {}
    for parameters in [default_parameters(bloc), *(seed_parameters(bloc, s) for s in OTHER_SEEDS)]:
        for name, value in parameters.items():
            values.setdefault(name, set()).add(value)
    return {name: found for name, found in values.items() if len(found) > 1}


def masters(bloc: int) -> dict[str, nbformat.NotebookNode]:
    return COURSE.read_source(f"bloc{bloc}")


def _quotes(text: str, value: str) -> bool:
    """Does `text` write `value` as a whole number (« 70 € », not the end of « 170 € » or « 1 070 € »)?"""
    return bool(re.search(r"(?<![\d,.])(?<!\d[ \u202f\u00a0])" + re.escape(value) + r"(?!\d)", text))


def _plain(text: str) -> str:
    """Spaces of any kind as one space, the typographic minus as a hyphen: how a literal may be typed."""
    return SPACES.sub(" ", text).replace("\u2212", "-")


def literal_forms(value: str, followers: set[str] = frozenset()) -> set[str]:
    """The ways a statement may write a parameter's value by hand: as formatted, its number with the first
    word of its unit (« 7 jours » for « 7 jours ouvrés »), and a rate as a decimal (« 0,51 » for « 51 % »).

    A bare whole number (« 4 ») is only looked for with a word the masters write after its placeholder
    (`followers`: « 4 vélos » for « {{lumen_quantite_vae_cargo}} vélos cargo »): alone, it is any number."""
    value = _plain(value)
    if re.fullmatch(r"-?\d{1,3}", value):
        return {f"{value} {word}" for word in followers}
    forms = {value}
    number = re.match(r"^-?\d{1,3}(?: \d{3})*(?:,\d+)?", value)
    if number and value != number.group(0):
        rest = value[number.end():].split()
        if rest:
            forms.add(f"{number.group(0)} {rest[0]}")
        if rest == ["%"]:
            decimal = float(number.group(0).replace(" ", "").replace(",", ".")) / 100
            forms |= {f"{decimal:g}".replace(".", ","), f"{decimal:g}"}
    return forms


def followers(notebooks) -> dict[str, set[str]]:
    """Parameter -> the words the masters write right after its placeholder."""
    found: dict[str, set[str]] = {}
    for notebook in notebooks:
        for cell in notebook.cells:
            for name, word in re.findall(r"\{\{\s*(\w+)\s*\}\}[\s\u00a0*]+([^\W\d]+)", cell.source):
                found.setdefault(name, set()).add(word)
    return found


def literals_of_varying_parameters(notebook: nbformat.NotebookNode, varying: dict[str, set[str]],
                                   after: dict[str, set[str]] | None = None) -> list[str]:
    """The locked cells of `notebook` that write, as a literal, a value that varies between variants: a
    forgotten « {{name}} » in a statement (that copy would quote the committed data's number, not the
    learner's), or a number typed in a locked code cell, which every copy shares unrendered: a check cell's
    label (« Marge après 6 % de remise »), which the barème block, the messages and the feedback repeat, or
    a constant where the code should read the case. A model answer (a written question's) is read too: never
    rendered, it is what the trainer grades every variant against."""
    after = followers([notebook]) if after is None else after
    found = []
    for cell in notebook.cells:
        model_answer = cell.cell_type == "markdown" and cells.is_solution(cell)  # the trainer reads it for every variant
        if not (cells.is_locked(cell) or model_answer) or cell.cell_type not in ("markdown", "code"):
            continue
        text = _plain(cell.source)  # the barème block included: it lists the carried questions' labels
        for phrase in CONSTANT_PHRASES:
            text = text.replace(phrase, "")
        for name, values in sorted(varying.items()):
            for form in sorted(set().union(*(literal_forms(v, after.get(name, set())) for v in values))):
                if re.search(r"(?<![\d,.])(?<!\d )" + re.escape(form) + r"(?![\d])", text):
                    found.append(f"{cells.grade_id(cell)} : « {form} » ({name})")
    return found


@pytest.mark.parametrize("bloc", BLOCS)
def test_every_placeholder_of_a_master_is_a_parameter_of_its_bloc(bloc):
    """(a) For the committed data and five other variants, every « {{name}} » is a known parameter, and
    sits in a locked markdown cell with a grade_id (the copies are rendered by grade_id)."""
    parameter_sets = {"données du dépôt": default_parameters(bloc),
                      **{f"graine {s}": seed_parameters(bloc, s) for s in OTHER_SEEDS}}
    quoted = set()
    for name, notebook in masters(bloc).items():
        templates = master_templates(notebook)
        for cell in notebook.cells:
            names = placeholders(cell.source)
            if not names:
                continue
            where = f"bloc{bloc}/{name} {cells.grade_id(cell) or cell.cell_type}"
            assert cell.cell_type == "markdown" and cells.is_locked(cell) and cells.grade_id(cell), where
            assert templates[cells.grade_id(cell)] == cell.source, where
            quoted |= names
            for label, parameters in parameter_sets.items():
                assert names <= set(parameters), f"{where}, {label} : {sorted(names - set(parameters))}"
                assert "{{" not in render(cell.source, parameters)
    assert quoted, f"aucun énoncé du bloc {bloc} ne cite de paramètre"


@pytest.mark.parametrize("bloc", BLOCS)
@pytest.mark.parametrize("seed", COPY_SEEDS)
def test_a_release_copy_rendered_for_a_variant_quotes_that_variants_numbers(bloc, seed):
    """(c) The common copy of release/ rendered with a variant's parameters (as `mda release` does):
    no « {{ » left, the variant's values where the master quotes a parameter, not the committed data's."""
    default, mine = default_parameters(bloc), seed_parameters(bloc, seed)
    checked = 0
    for name, master in masters(bloc).items():
        copy = nbformat.read(COURSE.release / f"bloc{bloc}" / f"{name}.ipynb", as_version=4)
        templates = master_templates(master)
        for cell in copy.cells:  # release/ is the common copy: rendered from the committed data
            if cells.grade_id(cell) in templates:
                assert cell.source == render(templates[cells.grade_id(cell)], default), \
                    f"release/bloc{bloc}/{name} n'est pas à jour : relancez `mda build`"
        assert render_copy(copy, master, mine) == len(templates)
        assert not any("{{" in cell.source for cell in copy.cells)
        for cell in copy.cells:
            template = templates.get(cells.grade_id(cell))
            if template is None:
                continue
            assert cell.source == render(template, mine)
            if "checksum" in cell.metadata.get("nbgrader", {}):
                assert cell.metadata.nbgrader.checksum == compute_checksum(cell)
            for parameter in placeholders(template):
                if mine[parameter] == default[parameter]:
                    continue
                checked += 1
                assert mine[parameter] in cell.source, (name, parameter)
                if default[parameter] not in mine[parameter] and default[parameter] not in template:
                    assert not _quotes(cell.source, default[parameter]), (name, parameter)
    if any(set(placeholders(t)) & set(varying_parameters(bloc))
           for master in masters(bloc).values() for t in master_templates(master).values()):
        assert checked, f"la graine {seed} ne change aucun nombre cité du bloc {bloc}"


@pytest.mark.parametrize("bloc", BLOCS)
def test_no_locked_statement_writes_a_varying_parameter_as_a_literal(bloc):
    """(d) A value that differs between variants is quoted with « {{name}} », never typed in a statement."""
    varying, after = varying_parameters(bloc), followers(masters(bloc).values())
    found = {name: literals_of_varying_parameters(notebook, varying, after) for name, notebook in masters(bloc).items()}
    assert not any(found.values()), {name: hits for name, hits in found.items() if hits}


def test_the_literal_guard_finds_a_forgotten_placeholder():
    """(d) The guard fails on a locked statement that types a varying value, in any of its usual forms."""
    varying = varying_parameters(4)
    assert {"crise_jours_arret", "crise_part_ca_non_rattrapee", "crise_penalite_jour_client_flotte"} <= set(varying)
    days = sorted(varying["crise_jours_arret"])[0]
    share = sorted(varying["crise_part_ca_non_rattrapee"])[0]
    notebook = new_notebook(cells=[
        build.markdown(f"L'atelier est arrêté pendant {days}.", lock="oubli_jours"),
        build.markdown(f"Part non rattrapée : {share.replace(chr(0xa0), ' ')}.", lock="oubli_taux"),
        build.markdown("L'atelier est arrêté pendant {{crise_jours_arret}}.", lock="avec_parametre"),
        build.manual("reponse", f"Réponse modèle : arrêt de {days}.", 2, ["CE4.6.2"]),  # the trainer's model answer
        new_markdown_cell(f"Texte libre : {days}."),  # neither locked nor a model answer
    ])
    hits = literals_of_varying_parameters(notebook, varying)
    assert {hit.split(" : ")[0] for hit in hits} == {"oubli_jours", "oubli_taux", "reponse"}, hits
    assert all("crise_" in hit for hit in hits)
    # the decimal form of a varying rate and the number with its unit's first word are caught too
    decimal = literal_forms(share) - {_plain(share)}
    assert any("," in form and form.startswith("0,") for form in decimal), decimal
    typed = new_notebook(cells=[build.markdown(f"Part : {sorted(decimal)[0]} ; arrêt : "
                                               f"{_plain(days).split()[0]} jours.", lock="oubli_formes")])
    assert len(literals_of_varying_parameters(typed, varying)) == 2


def test_the_literal_guard_reads_check_cell_labels_and_the_bareme_block():
    """(d) A check cell's label is locked code every copy shares unrendered, and the barème block and the
    feedback repeat it: one that types a varying value (« Marge après 6 % de remise » while the discount
    studied varies) is caught there and in the barème block, as is a constant typed in a locked code cell."""
    varying = varying_parameters(2)
    assert "remise_etudiee" in varying
    committed = default_parameters(2)["remise_etudiee"]
    notebook = copy.deepcopy(masters(2)["05_offre_negociation"])
    assert not literals_of_varying_parameters(notebook, varying)
    label = "Marge après la remise étudiée"
    typed = f"Marge après {committed} de remise"
    edited = set()
    for cell in notebook.cells:
        if label in cell.source:
            cell.source = cell.source.replace(label, typed)
            edited.add(cells.grade_id(cell))
    assert edited == {"marge_apres_remise", "b2n5_conventions"}, edited  # the check cell and its barème block
    hits = literals_of_varying_parameters(notebook, varying)
    assert {hit.split(" : ")[0] for hit in hits if "(remise_etudiee)" in hit} == edited, hits
    # a barème block generated for such a label, and a rate typed as a constant in a locked code cell
    block = NotebookBareme((), (typed,)).markdown()
    decimal = sorted(literal_forms(committed) - {_plain(committed)})[-1]
    generated = new_notebook(cells=[build.markdown("Conventions du carnet.\n\n" + block, lock="x_conventions"),
                                    build.code(f"remise = {decimal.replace(',', '.')}", lock="donnees"),
                                    build.code(f"remise = {decimal.replace(',', '.')}")])  # unlocked: the learner's
    hits = literals_of_varying_parameters(generated, {"remise_etudiee": varying["remise_etudiee"]})
    assert sorted(hit.split(" : ")[0] for hit in hits) == ["donnees", "x_conventions"], hits


def _example_number(text: str) -> int:
    return int(text.replace(" ", ""))


@pytest.mark.parametrize("seed", [None, 7, 1])
def test_bloc3_training_cost_example_uses_the_cases_hourly_cost(seed):
    """Bloc 3 notebook 4: the worked example is a line of the case's catalogue at the convention's hourly
    cost (read from the hypotheses), and its arithmetic holds, for the committed data and other variants."""
    frames = read_frames(COURSE.source / "bloc3" / "data") if seed is None else generate_case(3, seed)
    hourly = frames["hypotheses_affaire.csv"].set_index("parametre")["valeur"]["cout_horaire_charge_eur"]
    parameters = case_parameters("bloc3", frames)
    notebook = nbformat.read(COURSE.source / "bloc3" / "04_gepp_formation.ipynb", as_version=4)
    text = _plain("\n".join(render(cell.source, parameters) for cell in notebook.cells  # « − » read as « - »
                            if cell.cell_type == "markdown" and cells.is_locked(cell)))
    convention = re.findall(r"coût horaire \*\*chargé\*\* de ([\d ]+) € × durée", text)
    assert [_example_number(rate) for rate in convention] == [hourly]
    n = r"([\d ]+)"
    example = re.search(rf"{n} stagiaires de la formation « (.+?) » : {n} € de coût pédagogique, {n} € de frais, "
                        rf"{n} € d'OPCO, {n} heures à {n} € de l'heure : \({n} \+ {n} - {n} \+ {n} × {n}\) × {n} = "
                        rf"{n} € × {n} = {n} €", text)
    assert example, "l'exemple chiffré du carnet 4 a changé de forme"
    trainees, training = _example_number(example[1]), example[2]
    tuition, expenses, funding, hours, rate = (_example_number(example[k]) for k in range(3, 8))
    assert rate == hourly
    line = frames["catalogue_formations.csv"].set_index("formation").loc[training]
    assert (tuition, expenses, funding, hours) == (line["cout_pedagogique_ht_eur"], line["frais_annexes_eur"],
                                                   line["prise_en_charge_opco_eur"], line["duree_h"])
    assert tuple(_example_number(example[k]) for k in range(8, 13)) == (tuition, expenses, funding, hours, rate)
    per_trainee = tuition + expenses - funding + hours * rate
    assert _example_number(example[13]) == _example_number(example[15]) == trainees
    assert _example_number(example[14]) == per_trainee
    assert _example_number(example[16]) == per_trainee * trainees


def test_the_literal_guard_finds_a_typed_count_by_the_words_after_its_placeholder():
    """(d) A small count varies too (bloc 2: the bikes Lumen Soins asks for): typed with the words the masters
    write after its placeholder, it is caught; the same number elsewhere (« 4 heures ») is not."""
    varying, after = varying_parameters(2), followers(masters(2).values())
    assert "lumen_quantite_vae_cargo" in varying and "vélos" in after["lumen_quantite_vae_cargo"]
    count = sorted(varying["lumen_quantite_vae_cargo"])[0]
    notebook = new_notebook(cells=[
        build.markdown(f"Le client veut {count} vélos cargo.", lock="oubli_quantite"),
        build.markdown(f"Trois sessions de {count} heures.", lock="autre_nombre"),
    ])
    hits = literals_of_varying_parameters(notebook, {"lumen_quantite_vae_cargo": varying["lumen_quantite_vae_cargo"]},
                                          after)
    assert [hit.split(" : ")[0] for hit in hits] == ["oubli_quantite"], hits


@pytest.mark.parametrize("seed", range(cases(60)))
def test_bloc2_price_to_win_is_above_the_competitors_lowest_price(seed, tmp_path):
    """Bloc 2 notebook 2, question 7: the statement's formula holds (« Vérifiez ensuite que P est bien supérieur à
    Pmin »): the best competitor's total is less than the price's whole weight above Cyclonord's other marks."""
    from mda_checks.casedata import bloc2, write_frames
    from mda_checks.scoring.reference import load_reference

    # through the one door: a test before this one may have loaded another course's reference in this process
    appel_offres = load_reference(COURSE.root, "bloc2.appel_offres")
    write_frames(bloc2.generate(seed), tmp_path)
    data = load_reference(COURSE.root, "registry").CaseData(tmp_path)
    us = data.company  # Cyclonord in the generated case
    bids = appel_offres.bids_ht(data).drop(us)
    others = appel_offres.weighted(data, appel_offres.price_scores(data, bids)).drop(us)
    rest = appel_offres.weighted(data, pd.Series(0.0, index=others.index.append(pd.Index([us]))))
    top = data.parameter("ao_poids_prix") * data.parameter("ao_note_maximale")
    assert others.max() - rest[us] < top * 0.99
