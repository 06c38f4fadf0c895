"""A provider's training records and staff register as files: the ASC-WDS training file and our templates.

The ASC-WDS training file is a machine file, written exactly as ASC-WDS reads it and as CSV only (ASC-WDS accepts
only CSV): its header, its codes, DD/MM/YYYY dates, values as they are (no apostrophe before '=', '+', '-', '@'),
no byte order mark, LOCALESTID the workplace reference of the person's location (or of the provider), UNIQUEWORKERID
the person's reference. A training upload replaces all of a worker's training in ASC-WDS, so a row ASC-WDS would
reject is not written: people without a reference or a workplace reference are left out and named on the export
page. A category without an ASC-WDS code goes out as 21 (Other) with its name in TRAININGNAME; an external provider
we have no code for goes out as 999 (other). Importing the file again gives the same records.

Our templates are files for people: they go through core's CSV response (byte order mark, formula neutralising).
"""

from collections.abc import Iterable, Iterator

from django.db.models import Case, CharField, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.http import StreamingHttpResponse

from carenetwork.core.csv import csv_chunks
from carenetwork.core.csv import csv_response as people_csv_response
from carenetwork.organisations.models import Organisation
from carenetwork.records.imports.layouts import (
    ASCWDS_TRAINING_HEADER,
    STAFF_TEMPLATE_HEADER,
    TRAINING_TEMPLATE_HEADER,
)
from carenetwork.records.imports.values import js_length
from carenetwork.records.models import StaffMember, TrainingRecord

OTHER_CATEGORY = 21
OTHER_PROVIDER = 999
CHUNK = 2000
Record = TrainingRecord
ACCREDITED_CODES = {Record.Accredited.YES: 1, Record.Accredited.NO: 0, Record.Accredited.DONT_KNOW: 999}
DELIVERED_BY_CODES = {Record.DeliveredBy.IN_HOUSE: 1, Record.DeliveredBy.EXTERNAL: 2}
HOW_DELIVERED_CODES = {Record.HowDelivered.FACE_TO_FACE: 1, Record.HowDelivered.E_LEARNING: 2}
# The template's words (file vocabulary: English whatever the interface language, so files read back the same).
ACCREDITED_WORDS = {Record.Accredited.YES: "Yes", Record.Accredited.NO: "No", Record.Accredited.DONT_KNOW: "Don't know"}
DELIVERED_BY_WORDS = {Record.DeliveredBy.IN_HOUSE: "In-house staff", Record.DeliveredBy.EXTERNAL: "External provider"}
HOW_DELIVERED_WORDS = {Record.HowDelivered.FACE_TO_FACE: "Face to face", Record.HowDelivered.E_LEARNING: "E-learning"}
DOES_NOT_EXPIRE = "Does not expire"

TRAINING_EXAMPLE = [
    "W0001",
    "Alex Example",
    "Safeguarding adults",
    "Safeguarding adults level 2",
    "15/01/2025",
    "",
    "Yes",
    "External provider",
    "Skills for Care",
    "Face to face",
    "Leave the expiry date empty to use the category's refresh period",
]
STAFF_EXAMPLE = ["Alex Example", "W0001", "Care worker", "", "01/04/2024", "", "alex@example.org"]


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _staff(organisation, leavers: bool):
    staff = StaffMember.objects.filter(organisation=organisation, personal_data_removed_at__isnull=True)
    return staff if leavers else staff.filter(leaving_date__isnull=True)


def _records(organisation, leavers: bool, *fields):
    records = TrainingRecord.objects.filter(
        staff__organisation=organisation, staff__personal_data_removed_at__isnull=True
    )
    if not leavers:
        records = records.filter(staff__leaving_date__isnull=True)
    order = ("staff__name", "staff_id", "category__name", "completed_on", "pk")
    return records.order_by(*order).values_list(*fields).iterator(chunk_size=CHUNK)


def _workplace(organisation):
    """Each person's LOCALESTID: their location's workplace reference, else the provider's (one workplace)."""
    return Coalesce(
        NullIf("staff__location__ascwds_workplace_id", Value("")),
        Value(organisation.ascwds_workplace_id),
        output_field=CharField(),
    )


def _ascwds_ready(organisation):
    """People whose rows ASC-WDS can take: a reference, and a workplace reference for LOCALESTID."""
    ready = ~Q(reference="")
    if not organisation.ascwds_workplace_id:
        ready &= Q(location__isnull=False) & ~Q(location__ascwds_workplace_id="")
    return ready


def ascwds_left_out(organisation, *, leavers: bool = False):
    """The people the ASC-WDS file leaves out, and why: (no reference, no workplace reference) querysets."""
    staff = _staff(organisation, leavers).filter(training_records__isnull=False).distinct().order_by("name", "pk")
    no_reference = staff.filter(reference="")
    no_workplace = (
        staff.none()
        if organisation.ascwds_workplace_id
        else staff.exclude(reference="").filter(Q(location__isnull=True) | Q(location__ascwds_workplace_id=""))
    )
    return no_reference, no_workplace


