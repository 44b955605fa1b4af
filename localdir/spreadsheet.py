"""CSV cells a spreadsheet shows as text: formula injection neutralised on export, and undone on import.

OWASP's CSV injection advice: a cell starting with =, +, -, @, a tab or a carriage return may be run as a
formula when the file is opened, so it is written with a leading apostrophe, which spreadsheets take as "text"
and do not show. defusedcsv does this on writing but also rewrites "|" (our list separator) and has no way back;
an export must re-import unchanged, so the apostrophe is added only where needed and removed exactly once.
"""

import re

# Apostrophes first: a value that already starts with "'=" gets one more, so that reading takes exactly one off.
_NEEDS_PROTECTION = re.compile(r"'*[=+\-@\t\r]")
_TRIGGERS = "'=+-@\t\r"


def protect(value):
    """The value to write in a cell; only text that a spreadsheet could run changes."""
    if isinstance(value, str) and value[:1] in _TRIGGERS and _NEEDS_PROTECTION.match(value):
        return "'" + value
    return value


def unprotect(cell):
    """The value a cell written by protect() holds (a cell protected by hand in a spreadsheet too)."""
    if cell and cell[0] == "'" and _NEEDS_PROTECTION.match(cell, 1):
        return cell[1:]
    return cell
