"""Reads a usage report with independent readers (openpyxl, Python's csv) and prints it as JSON.

  readReport.py xlsx PATH           every sheet, every row (dates as ISO-8601)
  readReport.py xlsx PATH --summary per sheet: rows, and the sum of each numeric column
  readReport.py csv PATH            every record
"""
import csv
import datetime
import json
import sys

import openpyxl


def cell(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def read_xlsx(path, summary):
    # read_only: rows are parsed as they are read, as for a workbook of 100,000 rows.
    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for sheet in book.worksheets:
        if summary:
            rows, sums, types = 0, {}, {}
            for row in sheet.iter_rows(min_row=2, values_only=True):
                rows += 1
                for index, value in enumerate(row):
                    types.setdefault(index, type(value).__name__)
                    if isinstance(value, (int, float)):
                        sums[index] = sums.get(index, 0) + value
            out[sheet.title] = {"rows": rows, "sums": sums, "types": types}
        else:
            out[sheet.title] = [[cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return out


def read_csv(path):
    # utf-8-sig: the report starts with a byte order mark, for Excel.
    with open(path, newline="", encoding="utf-8-sig") as source:
        return list(csv.reader(source))


kind, path = sys.argv[1], sys.argv[2]
result = read_xlsx(path, "--summary" in sys.argv) if kind == "xlsx" else read_csv(path)
json.dump(result, sys.stdout)
