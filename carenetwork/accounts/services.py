"""Writes to people's accounts."""

from allauth.account.models import EmailAddress
from django.db import transaction

from carenetwork.accounts.models import User


@transaction.atomic
def account_create_from_invitation(*, invitation, full_name: str, password1: str, password2: str = "") -> User:
    """Create an account for an invited address; following the emailed link has verified it."""
    user = User(email=invitation.email.lower(), full_name=full_name)
    user.set_password(password1)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@transaction.atomic
def account_create(*, email: str, full_name: str, password: str, **extra) -> User:
    """Create a verified account directly (the demo borough and council administrators' tools)."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