def _trim(text: str, limit: int) -> str:
    while js_length(text) > limit:
        text = text[:-1]
    return text


def ascwds_training_rows(organisation, *, leavers: bool = False) -> Iterator[list]:
    """The header and one row per training record in the ASC-WDS training file layout, values exactly."""
    yield list(ASCWDS_TRAINING_HEADER)
    records = TrainingRecord.objects.filter(
        staff__organisation=organisation, staff__personal_data_removed_at__isnull=True
    )
    records = records.filter(staff__in=_staff(organisation, leavers).filter(_ascwds_ready(organisation)))
    # A brokered course's training provider, when it is on ASC-WDS's list: its code, looked up when writing so that
    # a code set after the course still counts.
    broker_code = Organisation.objects.filter(
        kind=Organisation.Kind.TRAINING, name=OuterRef("provider_name"), ascwds_provider_code__isnull=False
    ).values("ascwds_provider_code")[:1]
    records = records.annotate(
        workplace=_workplace(organisation),
        code_known=Coalesce(
            "provider_code",
            Case(When(source=Record.Source.BROKERED, then=Subquery(broker_code)), default=None),
            output_field=IntegerField(),
        ),
    )
    order = ("staff__name", "staff_id", "category__name", "completed_on", "pk")
    fields = (
        "workplace",
        "staff__reference",
        "category__code",
        "category__name",
        "training_name",
        "accredited",
        "delivered_by",
        "code_known",
        "how_delivered",
        "validity_months",
        "does_not_expire",
        "completed_on",
        "expires_on",
        "notes",
    )
    for (
        workplace,
        reference,
        code,
        category,
        name,
        accredited,
        delivered_by,
        provider_code,
        how,
        validity,
        never,
        completed,
        expires,
        notes,
    ) in records.order_by(*order).values_list(*fields).iterator(chunk_size=CHUNK):
        if code is None:
            code, name = OTHER_CATEGORY, _trim(f"{category} – {name}" if name else category, 120)
        external = delivered_by == Record.DeliveredBy.EXTERNAL
        yield [
            workplace,
            reference,
            code,
            name,
            ACCREDITED_CODES.get(accredited, ""),
            DELIVERED_BY_CODES.get(delivered_by, ""),
            (provider_code or OTHER_PROVIDER) if external else "",
            HOW_DELIVERED_CODES.get(how, ""),
            "none" if never else (validity or ""),
            _day(completed),
            _day(expires),
            notes,
        ]


def template_training_rows(organisation, *, leavers: bool = False) -> Iterator[list]:
    """The header and one row per training record in our training template."""
    yield list(TRAINING_TEMPLATE_HEADER)
    fields = (
        "staff__reference",
        "staff__name",
        "category__name",
        "training_name",
        "completed_on",
        "expires_on",
        "does_not_expire",
        "accredited",
        "delivered_by",
        "provider_name",
        "provider_code",
        "how_delivered",
        "notes",
    )
    for (
        reference,
        person,
        category,
        name,
        completed,
        expires,
        never,
        accredited,
        delivered_by,
        provider,
        code,
        how,
        notes,
    ) in _records(organisation, leavers, *fields):
        yield [
            reference,
            person,
            category,
            name,
            _day(completed),
            DOES_NOT_EXPIRE if never and not expires else _day(expires),
            ACCREDITED_WORDS.get(accredited, ""),
            DELIVERED_BY_WORDS.get(delivered_by, ""),
            provider or (str(code) if code else ""),
            HOW_DELIVERED_WORDS.get(how, ""),
            notes,
        ]


def staff_rows(organisation, *, leavers: bool = False) -> Iterator[list]:
    """The header and one row per person in our staff template."""
    yield list(STAFF_TEMPLATE_HEADER)
    people = (
        _staff(organisation, leavers)
        .order_by("name", "pk")
        .values_list("name", "reference", "job_role__name", "location__name", "start_date", "leaving_date", "email")
    )
    for name, reference, role, location, start, leaving, email in people.iterator(chunk_size=CHUNK):
        yield [
            name,
            reference,
            role,
            location or "",
            _day(start),
            _day(leaving),
            email,
        ]


def template_rows(kind: str) -> list[list]:
    """A blank template with one example row."""
    if kind == "staff":
        return [STAFF_TEMPLATE_HEADER, STAFF_EXAMPLE]
    return [TRAINING_TEMPLATE_HEADER, TRAINING_EXAMPLE]


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """Our templates as a CSV download for people (byte order mark, formulas neutralised): see core.csv."""
    return people_csv_response(rows, filename)


def ascwds_csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """The ASC-WDS file exactly: values as they are, no byte order mark (ASC-WDS recognises the file by its first
    heading, LOCALESTID), CRLF line endings as Python's csv module writes them."""
    response = StreamingHttpResponse(
        csv_chunks(rows, bom=False, neutralised=False), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
