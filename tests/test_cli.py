"""The `mda` command: French help, coverage exit status, data regeneration, clear errors."""
import pytest

from mda_checks.cli import main, parser
from tests.conftest import copy_course


def test_help_is_in_french(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert "Génère les copies des apprenants" in out and "Affiche quels critères" in out


def test_coverage_command_succeeds_on_a_complete_bloc(capsys, monkeypatch, repo_course):
    monkeypatch.chdir(repo_course.root)
    assert main(["coverage", "bloc1"]) == 0
    assert "Critères évalués : 25 / 25." in capsys.readouterr().out


def test_coverage_command_fails_when_a_criterion_is_missing(capsys, monkeypatch, tmp_path):
    course = copy_course(tmp_path)
    (course.source / "bloc1" / "05_kpi_direction.ipynb").unlink()
    monkeypatch.chdir(course.root)
    assert main(["coverage", "bloc1"]) == 1
    assert "Critères sans évaluation : CE1.7.1, CE1.7.2, CE1.7.3" in capsys.readouterr().out


def test_data_command_rewrites_the_case_files(capsys, monkeypatch, tmp_path):
    course = copy_course(tmp_path)
    target = course.source / "bloc1" / "data" / "marche_vae.csv"
    original = target.read_text(encoding="utf-8")
    monkeypatch.chdir(course.root)
    assert main(["data", "bloc1", "--graine", "7"]) == 0
    assert target.read_text(encoding="utf-8") != original
    assert main(["data", "bloc1"]) == 0
    assert target.read_text(encoding="utf-8") == original


def test_outside_a_course_the_error_is_clear(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(["coverage"]) == 2
    assert "Aucun cours trouvé" in capsys.readouterr().err


def test_unknown_assignment_name(capsys, monkeypatch, repo_course):
    monkeypatch.chdir(repo_course.root)
    assert main(["coverage", "bloc9x"]) == 2
    assert "n'est pas un nom de devoir valide" in capsys.readouterr().err
