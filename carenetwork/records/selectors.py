"""Every read of a provider's staff register and training records. Only the provider's admins get names."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carenetwork.core.access import require
from carenetwork.organisations.models import Organisation
from carenetwork.records import permissions
from carenetwork.records.mandatory import MandatorySet, mandatory_set
from carenetwork.records.models import (
    JobRole,
    MandatoryTraining,
    RecordsSettings,
    StaffMember,
    TrainingCategory,
    TrainingCover,
    TrainingRecord,
)
from carenetwork.records.rules import Counts, Status, cover_status


def current_staff(organisation: Organisation) -> QuerySet[StaffMember]:
    """People on the register who have not left."""
    return StaffMember.objects.filter(organisation=organisation, leaving_date__isnull=True)


def staff_list_for(
    *,
    user,
    organisation: Organisation,
    search: str = "",
    location=None,
    job_role=None,
    leavers: bool = False,
) -> QuerySet[StaffMember]:
    """The organisation's staff register, to its admins only: current staff, or leavers."""
    require(permissions.can_manage_staff(user, organisation))
    staff = StaffMember.objects.filter(organisation=organisation, leaving_date__isnull=not leavers)
    if search:
        staff = staff.filter(Q(name__icontains=search) | Q(reference__iexact=search))
    if location:
        staff = staff.filter(location=location)
    if job_role:
        staff = staff.filter(job_role=job_role)
    return staff.select_related("job_role", "location").order_by("name", "pk")


def staff_get_for(*, user, organisation: Organisation, pk: int) -> StaffMember:
    """One person on the register (404 if they are not on this organisation's register)."""
    require(permissions.can_manage_staff(user, organisation))
    return get_object_or_404(
        StaffMember.objects.select_related("job_role", "location", "organisation"), organisation=organisation, pk=pk
    )


def record_list_for(*, user, staff: StaffMember) -> QuerySet[TrainingRecord]:
    """A person's training records, newest first."""
    require(permissions.can_manage_staff(user, staff.organisation) or staff.user_id == user.pk)
    return staff.training_records.select_related("category").order_by("category__name", "-completed_on")


def record_get_for(*, user, organisation: Organisation, pk: int) -> TrainingRecord:
    """One training record of the organisation's staff, for its admins or the person it belongs to."""
    record = get_object_or_404(
        TrainingRecord.objects.select_related("staff__organisation", "category"),
        staff__organisation=organisation,
        pk=pk,
    )
    require(permissions.can_view_certificate(user, record))
    return record


def own_staff_records_for(*, user) -> QuerySet[StaffMember]:
    """The register entries that belong to this person, across the organisations they work for."""
    return StaffMember.objects.filter(user=user, personal_data_removed_at__isnull=True).select_related(
        "organisation", "job_role"
    )


def own_requirement_list_for(*, user, organisation: Organisation) -> QuerySet[MandatoryTraining]:
    """The council's rules that apply to the organisation and its own, for its admins."""
    require(permissions.can_manage_staff(user, organisation))
    return (
        MandatoryTraining.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True, sector__organisations=organisation)
        )
        .select_related("category", "job_role", "sector")
        .order_by("organisation", "category__name", "job_role__name")
    )


@dataclass
class MatrixCell:
    """One person's standing in one category."""

    status: Status | None  # None when the category is not required of them and they hold none
    required: bool
    expires_on: datetime.date | None = None


@dataclass
class MatrixRow:
    staff: StaffMember
    cells: list[MatrixCell]


def reminder_window() -> int:
    """Days before expiry that count as 'expiring soon' (the council's reminder setting; one small query, so read it
    once a request and pass it along)."""
    return RecordsSettings.current().reminder_days


def mandatory_for(organisation: Organisation) -> tuple[MandatorySet, list[TrainingCategory]]:
    """The organisation's mandatory set and the matrix's columns, every category mandatory for some role here (two
    small queries: read them once a request)."""
    mandatory = mandatory_set(organisation)
    return mandatory, list(TrainingCategory.objects.filter(pk__in=mandatory.all_categories).order_by("name"))


def required_cover(mandatory: MandatorySet) -> Q:
    """Covers in a category mandatory for their person's job role (covers carry it), as few conditions as the rules
    allow: the categories every role needs, then one condition for each set of roles that need the same others.

    The database tests this on every cover it reads: a condition per job role made it the bulk of the work.
    """
    required = Q(category_id__in=mandatory.every_role)
    for roles, categories in mandatory.role_groups():
        required |= Q(job_role_id__in=roles, category_id__in=categories)
    return required


