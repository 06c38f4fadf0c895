"""The people-facing CSV response: UTF-8 with a byte order mark, formula injection neutralised, streamed."""

import csv
import io
from decimal import Decimal

from carenetwork.core.csv import Rows, csv_response, neutralise


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_people_facing_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8():
    response = csv_response([["Name", "Cost"], ["Care – home", "£5"]], "file.csv")
    data = body(response)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="file.csv"'
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [["Name", "Cost"], ["Care – home", "£5"]]


def test_people_facing_csv_neutralises_formulas_but_keeps_numbers():
    rows = [["=1+1", "+44", "-3", "@SUM", 7, None, "plain"]]
    text = body(csv_response(rows, "f.csv")).decode("utf-8-sig")
    assert text.strip() == "'=1+1,'+44,'-3,'@SUM,7,,plain"
    assert neutralise("'=already") == "'=already"
    assert neutralise(Decimal("-12.50")) == Decimal("-12.50")  # a negative saving stays a number


def test_people_facing_csv_streams_many_rows_in_chunks():
    rows = Rows()
    for n in range(1200):
        rows.writerow([n])
    chunks = list(csv_response(rows, "f.csv").streaming_content)
    assert len(chunks) == 3
    assert b"".join(chunks).decode("utf-8-sig").splitlines()[-1] == "1199"
