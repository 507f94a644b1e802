"""One Unix account per learner and per trainer, with a generated password and a sheet to hand them out.

Accounts are the learners' identity everywhere: JupyterHub logs them in with their Unix password
(PAM), their server runs as them, nbgrader's exchange records their files as theirs, and
`mda collecte` refuses a submission that is not owned by the learner it names. Each home folder is
closed (0700): no learner lists or reads another's work.
"""
from __future__ import annotations

import csv
import os
import pwd
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

# one rule for ids and accounts (a learner id is their account's name): Debian's useradd default, which JupyterHub
# keeps as is; no leading « _ » (the mark of system accounts such as _apt, never a learner's or a trainer's)
from mda_checks.roster import ACCOUNT_NAME, ACCOUNT_RULE

#: no 0/O, 1/l/I: a password read on paper and typed
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
HOME_MODE = 0o700


def account_problem(name: str) -> str | None:
    """Why `name` cannot be a learner's Unix account (French), or None."""
    if ACCOUNT_NAME.match(name):
        return None
    return f"« {name} » ne peut pas être un compte Unix : {ACCOUNT_RULE}"


def new_password() -> str:
    """Three groups of four characters (about 59 bits), e.g. « k7mp-x3qa-9ruw »."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@dataclass(frozen=True)
class Account:
    name: str
    role: str          # « apprenant » or « formateur »
    full_name: str
    password: str      # "" for an account that already existed (its password is left alone)


def create_account(name: str, homes: Path, full_name: str = "") -> None:
    """useradd with a closed home folder of its own (and a group of its own)."""
    home = homes / name
    subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--user-group",
                    "--comment", full_name.replace(":", " "), name], check=True, capture_output=True, text=True)
    os.chmod(home, HOME_MODE)


def grader_account_name(course_id: str) -> str:
    """The grading service's account of a course (« correcteur-manager-affaires »), cut to what useradd accepts."""
    return f"correcteur-{course_id}"[:32].rstrip("-.")


def ensure_grader_account(name: str, homes: Path) -> bool:
    """The account the trainers' shared grading Jupyter (formgrader) runs as, never root: a system account
    without a password (nobody logs in as it; the hub starts it), with a closed home folder for Jupyter's
    own files. True when created now."""
    problem = account_problem(name)
    if problem:
        raise ValueError(f"compte de correction impossible : {problem}")
    if exists(name):
        return False
    home = homes / name
    subprocess.run(["useradd", "--system", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                    "--user-group", "--comment", "correction (formgrader) du cours", name],
                   check=True, capture_output=True, text=True)
    os.chmod(home, HOME_MODE)
    return True


def give_tree(root: Path, name: str) -> None:
    """chown -R without following links (a link in the tree never hands over what it points to)."""
    subprocess.run(["chown", "-R", "--no-dereference", f"{name}:{name}", str(root)], check=True,
                   capture_output=True, text=True)


def set_passwords(passwords: dict[str, str]) -> None:
    """chpasswd, the passwords on its standard input (never on a command line other accounts can read)."""
    if passwords:
        lines = "".join(f"{name}:{password}\n" for name, password in passwords.items())
        subprocess.run(["chpasswd"], input=lines, check=True, capture_output=True, text=True)


def ensure_accounts(wanted: list[tuple[str, str, str]], homes: Path, renew: bool = False) -> list[Account]:
    """Accounts for (name, role, full name); a new account (or every one with `renew`) gets a new password.

    Existing accounts are kept with their files; their home folder is closed again (0700)."""
    problems = [problem for name, _, _ in wanted if (problem := account_problem(name))]
    if problems:
        raise ValueError("comptes impossibles à créer, aucun n'a été créé : " + " ; ".join(problems))
    accounts, passwords = [], {}
    for name, role, full_name in wanted:
        fresh = not exists(name)
        if fresh:
            create_account(name, homes, full_name)
        else:
            home = Path(pwd.getpwnam(name).pw_dir)
            if home.is_dir() and not home.is_symlink() and home.stat().st_uid == pwd.getpwnam(name).pw_uid:
                os.chmod(home, HOME_MODE)
        password = new_password() if fresh or renew else ""
        if password:
            passwords[name] = password
        accounts.append(Account(name, role, full_name, password))
    set_passwords(passwords)
    return accounts


def write_password_sheet(path: Path, accounts: list[Account], address: str, owner: str | None = None) -> Path:
    """The sheet to hand out (CSV for Excel, « ; »), mode 600, never readable by anyone else.

    Only the accounts whose password was set now are on it: an earlier sheet stays valid for the others."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.is_symlink():
        path.unlink()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    os.fchmod(descriptor, 0o600)
    if owner:
        entry = pwd.getpwnam(owner)
        os.fchown(descriptor, entry.pw_uid, entry.pw_gid)
    with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as out:
        sheet = csv.writer(out, delimiter=";")
        sheet.writerow(["rôle", "nom", "identifiant", "mot de passe", "adresse"])
        for account in accounts:
            if account.password:
                sheet.writerow([account.role, account.full_name, account.name, account.password, address])
    return path


def remove_accounts(names: list[str]) -> list[str]:
    """userdel --remove: the accounts and their home folders (end of a session, after the archive);
    what could not be removed, with why (French)."""
    failed = []
    for name in names:
        done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
        if done.returncode != 0:
            failed.append(f"{name} : {done.stderr.strip() or f'userdel a échoué (code {done.returncode})'}")
    return failed
