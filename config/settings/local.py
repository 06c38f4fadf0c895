"""Development on one machine: SQLite, emails printed to the console, debug on."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)

# The demo borough's council sign-ins ask for a two-factor code. On a developer's machine only, this
# code is always accepted (allauth refuses it unless DEBUG is on); the real codes work too.
MFA_TOTP_INSECURE_BYPASS_CODE = env("MFA_TOTP_INSECURE_BYPASS_CODE", default="000000") or None
