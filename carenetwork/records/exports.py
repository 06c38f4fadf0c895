"""A provider's training records and staff register as files: the ASC-WDS training file and our templates, as CSV
(streamed, so a million rows need no memory) or XLSX.

The ASC-WDS training file is written exactly as ASC-WDS reads it: its header, its codes, DD/MM/YYYY dates. A category
without an ASC-WDS code goes out as 21 (Other) with its name in TRAININGNAME; an external provider we have no code for
goes out as 999 (other). Importing the file again gives the same records.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse

from carenetwork.records.imports.layouts import (
    ASCWDS_TRAINING_HEADER,
    STAFF_TEMPLATE_HEADER,
    TRAINING_TEMPLATE_HEADER,
)
from carenetwork.records.imports.parsing import FORMULA_STARTS, escape
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


def ascwds_training_rows(organisation, *, leavers: bool = False) -> Iterator[list]:
    """The header and one row per training record in the ASC-WDS training file layout."""
    yield list(ASCWDS_TRAINING_HEADER)
    workplace = organisation.name[:50]
    fields = (
        "staff__reference",
        "staff__location__name",
        "category__code",
        "category__name",
        "training_name",
        "accredited",
        "delivered_by",
        "provider_code",
        "how_delivered",
        "validity_months",
        "completed_on",
        "expires_on",
        "notes",
    )
    for (
        reference,
        location,
        code,
        category,
        name,
        accredited,
        delivered_by,
        provider_code,
        how,
        validity,
        completed,
        expires,
        notes,
    ) in _records(organisation, leavers, *fields):
        if code is None:
            code, name = OTHER_CATEGORY, (f"{category} – {name}" if name else category)[:120]
        external = delivered_by == Record.DeliveredBy.EXTERNAL
        yield [
            escape((location or workplace)[:50]),
            escape(reference),
            code,
            escape(name),
            ACCREDITED_CODES.get(accredited, 999),
            DELIVERED_BY_CODES.get(delivered_by, ""),
            (provider_code or OTHER_PROVIDER) if external else "",
            HOW_DELIVERED_CODES.get(how, ""),
            "none" if expires is None else (validity or ""),
            _day(completed),
            _day(expires),
            escape(notes),
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
        accredited,
        delivered_by,
        provider,
        code,
        how,
        notes,
    ) in _records(organisation, leavers, *fields):
        yield [
            escape(reference),
            escape(person),
            escape(category),
            escape(name),
            _day(completed),
            _day(expires) if expires else DOES_NOT_EXPIRE,
            ACCREDITED_WORDS.get(accredited, ""),
            DELIVERED_BY_WORDS.get(delivered_by, ""),
            escape(provider or (str(code) if code else "")),
            HOW_DELIVERED_WORDS.get(how, ""),
            escape(notes),
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
            escape(name),
            escape(reference),
            escape(role),
            escape(location or ""),
            _day(start),
            _day(leaving),
            escape(email),
        ]


def template_rows(kind: str) -> list[list]:
    """A blank template with one example row."""
    if kind == "staff":
        return [STAFF_TEMPLATE_HEADER, STAFF_EXAMPLE]
    return [TRAINING_TEMPLATE_HEADER, TRAINING_EXAMPLE]


def staff_without_reference_count(organisation, *, leavers: bool = False) -> int:
    """People whose training cannot be matched when an ASC-WDS file is imported back."""
    return _staff(organisation, leavers).filter(reference="").count()


def _csv_chunks(rows: Iterable[list], *, bom: bool) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(rows: Iterable[list], filename: str, *, bom: bool = True) -> StreamingHttpResponse:
    """Rows streamed as a CSV download (with a byte order mark so that Excel reads UTF-8, unless told not to)."""
    response = StreamingHttpResponse(_csv_chunks(rows, bom=bom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(rows: Iterable[list], filename: str, *, sheet: str) -> FileResponse:
    """Rows as an XLSX download, built row by row in a temporary file."""
    from openpyxl import Workbook  # imported here: only XLSX exports need it
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
                value = value[1:]  # a string cell is never a formula in XLSX: no apostrophe needed
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        worksheet.append(cells)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
