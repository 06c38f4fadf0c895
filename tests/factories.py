"""Factories for tests: related objects stay in the same organisation."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from carenetwork.accounts.models import User
from carenetwork.organisations.models import Location, Membership, Organisation, Role, Sector, ServiceType

TEST_PASSWORD = "a-long-test-password"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

factory.Faker._DEFAULT_LOCALE = "en_GB"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.PROVIDER
    contact_email = factory.LazyAttribute(lambda o: f"enquiries@{o.name.lower().replace(' ', '')}.example")
    postcode = "RM1 3BB"
    area = "Eastmarsh Central"

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Location {n}")
    postcode = "RM1 3BB"
    area = "Eastmarsh Central"
    capacity = 40
    service_type = factory.LazyFunction(lambda: ServiceType.objects.get(ascwds_code=2))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


def person_in(organisation: Organisation, role: str, **user_fields) -> User:
    """A new person with a role in the organisation; council staff get an authenticator app."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    if organisation.kind == Organisation.Kind.COUNCIL:
        TOTP.activate(user, TOTP_SECRET)
    return user


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)
