"""Every CSV this project writes is safe to open in a spreadsheet, and reads back unchanged."""

from __future__ import annotations

import csv
import io

import pytest

from core.spreadsheet import safe_cell, unquote_cell, write_rows


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example/x","x")', "+358 40 123", "-1+1", "@SUM(A1)",
                                   "\t=1", "\r=1"])
def test_formula_starts_are_neutralised_and_read_back(value):
    cell = safe_cell(value)
    assert cell == "'" + value
    assert unquote_cell(cell) == value


@pytest.mark.parametrize("value", ["Aino", "", "'quoted by its author", "3", "a=b"])
def test_ordinary_cells_pass_unchanged(value):
    assert safe_cell(value) == value and unquote_cell(value) == value


def test_rows_and_header_are_written_safely():
    out = io.StringIO()
    write_rows(out, ["actor", "count"], [["=cmd|' /C calc'!A0", 2], [None, "+1"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["actor", "count"], ["'=cmd|' /C calc'!A0", "2"], ["", "'+1"]]
