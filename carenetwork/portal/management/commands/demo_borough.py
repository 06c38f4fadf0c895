"""Build the demo borough (idempotent); with --volume, add synthetic organisations, staff records and training
brokerage at benchmark scale (every capability registered with the portal)."""

from django.core.management.base import BaseCommand

from carenetwork.organisations.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from carenetwork.portal.demo import build_demo_borough
from carenetwork.portal.volume import VOLUMES, volume_ensure


class Command(BaseCommand):
    help = "Create the fictional demo borough: council, providers, training providers, partners and people."

    def add_arguments(self, parser):
        parser.add_argument(
            "--volume", choices=sorted(VOLUMES), help="Also generate synthetic data at this benchmark volume."
        )

    def handle(self, *args, volume=None, **options):
        result = build_demo_borough()
        if volume:
            volume_ensure(volume, stdout=self.stdout)
        people = result["people"]
        rows = [
            ("Council administrator", people["council_admin"]),
            ("Council officer", people["council_officer"]),
            (f"Provider admin ({result['provider']})", people["provider_admin"]),
            (f"Provider member ({result['provider']})", people["provider_member"]),
            ("Training provider admin", people["training_admin"]),
            ("Partner member", people["partner_member"]),
            ("Person with no organisation yet (has asked to join)", people["newcomer"]),
        ]
        self.stdout.write(self.style.SUCCESS(f"Demo borough ready: {result['organisations']} organisations."))
        self.stdout.write(f"Every demo sign-in uses the password: {DEMO_PASSWORD}")
        for label, user in rows:
            self.stdout.write(f"  {label:<60} {user.email}")
        self.stdout.write(
            "Council sign-ins ask for a two-factor code: on a development machine enter 000000, or add the\n"
            f"secret {DEMO_TOTP_SECRET} to an authenticator app."
        )
