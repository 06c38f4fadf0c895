"""Files made to hurt the import: each is refused quickly with a plain message, the declared dimension of a sheet
is not believed, and the check reads a file exactly as the write does (ENGINEERING.md: imports bound the work a
file can cause)."""

import io
import re
import time
import zipfile

import pytest

from carenetwork.records.imports import parsing
from carenetwork.records.imports.layouts import ASCWDS_TRAINING_HEADER
from carenetwork.records.imports.parsing import FileTooLarge, UnreadableFile, open_table
from carenetwork.records.models import ImportRun, TrainingRecord
from tests.records.test_imports_support import ascwds_row, check, errors, register, training_file, write, xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = list(ASCWDS_TRAINING_HEADER)
COULD_NOT_READ = "We could not read this file. Save it as CSV or XLSX from your spreadsheet and try again"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _rezip(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with some of its parts replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {e.filename: source.read(e) for e in source.infolist()} | parts
    return _zip(parts)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def _with_shared_strings(data: bytes, count: int, name: str = "xl/sharedStrings.xml") -> bytes:
    """The workbook with a shared strings part of `count` strings, declared where openpyxl looks for it."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {e.filename: source.read(e) for e in source.infolist()}
    parts[name] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * count
        + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/{name}" ContentType="{parsing.SHARED_STRINGS_TYPE}" /></Types>'.encode(),
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="/' + name.encode() + b'" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" /></Relationships>',
    )
    return _zip(parts)


def _sheet(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_a_small_workbook_with_millions_of_shared_strings_is_refused_before_they_are_read():
    data = _with_shared_strings(xlsx_bytes(HEADER, [ascwds_row()]), 2_000_000)
    assert len(data) < 500 * 1024  # small to upload
    with pytest.raises(FileTooLarge, match="The file is too large"):
        open_table(data, ".xlsx")


def test_shared_strings_kept_under_another_name_are_counted_too():
    data = _with_shared_strings(xlsx_bytes(HEADER, [ascwds_row()]), parsing.MAX_SHARED_STRINGS + 1, "xl/words.xml")
    with pytest.raises(FileTooLarge):
        open_table(data, ".xlsx")


def test_shared_strings_declared_with_the_attributes_the_other_way_round_are_counted_too():
    data = _with_shared_strings(xlsx_bytes(HEADER, [ascwds_row()]), parsing.MAX_SHARED_STRINGS + 1, "xl/strs.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    swapped = types.replace(
        f'<Override PartName="/xl/strs.xml" ContentType="{parsing.SHARED_STRINGS_TYPE}" />'.encode(),
        f'<Override ContentType="{parsing.SHARED_STRINGS_TYPE}" PartName="/xl/strs.xml" />'.encode(),
    )
    assert swapped != types
    with pytest.raises(FileTooLarge):
        open_table(_rezip(data, {"[Content_Types].xml": swapped}), ".xlsx")


def test_a_content_types_part_too_large_to_check_is_refused():
    data = xlsx_bytes(HEADER, [ascwds_row()])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    padded = types.replace(b"</Types>", b"<!--" + b" " * parsing.MAX_CONTENT_TYPES_BYTES + b"--></Types>")
    with pytest.raises(FileTooLarge):
        open_table(_rezip(data, {"[Content_Types].xml": padded}), ".xlsx")


def test_a_content_types_part_declaring_entities_is_unreadable():
    data = xlsx_bytes(HEADER, [ascwds_row()])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    entities = types.replace(b"<Types", b'<!DOCTYPE Types [<!ENTITY a "aaaa">]><Types', 1)
    with pytest.raises(UnreadableFile):
        open_table(_rezip(data, {"[Content_Types].xml": entities}), ".xlsx")


def test_a_workbook_with_shared_strings_within_the_limit_is_read():
    table = open_table(_with_shared_strings(xlsx_bytes(HEADER, [ascwds_row()]), 1000), ".xlsx")
    assert table.header == HEADER


def test_rows_beyond_the_sheets_declared_dimension_are_read(provider, provider_admin, commit):
    register(provider, count=3)
    rows = [ascwds_row(UNIQUEWORKERID=f"W0000{n}") for n in (1, 2, 3)]
    data = xlsx_bytes(HEADER, rows)
    sheet = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:L2"', _sheet(data))
    data = _rezip(data, {"xl/worksheets/sheet1.xml": sheet})
    table = open_table(data, ".xlsx")
    assert [number for number, _cells in table.rows] == [2, 3, 4]
    run = check(provider_admin, provider, data, name="training.xlsx", capture=commit)
    assert run.status == ImportRun.Status.READY and run.report["to_write"] == 3


def test_a_row_numbered_past_any_spreadsheet_is_refused_quickly():
    data = xlsx_bytes(HEADER, [ascwds_row()])
    sheet = _sheet(data).replace(b'<row r="2"', b'<row r="2000000000"').replace(b'r="A2"', b'r="A2000000000"')
    data = _rezip(data, {"xl/worksheets/sheet1.xml": sheet})
    started = time.monotonic()
    with pytest.raises(FileTooLarge):
        list(open_table(data, ".xlsx").rows)
    assert time.monotonic() - started < 10


def test_a_file_with_more_rows_than_an_import_reads_says_so(provider, provider_admin, commit, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 5)
    register(provider, count=1)
    for data, name in [
        (training_file([ascwds_row()] * 6), "training.csv"),
        (xlsx_bytes(HEADER, [ascwds_row()] * 6), "training.xlsx"),
    ]:
        run = check(provider_admin, provider, data, name=name, capture=commit)
        assert run.status == ImportRun.Status.INVALID
        assert errors(run)[-1] == (
            7,
            "",
            "The file is too large: it has more than 5 rows. Split it into files of up to 5 rows and import each one",
        )


def test_a_row_wider_than_an_import_reads_says_so(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_COLUMNS", 12)
    table = open_table(training_file([[*ascwds_row().values(), "", "x"]]), ".csv")
    with pytest.raises(FileTooLarge, match="more than 12 columns"):
        list(table.rows)
    assert len(next(open_table(training_file([[*ascwds_row().values(), "", ""]]), ".csv").rows)[1]) == 12


def test_a_nul_byte_after_the_first_8_kb_fails_the_check_not_the_write(provider, provider_admin, commit):
    register(provider, count=1)
    rows = [ascwds_row(NOTES="x" * 100)] * 100 + [ascwds_row(NOTES="bad\x00note")]
    data = training_file(rows)
    assert data.index(b"\x00") > 8192
    run = check(provider_admin, provider, data, capture=commit)
    assert run.status == ImportRun.Status.INVALID
    assert errors(run) == [
        (
            102,
            "NOTES",
            "remove the hidden characters (such as tabs or codes copied from another program) from this cell",
        )
    ]
    run = write(provider_admin, run, capture=commit, valid_only=True)
    assert run.status == ImportRun.Status.DONE
    assert TrainingRecord.objects.exists()
    assert not [r.notes for r in TrainingRecord.objects.all() if "\x00" in r.notes]


# XML cannot hold C0 control characters at all (a workbook with one is unreadable); it can hold DEL and C1 ones.
@pytest.mark.parametrize("character", ["\x7f", "\x9b"])
def test_control_characters_in_an_xlsx_cell_are_refused(provider, provider_admin, commit, character):
    register(provider, count=1)
    data = xlsx_bytes(HEADER, [ascwds_row(TRAININGNAME=f"Moving{character}and handling")])
    run = check(provider_admin, provider, data, name="training.xlsx", capture=commit)
    assert run.status == ImportRun.Status.INVALID
    assert [column for _row, column, _message in errors(run)] == ["TRAININGNAME"]


def _workbook_with(name: str, content: bytes) -> bytes:
    return _rezip(xlsx_bytes(HEADER, [ascwds_row()]), {name: content})


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_workbook_with("xl/workbook.xml", b"<workbook><sheets"), id="broken workbook part"),
        pytest.param(_workbook_with("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r="), id="broken sheet"),
        pytest.param(_workbook_with("xl/styles.xml", b"\x00\x01not xml"), id="broken styles"),
    ],
)
def test_a_malformed_workbook_says_we_could_not_read_it(provider, provider_admin, commit, data):
    run = check(provider_admin, provider, data, name="training.xlsx", capture=commit)
    assert run.status == ImportRun.Status.INVALID
    assert COULD_NOT_READ in [message for _row, _column, message in errors(run)] or errors(run)[0][2].startswith(
        "We could not read the file from this row on"
    )


def test_a_malformed_zip_is_unreadable():
    data = xlsx_bytes(HEADER, [ascwds_row()])
    with pytest.raises(UnreadableFile):
        open_table(data[: len(data) // 2], ".xlsx")
