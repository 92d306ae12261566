"""Date and time functions: ``formatdate``, ``timeadd``, ``timecmp``, ``timestamp``."""

from __future__ import annotations

import datetime as _dt
import re
from fractions import Fraction

from .arguments import string_arg
from .registry import argument_error, fail, NotEvaluated, register


_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})\Z")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _parse_timestamp(text: str, param: str) -> tuple[_dt.datetime, int]:
    """An RFC 3339 timestamp: the time (with its UTC offset) and its nanoseconds."""
    match = _RFC3339.match(text)
    if not match:
        raise argument_error(param, f'not a valid RFC3339 timestamp: "{text}"')
    year, month, day, hour, minute, second = (int(match.group(k)) for k in range(1, 7))
    nanos = int((match.group(7) or "0")[:9].ljust(9, "0"))
    zone = match.group(8)
    try:
        if zone == "Z":
            tz = _dt.timezone.utc
        else:
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if minutes >= 60 or hours >= 24:
                raise ValueError("UTC offset out of range")
            offset = _dt.timedelta(hours=hours, minutes=minutes)
            tz = _dt.timezone(-offset if zone[0] == "-" else offset)
        moment = _dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError as exc:
        raise argument_error(param, f'not a valid RFC3339 timestamp: "{text}": {exc}') from None
    return moment, nanos


def _zone(moment: _dt.datetime, colon: bool) -> str:
    offset = moment.utcoffset() or _dt.timedelta(0)
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{minutes:02d}"


def rfc3339(moment: _dt.datetime) -> str:
    zone = "Z" if moment.utcoffset() == _dt.timedelta(0) else _zone(moment, True)
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}{zone}")


def _date_verb(token: str, moment: _dt.datetime) -> str:
    letter, size = token[0], len(token)

    def number(value: int, what: str, short: str) -> str:
        if size == 1:
            return str(value)
        if size == 2:
            return f"{value:02d}"
        raise argument_error("format", f'invalid date format verb "{token}": {what} must either be "{short}" or '
                                       f'"{short * 2}"')

    if letter == "Y":
        if size == 2:
            return f"{moment.year % 100:02d}"
        if size == 4:
            return f"{moment.year:04d}"
        raise argument_error("format", f'invalid date format verb "{token}": year must either be "YY" or "YYYY"')
    if letter == "M":
        if size <= 2:
            return number(moment.month, "month", "M")
        if size in (3, 4):
            name = _MONTHS[moment.month - 1]
            return name[:3] if size == 3 else name
        raise argument_error("format", f'invalid date format verb "{token}": month must be "M", "MM", "MMM", or "MMMM"')
    if letter == "D":
        return number(moment.day, "day of month", "D")
    if letter == "E":
        if size in (3, 4):
            name = _WEEKDAYS[moment.weekday()]
            return name[:3] if size == 3 else name
        raise argument_error("format", f'invalid date format verb "{token}": day of week must either be "EEE" or '
                                       f'"EEEE"')
    if letter == "h":
        return number(moment.hour, "24-hour", "h")
    if letter == "H":
        return number(moment.hour % 12 or 12, "12-hour", "H")
    if letter in "Aa":
        if size != 2:
            raise argument_error("format", f'invalid date format verb "{token}": must be "{letter * 2}"')
        marker = "AM" if moment.hour < 12 else "PM"
        return marker if letter == "A" else marker.lower()
    if letter == "m":
        return number(moment.minute, "minute", "m")
    if letter == "s":
        return number(moment.second, "second", "s")
    if letter == "Z":
        utc = moment.utcoffset() == _dt.timedelta(0)
        if size == 1:
            return "Z" if utc else _zone(moment, True)
        if size == 3:
            return "UTC" if utc else _zone(moment, False)
        if size == 4:
            return _zone(moment, False)
        if size == 5:
            return _zone(moment, True)
        raise argument_error("format", f'invalid date format verb "{token}": timezone must be Z, ZZZZ, or ZZZZZ')
    raise argument_error("format", f'invalid date format verb "{token}"')


@register("formatdate")
def _formatdate(format_, time):
    spec = string_arg(format_, "format")
    moment, _ = _parse_timestamp(string_arg(time, "time"), "time")
    out, i, n = [], 0, len(spec)
    while i < n:
        char = spec[i]
        if char == "'":
            if spec.startswith("''", i):
                out.append("'")
                i += 2
                continue
            j, literal = i + 1, []
            while True:
                if j >= n:
                    raise argument_error("format", "unterminated literal '")
                if spec[j] == "'":
                    if spec.startswith("''", j):
                        literal.append("'")
                        j += 2
                        continue
                    break
                literal.append(spec[j])
                j += 1
            out.append("".join(literal))
            i = j + 1
        elif char.isascii() and char.isalpha():
            j = i
            while j < n and spec[j] == char:
                j += 1
            out.append(_date_verb(spec[i:j], moment))
            i = j
        else:
            out.append(char)
            i += 1
    return "".join(out)


_DURATION_UNITS = {"ns": 1, "us": 10**3, "µs": 10**3, "μs": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9,
                   "h": 3600 * 10**9}
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?([^\d.]*)")


def _parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``, in nanoseconds."""
    rest = text
    negative = rest[:1] == "-"
    if rest[:1] in ("+", "-"):
        rest = rest[1:]
    if rest == "0":
        return 0
    if not rest:
        fail(f'time: invalid duration "{text}"')
    total = Fraction(0)
    while rest:
        match = _DURATION_PART.match(rest)
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not fraction:
            fail(f'time: invalid duration "{text}"')
        if not unit:
            fail(f'time: missing unit in duration "{text}"')
        if unit not in _DURATION_UNITS:
            fail(f'time: unknown unit "{unit}" in duration "{text}"')
        value = Fraction(int(whole or "0"))
        if fraction:
            value += Fraction(int(fraction), 10 ** len(fraction))
        total += value * _DURATION_UNITS[unit]
        rest = rest[match.end():]
    nanos = int(total)
    return -nanos if negative else nanos


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


@register("timeadd")
def _timeadd(timestamp, duration):
    moment, nanos = _parse_timestamp(string_arg(timestamp, "timestamp"), "timestamp")
    delta = _parse_duration(string_arg(duration, "duration"))
    seconds = int((moment - _EPOCH).total_seconds())
    total = seconds * 10**9 + nanos + delta
    try:
        result = _EPOCH + _dt.timedelta(seconds=total // 10**9)
        return rfc3339(result.astimezone(moment.tzinfo))
    except (OverflowError, ValueError):
        fail("the resulting time is out of range")


@register("timecmp")
def _timecmp(timestamp_a, timestamp_b):
    first, first_nanos = _parse_timestamp(string_arg(timestamp_a, "timestamp_a"), "timestamp_a")
    second, second_nanos = _parse_timestamp(string_arg(timestamp_b, "timestamp_b"), "timestamp_b")
    left, right = (first, first_nanos), (second, second_nanos)
    return (left > right) - (left < right)


@register("timestamp", context=True)
def _timestamp(ctx):
    if ctx is None or ctx.now_unknown:
        raise NotEvaluated("timestamp() is known only during apply")
    return rfc3339(_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0))
