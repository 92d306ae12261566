"""Tests of the date and time functions (rdspolicy.evaluate.functions.dates)."""

from __future__ import annotations

from rdspolicy.evaluate.functions import FunctionContext
from rdspolicy.evaluate.values import Unknown

from function_checks import ID, TS, errors, fn, known_results, unknown_when_depending


KNOWN = [
    ("formatdate", ["DD MMM YYYY hh:mm ZZZ", TS], "02 Jan 2018 23:12 UTC"),
    ("formatdate", ["EEEE, DD-MMM-YY hh:mm:ss ZZZ", TS], "Tuesday, 02-Jan-18 23:12:01 UTC"),
    ("formatdate", ["EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00"], "Tue, 02 Jan 2018 23:12:01 -0800"),
    ("formatdate", ["MMM DD, YYYY", TS], "Jan 02, 2018"),
    ("formatdate", ["HH:mmaa", TS], "11:12pm"),
    ("formatdate", ["h'h'mm", "2018-01-02T23:12:01-08:00"], "23h12"),
    ("formatdate", ["MMMM M D h H AA s Z ZZZZ ZZZZZ", "2018-03-04T05:06:07+05:30"],
     "March 3 4 5 5 AM 7 +05:30 +0530 +05:30"),
    ("formatdate", ["Z", TS], "Z"),
    ("formatdate", ["'It''s' YYYY ''", TS], "It's 2018 '"),
    ("formatdate", ["YYYY-MM-DD", "2018-01-02T23:12:01.123456Z"], "2018-01-02"),
    ("timeadd", ["2017-11-22T00:00:00Z", "10m"], "2017-11-22T00:10:00Z"),
    ("timeadd", ["2017-11-22T00:00:00Z", "-1h30m"], "2017-11-21T22:30:00Z"),
    ("timeadd", ["2017-11-22T00:00:00+02:00", "1.5h"], "2017-11-22T01:30:00+02:00"),
    ("timeadd", ["2017-11-22T00:00:00+00:00", "0"], "2017-11-22T00:00:00Z"),
    ("timeadd", ["2017-12-31T23:59:59Z", "1s"], "2018-01-01T00:00:00Z"),
    ("timecmp", ["2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"], 0),
    ("timecmp", ["2017-11-22T00:00:00Z", "2017-11-22T01:00:00+01:00"], 0),
    ("timecmp", ["2017-11-22T00:00:01Z", "2017-11-22T00:00:00Z"], 1),
    ("timecmp", ["2017-11-22T00:00:00Z", "2017-11-22T00:00:00.5Z"], -1),
]
test_known_results = known_results(KNOWN)


ERRORS = [
    ("formatdate", ["YYY", TS], 'invalid date format verb "YYY": year must either be "YY" or "YYYY"'),
    ("formatdate", ["YYYY x", TS], 'invalid date format verb "x"'),
    ("formatdate", ["'abc", TS], "unterminated literal '"),
    ("formatdate", ["YYYY", "2020-13-01T00:00:00Z"], "not a valid RFC3339 timestamp"),
    ("formatdate", ["YYYY", "2020-02-30T00:00:00Z"], "not a valid RFC3339 timestamp"),
    ("formatdate", ["YYYY", "2020-01-01"], "not a valid RFC3339 timestamp"),
    ("timeadd", [TS, "10x"], 'time: unknown unit "x" in duration "10x"'),
    ("timeadd", [TS, "10"], 'time: missing unit in duration "10"'),
    ("timeadd", [TS, ""], 'time: invalid duration ""'),
    ("timeadd", [TS, ".h"], "time: invalid duration"),
    ("timecmp", [TS, "yesterday"], 'invalid value for "timestamp_b" parameter'),
]
test_errors = errors(ERRORS)


UNKNOWN_WHEN_DEPENDING = [
    ("formatdate", ["YYYY", ID]),
    ("timeadd", [ID, "1h"]),
]
test_unknown_when_result_depends_on_unknowns = unknown_when_depending(UNKNOWN_WHEN_DEPENDING)


def test_timestamp_is_unknown_until_apply():
    result = fn("timestamp", ctx=FunctionContext(".", "."))
    assert result == Unknown("timestamp() is known only during apply", nonnull=True)


def test_timestamp_can_be_known_when_asked():
    result = fn("timestamp", ctx=FunctionContext(".", ".", now_unknown=False))
    assert isinstance(result, str) and result.endswith("Z") and len(result) == 20
