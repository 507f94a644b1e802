"""A host company's copy tells its own name in every locked statement; a generated case's copy still reads Cyclonord."""
from __future__ import annotations

from functools import cache

import nbformat
import pytest
from nbformat.v4 import new_notebook

from mda_checks.assign.statements import (
    case_parameters,
    folder_parameters,
    master_templates,
    placeholders,
    render,
    render_copy,
)
from mda_checks.casedata import regenerate_case
from mda_checks.casedata.company import COMMON_PRESENTATION, company_parameters
from mda_checks.company.example import NAME, PRESENTATION, example_frames
from mda_checks.notebook import build, cells
from tests.conftest import COURSE

COMPANY_KEYS = set(company_parameters({}))
NOTEBOOKS = [(bloc, path.stem) for bloc in (1, 2) for path in COURSE.source_notebooks(f"bloc{bloc}")]


@cache
def master(bloc: int, name: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE.source / f"bloc{bloc}" / f"{name}.ipynb", as_version=4)


def release(bloc: int, name: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE.release / f"bloc{bloc}" / f"{name}.ipynb", as_version=4)


def statements(notebook) -> dict[str, str]:
    return {cells.grade_id(c): c.source for c in notebook.cells if c.cell_type == "markdown" and cells.is_locked(c)}


def naming_cyclonord(notebook) -> list[str]:
    """The locked statements of `notebook` that name Cyclonord."""
    return [gid for gid, text in statements(notebook).items() if "Cyclonord" in text]


def test_the_guard_finds_a_statement_that_types_the_name():
    notebook = new_notebook(cells=[build.markdown("Le CAC de Cyclonord.", lock="oubli"),
                                   build.markdown("Le CAC {{de_entreprise}}.", lock="juste"),
                                   build.manual("reponse", "Modèle : Cyclonord.", 1, ["CE2.1.1"])])
    assert naming_cyclonord(notebook) == ["oubli"]


@pytest.mark.parametrize("bloc, name", NOTEBOOKS)
def test_a_host_company_copy_names_the_company_in_every_statement(bloc, name):
    copy = release(bloc, name)
    render_copy(copy, master(bloc, name), case_parameters(f"bloc{bloc}", example_frames(bloc)))
    assert naming_cyclonord(copy) == []
    assert not any("{{" in text for text in statements(copy).values())
    assert NAME in statements(copy)[cells.grade_id(copy.cells[0])]  # the title cell: « Cas Numéria Services. »
    if name in ("01_veille_concurrence", "01_prospection"):
        assert PRESENTATION in copy.cells[0].source and COMMON_PRESENTATION not in copy.cells[0].source


@pytest.mark.parametrize("bloc", [1, 2])
def test_the_name_is_a_parameter_of_every_notebooks_opening(bloc):
    """Each notebook's story opens on « Cas {{entreprise}}. »: no notebook is left telling Cyclonord's."""
    for path in COURSE.source_notebooks(f"bloc{bloc}"):
        assert "**Cas {{entreprise}}.**" in master(bloc, path.stem).cells[0].source, path.name


@pytest.mark.parametrize("bloc, name", NOTEBOOKS)
def test_a_generated_variants_copy_reads_as_before_with_cyclonord(bloc, name):
    """release/ (the committed case) and a variant's copy name Cyclonord where the master names the company,
    word for word: only the numbers the variant changes differ."""
    common = folder_parameters(f"bloc{bloc}", COURSE.source / f"bloc{bloc}" / "data")
    variant = case_parameters(f"bloc{bloc}", regenerate_case(bloc, 7, 0))
    assert {k: variant[k] for k in COMPANY_KEYS} == {k: common[k] for k in COMPANY_KEYS}
    templates = master_templates(master(bloc, name))
    shipped = statements(release(bloc, name))
    copy = release(bloc, name)
    render_copy(copy, master(bloc, name), variant)
    for gid, template in templates.items():
        assert shipped[gid] == render(template, common)
        if COMPANY_KEYS & placeholders(template):
            assert "Cyclonord" in shipped[gid] and "{{" not in shipped[gid]
        assert statements(copy)[gid] == render(template, {**common, **{k: v for k, v in variant.items()
                                                                       if k not in COMPANY_KEYS}})

