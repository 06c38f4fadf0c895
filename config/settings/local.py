"""Development on one machine: SQLite, emails printed to the console, debug on."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)

# The demo borough's council sign-ins ask for a two-factor code. On a developer's machine with DEBUG on,
# this code is always accepted; the real codes work too. allauth refuses the setting (a 500 at the code
# step) unless DEBUG is on, so with DEBUG=False it is not set and the real codes are needed.
MFA_TOTP_INSECURE_BYPASS_CODE = (env("MFA_TOTP_INSECURE_BYPASS_CODE", default="000000") or None) if DEBUG else None
