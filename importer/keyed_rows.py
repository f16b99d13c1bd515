"""Files of rows keyed by a code (official handlers, indicator values): each key once.

What `import-handlers` and `import-indicators` share: every record is parsed, a key seen
again with the same content counts as unchanged, with other content it is quarantined
(the first row stays), and a row that breaks a rule is quarantined with its reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection

from importer.csv_source import CsvSource, raw_row
from importer.quarantine import QuarantinedRow, Violation, write_quarantine
from importer.summary import ImportSummary

T = TypeVar("T")


def read_keyed_rows(
    conn: Connection,
    source: CsvSource,
    run_id: int,
    now: datetime,
    summary: ImportSummary,
    parse: Callable[[list[str]], tuple[T | None, list[Violation]]],
    key: Callable[[T], Hashable],
    conflict: Callable[[T, int, T], Violation | None],
) -> list[T]:
    """The accepted rows of `source`, one per key, in file order; the rejected ones are
    written to the quarantine and counted in `summary`. `conflict(item, first_line, first)`
    is None when a repeated key brings the same content, else the violation to report."""
    header = source.header
    accepted: dict[Hashable, tuple[int, T]] = {}
    bad: list[QuarantinedRow] = []
    for line_no, fields in source.records():
        summary.rows_read += 1
        item, problems = parse(fields)
        if item is not None and key(item) in accepted:
            first_line, first = accepted[key(item)]
            problem = conflict(item, first_line, first)
            if problem is None:
                summary.unchanged += 1
                continue
            item, problems = None, [problem]
        if item is None:
            bad.append(QuarantinedRow(line_no, raw_row(header, fields), tuple(problems)))
            summary.rule_counts.update({v.rule for v in problems})
            continue
        accepted[key(item)] = (line_no, item)
    summary.quarantined = len(bad)
    write_quarantine(conn, run_id, str(source.path), bad, now)
    return [item for _, item in accepted.values()]
