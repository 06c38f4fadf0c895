"""manage.py invite_council_admin EMAIL [--council NAME]: the first council administrator of a new deployment.

A new deployment has nobody who can sign in, and people join only by invitation or by an administrator's hand. The
IT team runs this once (`deploy/manage.sh invite_council_admin ...`): it makes the council's organisation if there
is none yet and emails the person an invitation to be its administrator. They follow the link, choose their own
password, and can then invite everyone else. No password passes through the terminal or the IT team's hands.
Run again, it sends the same invitation again (with a fresh expiry), or makes a current council officer the
administrator.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from carenetwork.organisations import services
from carenetwork.organisations.models import Membership, Organisation, Role


def council_named(name: str) -> tuple[Organisation, bool]:
    """The council called `name`, made if the deployment has no council yet; (council, whether it was made).

    A deployment serves one council: a name that matches none of the councils already there is a typo, not a
    second council, and is refused."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
    council = councils.filter(name__iexact=name).first()
    if council:
        return council, False
    there = sorted(councils.values_list("name", flat=True))
    if there:
        raise CommandError(f"No council is called {name!r}. Give --council with one of: {', '.join(there)}")
    return services.organisation_create(actor=None, name=name, kind=Organisation.Kind.COUNCIL), True


class Command(BaseCommand):
    help = "Invite the council's first administrator by email, making the council's organisation if needed."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the administrator's own work email address")
        parser.add_argument("--council", help="the council's name (default: the COUNCIL_NAME setting)")

    def handle(self, *args, email, council=None, **options):
        try:
            self.invite(email.strip().lower(), council)
        except ValidationError as error:  # what the services refuse, said as a command error, not a traceback
            raise CommandError("; ".join(error.messages)) from error

    def invite(self, email: str, council: str | None) -> None:
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address") from error
        with transaction.atomic():
            organisation, made = council_named((council or settings.COUNCIL_NAME).strip())
            if made:
                self.stdout.write(f"Made the council's organisation: {organisation.name}")
            membership = (
                Membership.objects.active().filter(organisation=organisation, user__email__iexact=email).first()
            )
            if membership and membership.role == Role.ADMINISTRATOR:
                raise CommandError(f"{email} is already an administrator of {organisation.name}")
            if membership:
                services.membership_set_role(actor=None, membership=membership, role=Role.ADMINISTRATOR, check=False)
                self.stdout.write(f"{email} is now an administrator of {organisation.name}")
                return
            invitation = services.invitation_create(
                actor=None, organisation=organisation, email=email, role=Role.ADMINISTRATOR, check=False
            )
        self.stdout.write(
            f"Invited {email} to be an administrator of {organisation.name}. The task worker emails the link, which "
            f"works until {invitation.expires_at:%d %B %Y}; run this again to send it again."
        )
