"""Helpers for the import tests: files built in memory, and a run taken through checking and writing."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from carenetwork.records.imports import runs
from carenetwork.records.imports.layouts import (
    ASCWDS_TRAINING_HEADER,
    STAFF_TEMPLATE_HEADER,
    TRAINING_TEMPLATE_HEADER,
)
from carenetwork.records.models import ImportRun
from tests.records.factories import StaffMemberFactory

ASCWDS_STAFF_HEADER = (
    "LOCALESTID,UNIQUEWORKERID,STATUS,DISPLAYID,NINUMBER,POSTCODE,DOB,GENDER,ETHNICITY,NATIONALITY,"
    "BRITISHCITIZENSHIP,COUNTRYOFBIRTH,YEAROFENTRY,DISABLED,CARECERT,L2CARECERT,RECSOURCE,HANDCVISA,"
    "INOUTUK,STARTDATE,STARTINSECT,DHA,APPRENTICE,EMPLSTATUS,ZEROHRCONT,DAYSSICK,SALARYINT,SALARY,"
    "HOURLYRATE,MAINJOBROLE,MAINJRDESC,CONTHOURS,AVGHOURS,NMCREG,AMHP,SCQUAL,NONSCQUAL,CWPCATEGORY,"
    "QUALACH01,QUALACH01NOTES,QUALACH02,QUALACH02NOTES,QUALACH03,QUALACH03NOTES"
).split(",")

# A valid ASC-WDS training row for W00001: safeguarding adults (20), completed 15/01/2026.
GOOD_ROW = {
    "LOCALESTID": "Willow House",
    "UNIQUEWORKERID": "W00001",
    "CATEGORY": "20",
    "TRAININGNAME": "Safeguarding adults level 2",
    "ACCREDITED": "1",
    "WHODELIVERED": "2",
    "PROVIDERNAME": "88",
    "HOWDELIVERED": "1",
    "VALIDITY": "",
    "DATECOMPLETED": "15/01/2026",
    "EXPIRYDATE": "",
    "NOTES": "",
}


def ascwds_row(**changes) -> dict:
    return {**GOOD_ROW, **changes}


def csv_bytes(header: list[str], rows: list, *, encoding: str = "utf-8") -> bytes:
    """A CSV file; each row a dict by heading or a list in header order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], rows: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def training_file(rows: list, *, header=ASCWDS_TRAINING_HEADER) -> bytes:
    return csv_bytes(list(header), rows)


def template_training_file(rows: list) -> bytes:
    return csv_bytes(TRAINING_TEMPLATE_HEADER, rows)


def staff_template_file(rows: list) -> bytes:
    return csv_bytes(STAFF_TEMPLATE_HEADER, rows)


def register(organisation, count: int = 3, **fields) -> list:
    """People W00001, W00002… on the organisation's register."""
    return [StaffMemberFactory(organisation=organisation, reference=f"W{n:05d}", **fields) for n in range(1, count + 1)]


def check(actor, organisation, data: bytes, *, kind=ImportRun.Kind.TRAINING, name="training.csv", capture):
    """Upload a file and let the check task run; the run as it is afterwards."""
    with capture(execute=True):
        run = runs.import_run_create(
            actor=actor, organisation=organisation, kind=kind, upload=SimpleUploadedFile(name, data)
        )
    run.refresh_from_db()
    return run


def write(actor, run, *, capture, valid_only=False):
    with capture(execute=True):
        runs.import_run_confirm(actor=actor, run=run, valid_only=valid_only)
    run.refresh_from_db()
    return run


def messages(run) -> list[tuple]:
    """(row, column, level, message) of each stored message."""
    return [(m["row"], m["column"], m["level"], m["message"]) for m in run.report["messages"]]


def errors(run) -> list[tuple]:
    return [(row, column, message) for row, column, level, message in messages(run) if level == "error"]


def warnings(run) -> list[tuple]:
    return [(row, column, message) for row, column, level, message in messages(run) if level == "warning"]
