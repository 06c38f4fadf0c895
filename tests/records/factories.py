"""Factories for staff registers and training records, kept in the same organisation."""

import datetime

import factory

from carenetwork.records.cover import cover_refresh
from carenetwork.records.figures import figures_count_in
from carenetwork.records.models import JobRole, StaffMember, TrainingCategory, TrainingRecord
from carenetwork.records.rules import expiry_date


def job_role(code: int = 8) -> JobRole:
    """A seeded ASC-WDS job role (8 is care worker)."""
    return JobRole.objects.get(code=code)


def category(code: int) -> TrainingCategory:
    """A seeded ASC-WDS training category (20 safeguarding adults, 15 assisting and moving people…)."""
    return TrainingCategory.objects.get(code=code)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    organisation = factory.SubFactory("tests.factories.OrganisationFactory")
    name = factory.Faker("name", locale="en_GB")
    job_role = factory.LazyFunction(job_role)
    start_date = datetime.date(2020, 4, 1)
    reference = factory.Sequence(lambda n: f"W{n:05d}")

    @factory.post_generation
    def figures(obj, create, extracted, **kwargs):
        """As the staff services do: the provider's compliance figures count the new person."""
        if create:
            figures_count_in([obj.pk])


def record_for(staff: StaffMember, code: int, completed_on: datetime.date, **fields) -> TrainingRecord:
    """A training record with its expiry from the category's refresh period, and the person's cover updated."""
    cat = category(code)
    fields.setdefault("expires_on", expiry_date(completed_on, cat.refresh_months))
    # A record made with no expiry is one that does not expire (an empty expiry would mean the category's period).
    fields.setdefault("does_not_expire", fields["expires_on"] is None)
    record = TrainingRecord.objects.create(staff=staff, category=cat, completed_on=completed_on, **fields)
    cover_refresh([staff.pk])
    return record
