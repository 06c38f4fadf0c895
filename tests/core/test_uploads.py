"""The shared upload rules: a file is what its content says, whatever its name."""

import io
import zipfile

from carenetwork.core.uploads import FILE_TYPES, looks_like


def _xlsx() -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    buffer.seek(0)
    return buffer


def test_a_spreadsheet_is_an_xlsx_and_not_a_word_document():
    upload = _xlsx()
    head = upload.read(8192)
    assert looks_like(".xlsx", head, upload)
    assert not looks_like(".docx", head, upload)


def test_a_pdf_named_csv_is_not_a_csv():
    head = b"%PDF-1.7 some text"
    assert not looks_like(".csv", head, io.BytesIO(head))
    assert looks_like(".pdf", head, io.BytesIO(head))


def test_binary_content_is_not_text():
    head = b"name,date\n\x00\x01\x02"
    assert not looks_like(".csv", head, io.BytesIO(head))
    assert looks_like(".csv", b"name,date\nAnn,2026-01-01\n", io.BytesIO())


def test_forums_and_records_use_the_same_rules():
    from carenetwork.forums.uploads import PAPER_TYPES

    assert PAPER_TYPES is FILE_TYPES