def _status_filter(
    organisation: Organisation, mandatory: MandatorySet, status: str, today: datetime.date, window: int
) -> Q:
    """People with at least one mandatory category in the given status, from one pass over the provider's covers
    (an index holds everything the pass reads, so it never visits the table)."""
    covers = TrainingCover.objects.filter(required_cover(mandatory), organisation=organisation)
    if status == Status.EXPIRED:
        return Q(pk__in=covers.filter(expires_on__lt=today).values("staff_id"))
    if status == Status.EXPIRING:
        soon = today + datetime.timedelta(days=window)
        return Q(pk__in=covers.filter(expires_on__gte=today, expires_on__lte=soon).values("staff_id"))
    if status == Status.MISSING:
        groups = mandatory.role_groups()
        # Complete people hold as many required covers as their role requires. Their covers all carry their one role:
        # reading it as an aggregate lets the database group by person alone, in the order of the index.
        complete = (
            covers.values("staff_id")
            .annotate(n=Count("pk"), role=Max("job_role_id"))
            .filter(
                n__gte=Case(
                    *(When(role__in=roles, then=Value(len(mandatory.every_role | extra))) for roles, extra in groups),
                    default=Value(len(mandatory.every_role)),
                )
            )
        )
        # Nobody misses a category their role does not need (the chosen categories may be needed by some roles only).
        needing = (
            Q() if mandatory.every_role else Q(job_role_id__in=[role for roles, _extra in groups for role in roles])
        )
        return needing & ~Q(pk__in=complete.values("staff_id"))
    return Q()


def matrix_for(
    *,
    user,
    organisation: Organisation,
    location=None,
    job_role=None,
    status: str = "",
    categories=None,
    rules: tuple[MandatorySet, list[TrainingCategory]] | None = None,
    today: datetime.date | None = None,
    window: int | None = None,
) -> tuple[QuerySet[StaffMember], list[TrainingCategory], MandatorySet]:
    """The current staff (filtered) and the columns of the training matrix: the chosen categories, or all.

    `rules` (the organisation's `mandatory_for`), `today` and `window` are read here unless the caller has them.
    """
    staff = staff_list_for(user=user, organisation=organisation, location=location, job_role=job_role)
    mandatory, columns = rules or mandatory_for(organisation)
    if categories:
        # The status filter and the cells then speak of the chosen categories only.
        chosen = set(categories)
        mandatory = mandatory.only(chosen)
        columns = [c for c in columns if c.pk in chosen]
    if status:
        today = today or timezone.localdate()
        window = reminder_window() if window is None else window
        staff = staff.filter(_status_filter(organisation, mandatory, status, today, window))
    return staff, columns, mandatory


def matrix_rows(
    staff_page, columns: list[TrainingCategory], mandatory: MandatorySet, *, today=None, window=None
) -> list[MatrixRow]:
    """One row per person on the page, one cell per column, from one query of their covers.

    A page holds a thousand cells: plain tuples rather than model instances, and each role's requirements and each
    expiry date's status worked out once.
    """
    today = today or timezone.localdate()
    window = reminder_window() if window is None else window
    people = list(staff_page)
    column_ids = [c.pk for c in columns]
    held: dict[int, dict[int, datetime.date | None]] = {}
    for staff_id, category_id, expires_on in TrainingCover.objects.filter(
        staff__in=[p.pk for p in people], category__in=column_ids
    ).values_list("staff_id", "category_id", "expires_on"):
        held.setdefault(staff_id, {})[category_id] = expires_on
    required_of: dict[int, set[int]] = {}
    status_of: dict[datetime.date | None, Status] = {}
    rows = []
    for person in people:
        if person.job_role_id not in required_of:
            required_of[person.job_role_id] = mandatory.for_role(person.job_role_id)
        required = required_of[person.job_role_id]
        covers = held.get(person.pk, {})
        cells = []
        for category_id in column_ids:
            is_required = category_id in required
            if category_id in covers:
                expires_on = covers[category_id]
                if expires_on not in status_of:
                    status_of[expires_on] = cover_status(expires_on, today=today, window_days=window)
                cells.append(MatrixCell(status_of[expires_on], is_required, expires_on))
            else:
                cells.append(MatrixCell(Status.MISSING if is_required else None, is_required))
        rows.append(MatrixRow(staff=person, cells=cells))
    return rows


@dataclass
class CategoryCompliance:
    """How the provider's current staff stand in one mandatory category."""

    category: TrainingCategory
    counts: Counts = Counts()


