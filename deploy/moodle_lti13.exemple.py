# Moodle login for `mda hub` (LTI 1.3, PyPI jupyterhub-ltiauthenticator): NOT tested against a Moodle here.
# Copy to the hub's state folder as moodle_lti13.py (root only, read by deploy/jupyterhub_config.py), then
# replace the example values by those Moodle shows for the tool (docs/formateur.md « Connexion par Moodle
# (LTI 1.3) »).
c = get_config()  # noqa: F821  (injected by traitlets)

# the login page of the hub is replaced by Moodle's launches
c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
# Moodle's « Platform ID »: the site's address
c.LTI13Authenticator.issuer = "https://moodle.exemple.fr"
# Moodle's « Client ID » for this tool (several registrations: several ids)
c.LTI13Authenticator.client_id = ["AbCdEf123456789"]
# Moodle's « Authentication request URL » and « Public keyset URL »
c.LTI13Authenticator.authorize_url = "https://moodle.exemple.fr/mod/lti/auth.php"
c.LTI13Authenticator.jwks_endpoint = "https://moodle.exemple.fr/mod/lti/certs.php"
# the hub user is the learner's Unix account: Moodle's username, sent by the tool's custom parameter
# « compte=$User.username » (never the e-mail, the default: it is no Unix account name)
c.LTI13Authenticator.username_key = "custom_compte"
# the hub's own addresses (/hub/lti13/…) in https, whatever the proxy says
c.LTI13Authenticator.uri_scheme = "https"
# a few seconds of clock difference between Moodle and this server
c.LTI13LaunchValidator.time_leeway = 10
