"""JupyterHub 6 for one course of « Manager d'affaires »: started by `mda hub demarrer`
(docs/formateur.md « Une vraie promotion »).

Everything that depends on the course or the machine (accounts, paths, ports, certificates) comes
from the JSON file `mda hub` writes (mda_checks/hub/settings.py); everything else is set here.
Modelled on nbgrader's demo « one class, multiple graders »: the trainers share one grading
Jupyter, run as a hub service by the course's grading account (never root); the learners each have their own server,
started from the learners' environment, never from the course's.
"""
import os
import sys

from mda_checks.hub.settings import SETTINGS_VARIABLE, HubSettings, grader_groups

c = get_config()  # noqa: F821  (injected by traitlets)
s = HubSettings.read(os.environ[SETTINGS_VARIABLE])
learners_group, trainers_group = grader_groups(s.course_id)
service = s.course_id  # nbgrader: the grading service is named after the course

# --- Where the hub listens -------------------------------------------------------------------
# The address learners open: the proxy (every address of the machine by default, 127.0.0.1 in tests).
c.JupyterHub.bind_url = f"{'https' if s.ssl_cert else 'http'}://{s.ip or '0.0.0.0'}:{s.port}/"
# HTTPS on a real server: the certificate (full chain) and its private key, e.g. Let's Encrypt's
# /etc/letsencrypt/live/NOM/fullchain.pem and privkey.pem (mda hub demarrer --certificat … --cle …).
if s.ssl_cert:
    c.JupyterHub.ssl_cert = s.ssl_cert
    c.JupyterHub.ssl_key = s.ssl_key
# The hub's own API and the proxy's API: this machine only.
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
# The proxy: npm's configurable-http-proxy (JupyterHub's own, Node.js), installed by `make proxy`
# (part of `make install`) in .venv/proxy; the hub starts and stops it.
c.ConfigurableHTTPProxy.command = [s.proxy]
c.ConfigurableHTTPProxy.should_start = True

# --- The hub's own files: database, cookie secret, proxy token (root only) ----------------------
c.JupyterHub.db_url = f"sqlite:///{os.path.join(s.state, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(s.state, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(s.state, "jupyterhub.pid")
# A hub restarted during a session keeps the learners' servers running (they reconnect).
c.JupyterHub.cleanup_servers = False

# --- Who may log in ----------------------------------------------------------------------------
# Unix accounts and passwords (PAM): `mda hub comptes` creates one account per learner of the roster
# and per trainer, with a generated password (the trainer hands out the password sheet).
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session (utmp, systemd-logind) for a web login
c.Authenticator.allowed_users = set(s.learners) | set(s.trainers)
c.Authenticator.delete_invalid_users = True  # an account removed from the roster loses its hub user
# nbgrader's groups: the course's learners, and the trainers who grade it.
c.JupyterHub.load_groups = {
    learners_group: {"users": s.learners},
    trainers_group: {"users": s.trainers},
}
c.JupyterHub.load_roles = [
    # Trainers: open the shared grading Jupyter, see who is connected, stop or start a learner's
    # server (hub's admin page), see that the idle culler runs (hub's API) — never open a learner's
    # server or files.
    {"name": "formateur", "groups": [trainers_group],
     "scopes": [f"access:services!service={service}", "list:services", f"read:services!service={service}",
                "read:services!service=arret-inactifs", "admin-ui", "list:users", "read:users", "admin:servers"]},
    # Learners: their own server only (JupyterHub's default « user » role).
    # The idle culler: stops learners' servers idle for too long.
    {"name": "arret-inactifs", "services": ["arret-inactifs"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]
# Trainers arrive on the shared grading Jupyter (formgrader), learners on their own JupyterLab.
c.JupyterHub.default_url = lambda handler: (
    f"/services/{service}/formgrader" if handler.current_user and handler.current_user.name in s.trainers
    else "/hub/spawn")

# --- The learners' servers ---------------------------------------------------------------------
# One process per learner, run as their own Unix account, in a control group of its own (memory,
# processor share, processes: mda_checks/hub/spawner.py; where control groups are missing, nothing
# is enforced and `mda hub` says so).
c.JupyterHub.spawner_class = "mda_checks.hub.spawner.LimitedSpawner"
c.LimitedSpawner.memory_bytes = s.memory_bytes
c.LimitedSpawner.cpus = s.cpus
c.LimitedSpawner.processes = s.processes
# From the learners' environment (deploy/installer-apprenant.sh): JupyterLab in French, nbgrader's
# Assignments panel only, the course's learner runtime. Never the course's .venv.
c.Spawner.cmd = [os.path.join(s.learner_prefix, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# Nothing of the hub's environment (PATH holds the course's .venv) reaches a learner's server.
c.Spawner.env_keep = []
c.Spawner.environment = {
    "PATH": f"{os.path.join(s.learner_prefix, 'bin')}:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "TZ": s.timezone,  # Paris time in the learners' kernels and terminals
}
# A loaded machine (30 servers starting at 9:00) may take a while: generous start-up waits.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
# mem_limit / cpu_limit are read by JupyterLab's resource display; LimitedSpawner enforces them.
c.Spawner.mem_limit = s.memory_bytes
c.Spawner.cpu_limit = s.cpus

# --- The trainers' shared grading Jupyter (formgrader) ------------------------------------------
# As nbgrader's demo: a hub service named after the course, run from the course's folder and
# environment by the course's owner, the grading account `mda hub comptes` creates (correcteur-<cours>,
# never root: `mda hub demarrer` refuses a course root owns, so no trainer gets a root terminal);
# the « formateur » role lets the trainers in.
c.JupyterHub.services = [
    {
        "name": service,
        "url": f"http://127.0.0.1:{s.service_port}",
        "command": [os.path.join(s.trainer_bin, "jupyterhub-singleuser"), f"--ServerApp.root_dir={s.course_root}"],
        "user": s.course_owner,
        "cwd": s.course_root,  # formgrader reads the course's nbgrader_config.py from here
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            "PATH": f"{s.trainer_bin}:/usr/local/bin:/usr/bin:/bin",  # nbgrader calls alembic by name
            "TZ": s.timezone,
        },
        "oauth_no_confirm": True,
    },
    # jupyterhub-idle-culler (PyPI): a learner's server idle for idle_seconds is stopped (their
    # files stay; logging in again starts it).
    {
        "name": "arret-inactifs",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={s.idle_seconds}"],
    },
]

# --- Moodle login (LTI 1.3), optional and NOT tested here ----------------------------------------
# jupyterhub-ltiauthenticator replaces the password login page: learners and trainers arrive from
# Moodle, whose username must be their Unix account (docs/formateur.md « Connexion par Moodle (LTI 1.3) »).
# Its settings live beside the hub's own state, root only: moodle_lti13.py in the state folder.
moodle = os.path.join(s.state, "moodle_lti13.py")
if os.path.isfile(moodle):
    load_subconfig(moodle)  # noqa: F821  (injected by traitlets)
