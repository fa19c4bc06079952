#!/usr/bin/env python3
"""Reads an .xlsx file with openpyxl (an independent reader: not libxlsxwriter) and prints
its cells as JSON: {"sheets": [name, ...], "cells": {name: [[row, column, type, value], ...]}}
with 1-based rows and columns, type openpyxl's data_type ("n" number, "s" string, "b" bool,
"d" date) and only the cells holding a value. Used by tests/cli/report_test.cc."""
import json
import sys

import openpyxl


def main():
    book = openpyxl.load_workbook(sys.argv[1], read_only=False, data_only=True)
    out = {"sheets": book.sheetnames, "cells": {}}
    for sheet in book.worksheets:
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                value = cell.value
                if not isinstance(value, (int, float, str, bool)):
                    value = str(value)
                cells.append([cell.row, cell.column, cell.data_type, value])
        out["cells"][sheet.title] = cells
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
