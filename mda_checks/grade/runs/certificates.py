"""The cluster's TLS certificates (``mda grappe certificats DOSSIER``): who may talk to the grading cluster.

One private authority signs three certificates: the scheduler's, the grading workers' (the same
for every worker machine) and the trainer's (``mda grade``). Started with them, Dask's TLS
(``distributed.security``) encrypts every connection and requires both ends to show a certificate
of this authority: a process that merely reaches a port can neither send work (which would run as
root on every grading machine) nor join as a worker (and return grades). The authority's private
key is never written: it signs the three certificates in memory and is dropped, so nobody can make
another one; to change them, create a new folder and hand it out again.
"""
from __future__ import annotations

import datetime
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from mda_checks.extras import MissingExtra, require

SCHEDULER, WORKER, TRAINER = "planificateur", "correcteur", "formateur"
ROLES = (SCHEDULER, WORKER, TRAINER)
AUTHORITY = "ca.pem"
DEFAULT_DAYS = 730  # two course years
KEY_MODE, CERT_MODE, FOLDER_MODE = 0o600, 0o644, 0o700


class CertificateProblem(ValueError):
    """The certificates cannot be made or used (French message)."""


def certificate_name(role: str) -> str:
    return f"{role}.pem"


def key_name(role: str) -> str:
    return f"{role}-cle.pem"


@dataclass(frozen=True)
class ClusterCertificates:
    """A folder written by ``create_certificates``: ``ca.pem`` and a certificate and key per role."""

    folder: Path

    @property
    def authority(self) -> Path:
        return self.folder / AUTHORITY

    def certificate(self, role: str) -> Path:
        return self.folder / certificate_name(role)

    def key(self, role: str) -> Path:
        return self.folder / key_name(role)

    def client_security(self):
        """What ``mda grade`` connects with: encryption required, the trainer's certificate."""
        from distributed.security import Security

        return Security(require_encryption=True, tls_ca_file=str(self.authority),
                        tls_client_cert=str(self.certificate(TRAINER)), tls_client_key=str(self.key(TRAINER)))

    def cluster_security(self):
        """Every role's certificate in one ``Security``: a scheduler, its workers and a client in one
        process (a ``LocalCluster``)."""
        from distributed.security import Security

        return Security(require_encryption=True, tls_ca_file=str(self.authority),
                        tls_scheduler_cert=str(self.certificate(SCHEDULER)), tls_scheduler_key=str(self.key(SCHEDULER)),
                        tls_worker_cert=str(self.certificate(WORKER)), tls_worker_key=str(self.key(WORKER)),
                        tls_client_cert=str(self.certificate(TRAINER)), tls_client_key=str(self.key(TRAINER)))


def _name(common: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Manager d'affaires : grappe de correction"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _sign(subject: str, public_key, issuer: str, signing_key, days: int, authority: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=authority, path_length=0 if authority else None), critical=True))
    if authority:
        usage = x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False)
    else:  # a worker both serves (to its peers) and connects (to the scheduler): every role may do both
        usage = x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=True, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return builder.add_extension(usage, critical=True).sign(signing_key, hashes.SHA256())


