"""Factories for the brokerage: courses of a training provider, and runs with their schedules."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from carenetwork.training.models import Course, CourseRun, DeliveryMode, PriceTier
from carenetwork.training.position import figures_refresh
from carenetwork.training.programme_figures import programme_figures_refresh
from tests.records.factories import category


def course_for(provider, *, codes=(20,), status=Course.Status.APPROVED, **fields) -> Course:
    """An approved course of the training provider covering the ASC-WDS categories `codes` (20: safeguarding)."""
    fields.setdefault("title", "Safeguarding adults, level 2")
    fields.setdefault("outline", "Recognising and reporting abuse and neglect.")
    fields.setdefault("duration_hours", Decimal("6.0"))
    fields.setdefault("delivery_mode", DeliveryMode.FACE_TO_FACE)
    fields.setdefault("max_group_size", 20)
    course = Course.objects.create(provider=provider, status=status, **fields)
    course.categories.set([category(code) for code in codes])
    return course


def run_for(
    course,
    *,
    fee=Decimal("800.00"),
    tiers=None,
    capacity=12,
    minimum=5,
    partner_margin=3,
    days=30,
    sectors=(),
    **fields,
) -> CourseRun:
    """A run `days` from now: interest closes 14 days before, partners 7 days before, bookings 2 days before.

    A shared fee unless `tiers` [(from places, price)] are given.
    """
    starts = timezone.now() + timedelta(days=days)
    fields.setdefault("starts_at", starts)
    fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=6))
    fields.setdefault("interest_deadline", fields["starts_at"] - timedelta(days=14))
    fields.setdefault("partner_deadline", fields["starts_at"] - timedelta(days=7))
    fields.setdefault("booking_cutoff", fields["starts_at"] - timedelta(days=2))
    fields.setdefault("free_cancellation_until", fields["starts_at"] - timedelta(days=7))
    fields.setdefault("venue", "Town Hall, Committee Room 2")
    fields.setdefault("area", "Eastmarsh Central")
    fields.setdefault("cancellation_terms", "Free until 7 days before the course; the full price after that.")
    pricing = CourseRun.Pricing.TIERS if tiers else CourseRun.Pricing.SHARED_FEE
    run = CourseRun(
        course=course,
        capacity=capacity,
        minimum_places=minimum,
        partner_margin=partner_margin,
        pricing=pricing,
        fee=None if tiers else Decimal(fee),
        **fields,
    )
    figures_refresh(run, schedule=_schedule(run, tiers))
    run.save()
    if tiers:
        PriceTier.objects.bulk_create([PriceTier(run=run, from_places=f, price=Decimal(p)) for f, p in tiers])
    if sectors:
        run.sectors.set(sectors)
    with transaction.atomic():  # as in `runs.run_save`, whose transaction the refresh locks its row in
        programme_figures_refresh(run)
    return run


def _schedule(run, tiers):
    from carenetwork.training.position import schedule_of

    return schedule_of(run, [(f, Decimal(p)) for f, p in tiers] if tiers else None)
