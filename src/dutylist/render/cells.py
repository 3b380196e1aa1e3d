"""Cell text shared by the spreadsheet renderings (CSV and XLSX)."""

from __future__ import annotations

#: A cell starting with one of these may be run as a formula by a spreadsheet (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as written, or with a leading ``'`` when a spreadsheet could read it as a formula.

    The quote is the OWASP recommendation: Excel and LibreOffice then show the text instead
    of evaluating it. Catalogue text comes from pull requests, so every text cell goes
    through here, in CSV and XLSX alike (the published value is the same in both).
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