def _write(folder_fd: int, name: str, data: bytes, mode: int) -> None:
    """A new file in the folder (never through a link, never over an existing file)."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode, dir_fd=folder_fd)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), mode)  # the umask may have removed bits
        handle.write(data)


def _new_folder(folder: Path) -> int:
    """An fd on a new private folder (or an empty one of ours): nothing is ever overwritten."""
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True)
    except FileExistsError:
        if folder.is_symlink() or not folder.is_dir() or any(folder.iterdir()):
            raise CertificateProblem(f"{folder} existe déjà et n'est pas un dossier vide : les certificats n'ont pas "
                                     "été créés (choisissez un autre dossier ; remplacer des certificats oblige à "
                                     "redistribuer les nouveaux à chaque machine)") from None
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    info = os.fstat(fd)
    if info.st_uid != os.geteuid():
        os.close(fd)
        raise CertificateProblem(f"{folder} appartient à un autre utilisateur : les certificats n'ont pas été créés")
    os.fchmod(fd, FOLDER_MODE)
    return fd


def _require_cryptography() -> None:
    try:
        require("cryptography", "Les certificats de la grappe")
    except MissingExtra as missing:
        raise CertificateProblem(str(missing)) from None


def create_certificates(folder: Path, days: int = DEFAULT_DAYS) -> ClusterCertificates:
    """A new authority, and a certificate and a private key per role, in a new private folder."""
    _require_cryptography()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    if days < 1:
        raise CertificateProblem("la durée de validité doit être d'au moins un jour")
    folder = Path(folder).absolute()
    fd = _new_folder(folder)
    try:
        authority_key = ec.generate_private_key(ec.SECP256R1())
        common = "autorité de la grappe"
        authority = _sign(common, authority_key.public_key(), common, authority_key, days, authority=True)
        _write(fd, AUTHORITY, authority.public_bytes(serialization.Encoding.PEM), CERT_MODE)
        for role in ROLES:
            key = ec.generate_private_key(ec.SECP256R1())
            certificate = _sign(role, key.public_key(), common, authority_key, days, authority=False)
            _write(fd, key_name(role), key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()), KEY_MODE)
            _write(fd, certificate_name(role), certificate.public_bytes(serialization.Encoding.PEM), CERT_MODE)
    finally:
        os.close(fd)
    return ClusterCertificates(folder)


def check_certificates(folder: Path, role: str = TRAINER) -> ClusterCertificates:
    """The folder's certificates for ``role``, usable now; ``CertificateProblem`` (French) otherwise:
    a file missing, a key that other accounts can read, a certificate expired or not signed by the
    folder's authority."""
    _require_cryptography()
    from cryptography import x509

    certificates = ClusterCertificates(Path(folder).absolute())
    needed = [certificates.authority, certificates.certificate(role), certificates.key(role)]
    missing = [path.name for path in needed if not path.is_file()]
    if missing:
        raise CertificateProblem(f"certificats de la grappe introuvables dans {certificates.folder} (manque : "
                                 f"{', '.join(missing)}) : créez-les avec `mda grappe certificats DOSSIER`")
    key_mode = stat.S_IMODE(certificates.key(role).stat().st_mode)
    if key_mode & 0o077:
        raise CertificateProblem(f"la clé {certificates.key(role)} est lisible par d'autres comptes (droits "
                                 f"{key_mode:o}) : qui la lit peut se joindre à la grappe ; `chmod 600` sur ce fichier")
    authority = x509.load_pem_x509_certificate(certificates.authority.read_bytes())
    mine = x509.load_pem_x509_certificate(certificates.certificate(role).read_bytes())
    try:
        mine.verify_directly_issued_by(authority)
    except Exception:  # noqa: BLE001 - another authority's certificate, or a damaged file
        raise CertificateProblem(f"{certificates.certificate(role).name} n'est pas signé par l'autorité {AUTHORITY} "
                                 f"du même dossier ({certificates.folder}) : recréez le dossier de certificats") from None
    now = datetime.datetime.now(datetime.UTC)
    for certificate, path in ((authority, certificates.authority), (mine, certificates.certificate(role))):
        if certificate.not_valid_after_utc < now:
            raise CertificateProblem(f"le certificat {path} a expiré le {certificate.not_valid_after_utc:%d/%m/%Y} : "
                                     "créez-en de nouveaux (`mda grappe certificats NOUVEAU_DOSSIER`) et "
                                     "redistribuez-les")
    return certificates


def certificates_report(certificates: ClusterCertificates, days: int) -> list[str]:
    """What ``mda grappe certificats`` tells the trainer: where each file goes, and the commands."""
    folder = certificates.folder
    return [
        f"Certificats de la grappe créés dans {folder} (valables {days} jours ; clés privées en droits 600, "
        "à ne jamais rendre lisibles par les apprenants).",
        f"  - planificateur : {AUTHORITY}, {certificate_name(SCHEDULER)}, {key_name(SCHEDULER)}",
        f"  - chaque machine de correction : {AUTHORITY}, {certificate_name(WORKER)}, {key_name(WORKER)}",
        f"  - poste du formateur (mda grade) : {AUTHORITY}, {certificate_name(TRAINER)}, {key_name(TRAINER)}",
        "Copiez sur chaque machine ses trois fichiers (scp, en gardant les droits), puis :",
        f"  dask scheduler --port 8786 --no-dashboard --tls-ca-file {AUTHORITY} --tls-cert {certificate_name(SCHEDULER)} "
        f"--tls-key {key_name(SCHEDULER)}",
        f"  dask worker tls://planificateur:8786 --tls-ca-file {AUTHORITY} --tls-cert {certificate_name(WORKER)} "
        f"--tls-key {key_name(WORKER)} --nworkers N --nthreads 1 --resources correction=1 --no-dashboard",
        f"  mda grade --grappe tls://planificateur:8786 --certificats {folder}",
        "L'autorité n'a pas gardé sa clé : aucun autre certificat ne peut être signé. Pour en changer, créez un "
        "nouveau dossier et redistribuez-le.",
    ]
