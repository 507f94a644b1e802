"""`mda grappe certificats`: one authority, a certificate per role, private keys kept private."""
from __future__ import annotations

import datetime as real_datetime
import stat

import pytest
from cryptography import x509

from mda_checks.cli import main
from mda_checks.grade.runs import certificates as certificates_module
from mda_checks.grade.runs.certificates import (ROLES, TRAINER, WORKER, CertificateProblem, check_certificates,
                                           create_certificates)
from tests.conftest import copy_course


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_each_role_gets_a_certificate_of_the_authority_and_a_private_key(tmp_path):
    made = create_certificates(tmp_path / "grappe", days=30)
    assert _mode(made.folder) == 0o700 and _mode(made.authority) == 0o644
    authority = x509.load_pem_x509_certificate(made.authority.read_bytes())
    assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for role in ROLES:
        assert _mode(made.key(role)) == 0o600 and _mode(made.certificate(role)) == 0o644
        mine = x509.load_pem_x509_certificate(made.certificate(role).read_bytes())
        mine.verify_directly_issued_by(authority)
        assert not mine.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert 29 <= (mine.not_valid_after_utc - mine.not_valid_before_utc).days <= 31
    assert sorted(p.name for p in made.folder.iterdir()) == [
        "ca.pem", "correcteur-cle.pem", "correcteur.pem", "formateur-cle.pem", "formateur.pem",
        "planificateur-cle.pem", "planificateur.pem"]  # the authority's key is never written
    assert check_certificates(made.folder).client_security().require_encryption


def test_existing_certificates_are_never_overwritten(tmp_path):
    made = create_certificates(tmp_path / "grappe")
    before = made.key(TRAINER).read_bytes()
    with pytest.raises(CertificateProblem, match="existe déjà et n'est pas un dossier vide"):
        create_certificates(made.folder)
    assert made.key(TRAINER).read_bytes() == before
    (tmp_path / "vide").mkdir()
    create_certificates(tmp_path / "vide")  # an empty folder is fine


def test_unusable_certificates_are_refused_in_french(tmp_path, monkeypatch):
    with pytest.raises(CertificateProblem, match="introuvables .*manque : ca.pem, formateur.pem, formateur-cle.pem"):
        check_certificates(tmp_path / "rien")
    made = create_certificates(tmp_path / "grappe")
    made.key(TRAINER).chmod(0o644)
    with pytest.raises(CertificateProblem, match="lisible par d'autres comptes .*chmod 600"):
        check_certificates(made.folder)
    made.key(TRAINER).chmod(0o600)
    other = create_certificates(tmp_path / "autre")
    made.certificate(WORKER).write_bytes(other.certificate(WORKER).read_bytes())
    with pytest.raises(CertificateProblem, match="correcteur.pem n'est pas signé par l'autorité ca.pem"):
        check_certificates(made.folder, WORKER)

    class Later(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime.datetime.now(tz) + real_datetime.timedelta(days=800)

    class Clock:
        datetime, timezone, timedelta, UTC = Later, real_datetime.timezone, real_datetime.timedelta, real_datetime.UTC

    monkeypatch.setattr(certificates_module, "datetime", Clock)
    with pytest.raises(CertificateProblem, match="a expiré le"):
        check_certificates(made.folder)


def test_mda_grappe_certificats_writes_them_in_the_trainers_private_folder_and_says_where_each_goes(
        tmp_path, monkeypatch, capsys):
    course = copy_course(tmp_path / "cours")
    monkeypatch.chdir(course.root)
    assert main(["grappe", "certificats"]) == 0
    out = capsys.readouterr().out
    folder = course.root / ".mda" / "grappe"
    assert check_certificates(folder) and f"Certificats de la grappe créés dans {folder}" in out
    assert "dask scheduler --port 8786 --no-dashboard --tls-ca-file ca.pem --tls-cert planificateur.pem" in out
    assert "dask worker tls://planificateur:8786 --tls-ca-file ca.pem --tls-cert correcteur.pem" in out
    assert main(["grappe", "certificats"]) == 2
    assert "existe déjà" in capsys.readouterr().err
    assert main(["grappe", "certificats", str(tmp_path / "ailleurs"), "--jours", "90"]) == 0
    assert "valables 90 jours" in capsys.readouterr().out
