"""Every write to organisation tokens: creating (the secret is returned once, only its hash kept) and revoking."""

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.api.models import ApiToken, Area
from carenetwork.api.permissions import can_manage_tokens
from carenetwork.core import audit

PREFIX = "cn_"
LONGEST = datetime.timedelta(days=366)


def hash_secret(secret: str) -> str:
    """The stored form of a secret. A token is 190 random bits, so a fast hash is enough (as GitHub's tokens)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_for_secret(secret: str) -> ApiToken | None:
    """The usable token the secret belongs to, or None (wrong, revoked, expired or malformed alike)."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or f"{parts[0]}_" != PREFIX or not parts[1].isalnum() or not parts[2]:
        return None
    token = ApiToken.objects.usable().select_related("organisation", "created_by").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    return token


@transaction.atomic
def token_create(
    *, actor, organisation, name: str, read_areas: list[str], write_areas: list[str], expires_on: datetime.date
) -> tuple[ApiToken, str]:
    """Make a token for the organisation and return it with its secret, which is not kept and never shown again."""
    if not can_manage_tokens(actor, organisation):
        raise PermissionDenied
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": _("The expiry date must be in the future")})
    if expires_on > today + LONGEST:
        raise ValidationError({"expires_on": _("The expiry date must be within a year")})
    known = set(Area.values)
    write = [a for a in Area.values if a in set(write_areas) & known]
    read = [a for a in Area.values if a in (set(read_areas) | set(write)) & known]
    if not read:
        raise ValidationError({"read_areas": _("Select at least one area the token may use")})
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
    token = ApiToken(
        organisation=organisation,
        name=name.strip(),
        created_by=actor,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        read_areas=read,
        write_areas=write,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="api_token.create",
        obj=token,
        organisation=organisation,
        changes={"read": read, "write": write, "expires": expires_on.isoformat()},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Stop a token working, at once; it stays listed as revoked."""
    if not can_manage_tokens(actor, token.organisation):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by", "modified_at"])
        audit.record(actor=actor, action="api_token.revoke", obj=token, organisation=token.organisation)
    return token


def token_touch(token: ApiToken) -> None:
    """Note the token's use, at most once a minute (a write on every call would slow every call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
