"""The hub's configuration (deploy/jupyterhub_config.py) as JupyterHub loads it: PAM by default, Moodle's
LTI 1.3 login when its settings file is in the hub's state folder (the documented example, loaded as is)."""
from __future__ import annotations

import shutil

from traitlets.config.loader import PyFileConfigLoader

from mda_checks.hub.settings import DEPLOY, SETTINGS_VARIABLE, HubSettings


def _settings(tmp_path) -> HubSettings:
    return HubSettings(course_id="manager-affaires", course_root=str(tmp_path / "cours"), course_owner="correcteur-manager-affaires",
                       learners=["a.martin", "b.lefevre"], trainers=["m.dupont"], state=str(tmp_path / "etat"))


def _load(settings: HubSettings, monkeypatch):
    """deploy/jupyterhub_config.py, read by traitlets as `jupyterhub -f` reads it."""
    monkeypatch.setenv(SETTINGS_VARIABLE, str(settings.write()))
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_learners_and_trainers_log_in_with_their_unix_password_by_default(tmp_path, monkeypatch):
    config = _load(_settings(tmp_path), monkeypatch)
    assert config.JupyterHub.authenticator_class == "pam"
    assert config.Authenticator.allowed_users == {"a.martin", "b.lefevre", "m.dupont"}
    assert "LTI13Authenticator" not in config


def test_the_documented_moodle_settings_replace_the_login_and_keep_the_roster_as_the_only_users(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    settings.write()
    shutil.copy(DEPLOY / "moodle_lti13.exemple.py", f"{settings.state}/moodle_lti13.py")
    config = _load(settings, monkeypatch)
    assert config.JupyterHub.authenticator_class == "ltiauthenticator.lti13.auth.LTI13Authenticator"
    lti = config.LTI13Authenticator
    assert lti.issuer == "https://moodle.exemple.fr" and lti.client_id == ["AbCdEf123456789"]
    assert lti.authorize_url.endswith("/mod/lti/auth.php") and lti.jwks_endpoint.endswith("/mod/lti/certs.php")
    assert lti.username_key == "custom_compte"  # the Unix account, never the e-mail (the package's default)
    assert config.Authenticator.allowed_users == {"a.martin", "b.lefevre", "m.dupont"}


def test_formgrader_runs_as_the_courses_grading_account_and_is_never_allowed_to_run_as_root(tmp_path, monkeypatch):
    config = _load(_settings(tmp_path), monkeypatch)
    grading = next(service for service in config.JupyterHub.services if service["name"] == "manager-affaires")
    assert grading["user"] == "correcteur-manager-affaires"
    assert not [arg for arg in grading["command"] if "allow_root" in arg]