def compliance_for(*, user, organisation: Organisation, window: int) -> list[CategoryCompliance]:
    """Per mandatory category: how many current staff must hold it and where they stand (five small queries, and one
    pass over the provider's covers that an index holds entire)."""
    require(permissions.can_manage_staff(user, organisation))
    today = timezone.localdate()
    mandatory, columns = mandatory_for(organisation)
    people_by_role = dict(
        current_staff(organisation).values("job_role_id").annotate(n=Count("pk")).values_list("job_role_id", "n")
    )
    soon = today + datetime.timedelta(days=window)
    # Leavers are few: leaving them out by id is far cheaper than reading every person behind every cover.
    leavers = StaffMember.objects.filter(organisation=organisation, leaving_date__isnull=False).values("pk")
    held = (
        TrainingCover.objects.filter(organisation=organisation)
        .exclude(staff_id__in=leavers)
        .values("job_role_id", "category_id")
        # Counted by a column the index holds (every cover has a person), two conditions a cover and not three.
        .annotate(
            held=Count("staff_id"),
            expired=Count("staff_id", filter=Q(expires_on__lt=today)),
            expiring=Count("staff_id", filter=Q(expires_on__gte=today, expires_on__lte=soon)),
        )
        .order_by()
    )
    # Plain sums, and each role's requirements worked out once: the counts come in some 700 rows.
    required_of = {role: mandatory.for_role(role) for role in mandatory.by_role}
    sums = {c.pk: [0, 0, 0, 0] for c in columns}  # required, held, expiring, expired
    for role, n in people_by_role.items():
        for category_id in required_of.get(role, mandatory.every_role):
            sums[category_id][0] += n
    for role, category_id, n_held, n_expiring, n_expired in held.values_list(
        "job_role_id", "category_id", "held", "expiring", "expired"
    ):  # every category held, the optional ones too: filtering them out in SQL costs more
        if category_id in required_of.get(role, mandatory.every_role):
            figures = sums[category_id]
            figures[1] += n_held
            figures[2] += n_expiring
            figures[3] += n_expired
    result = []
    for category in columns:
        required, n_held, n_expiring, n_expired = sums[category.pk]
        if required:
            in_date = n_held - n_expiring - n_expired
            result.append(CategoryCompliance(category, Counts(required, in_date, n_expiring, n_expired)))
    return result


def expiring_list_for(*, user, organisation: Organisation, window: int, limit: int = 50) -> QuerySet[TrainingCover]:
    """Current staff's training that expires within the reminder window, soonest first."""
    require(permissions.can_manage_staff(user, organisation))
    today = timezone.localdate()
    leavers = StaffMember.objects.filter(organisation=organisation, leaving_date__isnull=False).values("pk")
    return (
        TrainingCover.objects.filter(
            organisation=organisation,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=window),
        )
        .exclude(staff_id__in=leavers)
        .select_related("staff", "category")
        .only("expires_on", "staff__name", "category__name")  # what the overview shows of them
        .order_by("expires_on", "pk")[:limit]
    )


def job_role_choices() -> QuerySet[JobRole]:
    return JobRole.objects.filter(is_active=True).order_by("name")


def staff_status_counts(*, user, organisation: Organisation, statuses: list[str], window: int) -> dict[str, int]:
    """How many current staff have at least one required category in each status (the matrix's status filter),
    counted in one query."""
    require(permissions.can_manage_staff(user, organisation))
    mandatory = mandatory_set(organisation)
    today = timezone.localdate()
    return current_staff(organisation).aggregate(
        **{
            status: Count("pk", filter=_status_filter(organisation, mandatory, status, today, window))
            for status in statuses
        }
    )


def own_standing_for(*, user, staff: StaffMember) -> list[tuple[TrainingCategory, MatrixCell]]:
    """Where a person stands in each category their provider's matrix shows for them (in date, expiring soon,
    expired or missing), worked out as the matrix works it out, for the person or their provider's admins."""
    require(permissions.can_manage_staff(user, staff.organisation) or staff.user_id == user.pk)
    mandatory, columns = mandatory_for(staff.organisation)
    row = matrix_rows([staff], columns, mandatory)[0]
    return [(category, cell) for category, cell in zip(columns, row.cells, strict=True) if cell.status is not None]


def category_choices() -> QuerySet[TrainingCategory]:
    """The training categories in use, with their ASC-WDS codes, for choosing a record's category."""
    return TrainingCategory.objects.filter(is_active=True).order_by("name")


def organisation_record_list_for(
    *, user, organisation: Organisation, staff_id: int | None = None, category_id: int | None = None
) -> QuerySet[TrainingRecord]:
    """Every training record of the organisation's register (leavers too, not those whose data was removed), to its
    admins only, a person's records together in the order they were added.

    The staff are a subquery, not a join, and the order is the records' (staff_id, id): the database then reads each
    page straight from the index on staff_id instead of sorting every record of a large provider (50,000) for it."""
    require(permissions.can_manage_staff(user, organisation))
    staff = StaffMember.objects.filter(organisation=organisation, personal_data_removed_at=None).values("pk")
    records = TrainingRecord.objects.filter(staff_id__in=staff)
    if staff_id is not None:
        records = records.filter(staff_id=staff_id)
    if category_id is not None:
        records = records.filter(category_id=category_id)
    return records.select_related("category").order_by("staff_id", "pk")
