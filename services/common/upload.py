"""Tables people upload (CSV or XLSX): rows by header name, with errors in Korean.

Shared by every import (markets' stores, budget's programs): the file is read whole,
its header checked for the required columns, and blank rows dropped. Each row keeps its
line number in the file (``_line``) so an import can report errors where a person looks.
"""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from .problems import Problem

MAX_BYTES = 5 * 1024 * 1024


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 1200 as 1200.0
    return str(value)


def read_table(filename: str, data: bytes, required: tuple[str, ...], columns: tuple[str, ...]):
    """Rows of a CSV (UTF-8, or CP949 as Excel saves it) or XLSX file, by header name."""
    if len(data) > MAX_BYTES:
        raise Problem(413, f"파일은 {MAX_BYTES // 1024 // 1024} MB 이하로 올려 주세요.")
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            values = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:
            raise Problem(422, "XLSX 파일을 읽을 수 없습니다.") from exc
    elif filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Problem(422, "CSV 파일의 글자 인코딩을 알 수 없습니다(UTF-8 또는 CP949).")
        values = list(csv.reader(io.StringIO(text)))
    else:
        raise Problem(422, "CSV(.csv) 또는 엑셀(.xlsx) 파일만 받습니다.")
    if not values:
        raise Problem(422, "빈 파일입니다.")
    header = [h.strip() for h in values[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise Problem(
            422, f"첫 줄(머리글)에 {', '.join(missing)} 열이 없습니다. 열: {', '.join(columns)}"
        )
    return [
        {**dict(zip(header, row, strict=False)), "_line": line}
        for line, row in enumerate(values[1:], start=2)
        if any(c.strip() for c in row)
    ]
