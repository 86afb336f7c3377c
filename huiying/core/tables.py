"""Reading spreadsheets users upload (CSV in any encoding Chinese Excel writes, or .xlsx),
and the per-row error report every all-or-nothing import gives back."""
import codecs
import csv
import dataclasses
import io
from pathlib import Path

from django.utils.translation import gettext_lazy as _


@dataclasses.dataclass(frozen=True)
class RowError:
    """One problem, where the user sees it: `row` as numbered in the spreadsheet (header = 1;
    0 = the file as a whole) and `column` as its header is written in the file."""

    row: int
    column: str
    code: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return str(_("Row %(row)s, %(column)s: %(message)s") % {"row": self.row, "column": self.column, "message": self.message})


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def file_error(message, **params) -> ImportFailed:
    return ImportFailed([RowError(0, "", "file", str(message % params if params else message))])


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else GB18030,
    the superset of GBK that Chinese Excel writes CSV in."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise file_error(_("The file is neither UTF-8 nor GBK text. Save it as CSV UTF-8 or as .xlsx."))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code or phone typed as a number
    return str(value).strip()


def read_table(path, *, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number, cell texts) for every row of a CSV file or an Excel sheet."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise file_error(_("Cannot read the file %(path)s."), path=str(path)) from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_error(_("This is an old .xls workbook. Save it as .xlsx or as CSV."))
    if not data.startswith(b"PK\x03\x04"):
        if sheet:
            raise file_error(_("--sheet only applies to Excel files."))
        text = _decode(data)
        first = text.split("\n", 1)[0]
        dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
        # Records, not lines, are numbered: a quoted cell may hold line breaks but is one row.
        return [(n, [c.strip() for c in cells]) for n, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1)]
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise file_error(_("Cannot read this Excel file: %(error)s"), error=str(exc)) from None
    try:
        if sheet and sheet not in book.sheetnames:
            raise file_error(_("The workbook has no sheet %(sheet)s; it has: %(sheets)s."), sheet=sheet, sheets=", ".join(book.sheetnames))
        ws = book[sheet] if sheet else book.worksheets[0]
        ws.reset_dimensions()  # some writers store wrong dimensions; read every row there is
        return [(n, [_cell_text(v) for v in row]) for n, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
