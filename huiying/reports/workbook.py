"""Tables to an Excel workbook (.xlsx): one sheet per table, Chinese headers, a frozen
header row, real dates, column widths that fit the text.

Every export (the concern register, the dashboard's tables) is written through `write`, so
they all look the same in a spreadsheet program.
"""
import dataclasses
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable


from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

MAX_WIDTH = 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")


@dataclasses.dataclass
class Table:
    """A titled table: what the dashboard shows and what a sheet holds."""

    title: str
    columns: list[str]
    rows: Iterable[list]


def text_width(value) -> int:
    """Display width: a Chinese character takes two columns of a spreadsheet's grid."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def sheet_title(title: str, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, each name once."""
    base = _BAD_SHEET_CHARS.sub("_", str(title)).strip() or "Sheet"
    name, n = base[:31], 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def write(tables: Iterable[Table], *, progress: Callable[[int], None] | None = None, every: int = 200) -> bytes:
    """The workbook's bytes. `progress(rows written so far)` is called every `every` rows."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    written = 0
    for table in tables:
        ws = book.create_sheet(sheet_title(table.title, taken))
        widths = [text_width(c) for c in table.columns]
        ws.append([str(c) for c in table.columns])
        for cell in ws[1]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(vertical="center")
        for r, row in enumerate(table.rows, start=2):
            row = [_cell(v) for v in row]
            ws.append(row)
            for i, value in enumerate(row[:len(widths)]):
                widths[i] = max(widths[i], text_width(value))
                if isinstance(value, dt.date):
                    ws.cell(row=r, column=i + 1).number_format = "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) else "yyyy-mm-dd"
            written += 1
            if progress is not None and written % every == 0:
                progress(written)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(6, width + 2))
        ws.freeze_panes = "A2"
    if not book.worksheets:
        book.create_sheet("Sheet")
    if progress is not None:
        progress(written)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    # Spreadsheets have no time zones: a time is written as the local wall-clock time.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, dt.date, str)):
        return value
    return str(value)  # lazy translations and the like

