"""Spreadsheet-safe cells: what protect() writes, unprotect() reads back exactly."""

import pytest

from localdir.spreadsheet import protect, unprotect


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33241000000", "'+33241000000"),
        ("-0,5", "'-0,5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1", "''=1"),
        ("''+1", "'''+1"),
        ("'plain", "'plain"),
        ("'", "'"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_it_protects_formulas_and_reads_every_value_back(value, cell):
    assert protect(value) == cell
    assert unprotect(cell) == value


def test_numbers_are_left_as_numbers():
    assert protect(-0.55) == -0.55


def test_a_cell_protected_by_hand_in_a_spreadsheet_is_read_as_its_text():
    assert unprotect("'=A1") == "=A1"
    assert unprotect(None) is None
