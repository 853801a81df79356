"""Timestamp strings against Python's own calendar: the core's `parse_timestamp` (RFC 3339,
`YYYY-MM-DD HH:MM:SS`, dates and unix seconds, as its doc lists them) must give what
`datetime` gives for the same fields, on seeded random fields over the whole of years 1-9999,
every offset and fraction form, and refuse exactly the dates `datetime` refuses."""

import datetime as dt
import math
import random

import numpy as np
import pytest

import channelwise as cw
from channelwise import _channelwise as _cw

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def parse(texts):
    return np.frombuffer(_cw.parse_timestamps(list(texts), "timestamp"), dtype=np.int64).tolist()


def unix(y, mo, d, h=0, mi=0, s=0, offset_minutes=0):
    """Whole unix seconds of the given wall-clock fields at the given offset, by `datetime`
    (a leap second `:60` read as `:59`, as the doc says)."""
    tz = dt.timezone(dt.timedelta(minutes=offset_minutes))
    t = dt.datetime(y, mo, d, h, mi, min(s, 59), tzinfo=tz)
    return (t - EPOCH) // dt.timedelta(seconds=1)


def offset_text(rng, minutes):
    if minutes == 0 and rng.random() < 0.5:
        return rng.choice(["Z", "z"])
    sign = "-" if minutes < 0 else "+"
    hh, mm = divmod(abs(minutes), 60)
    return f"{sign}{hh:02}:{mm:02}" if rng.random() < 0.7 else f"{sign}{hh:02}{mm:02}"


@pytest.mark.parametrize("seed", range(20))
def test_valid_fields_give_what_datetime_gives(seed):
    rng = random.Random(seed)
    texts, want = [], []
    for _ in range(500):
        y, mo = rng.randint(1, 9999), rng.randint(1, 12)
        d = rng.randint(1, 28 if mo == 2 else 30) if rng.random() < 0.8 else rng.randint(28, 31)
        try:
            dt.date(y, mo, d)
        except ValueError:
            continue
        h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.choice([rng.randint(0, 59), 59, 60, 0])
        off = rng.choice([0, 0, rng.randint(-23 * 60 - 59, 23 * 60 + 59), 330, -210, 840, -720])
        frac = rng.choice(["", "", "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 9)))])
        date = f"{y:04}-{mo:02}-{d:02}"
        form = rng.randrange(4)
        if form == 0:  # RFC 3339
            text = f"{date}{rng.choice('Tt')}{h:02}:{mi:02}:{s:02}{frac}{offset_text(rng, off)}"
            value = unix(y, mo, d, h, mi, s, off)
        elif form == 1:  # space-separated, UTC or with an offset
            tail = offset_text(rng, off) if rng.random() < 0.5 else ""
            text = f"{date} {h:02}:{mi:02}:{s:02}{tail}"
            value = unix(y, mo, d, h, mi, s, off if tail else 0)
        elif form == 2:  # a date: midnight UTC
            text, value = date, unix(y, mo, d)
        else:  # padded with whitespace
            text = f"  {date}T{h:02}:{mi:02}:{s:02}Z\t"
            value = unix(y, mo, d, h, mi, s)
        texts.append(text)
        want.append(value)
    assert parse(texts) == want


@pytest.mark.parametrize("seed", range(10))
def test_impossible_dates_and_times_are_refused_as_datetime_refuses_them(seed):
    rng = random.Random(100 + seed)
    tried = refused = 0
    for _ in range(300):
        y, mo, d = rng.randint(1, 9999), rng.randint(0, 13), rng.randint(0, 32)
        h, mi, s = rng.choice([0, 23, 24, 25]), rng.choice([0, 59, 60]), rng.choice([0, 59, 60, 61])
        text = f"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"
        try:
            value = unix(y, mo, d, h, mi, s) if s <= 60 else None
            ok = value is not None
        except ValueError:
            ok = False
        tried += 1
        if ok:
            assert parse([text]) == [value], text
        else:
            refused += 1
            with pytest.raises(cw.InvalidRecordError, match="timestamp"):
                parse([text])
    assert refused > tried // 4


@pytest.mark.parametrize("seed", range(5))
def test_unix_seconds_are_rounded_down(seed):
    rng = random.Random(200 + seed)
    texts, want = [], []
    for _ in range(500):
        if rng.random() < 0.5:
            n = rng.randint(-(10**12), 10**12)
            texts.append(str(n))
            want.append(n)
        else:
            x = rng.uniform(-3e9, 3e9)
            text = rng.choice([repr(x), f"{x:.3f}", f"{x:.6e}"])
            texts.append(text)
            want.append(math.floor(float(text)))
    assert parse(texts) == want


@pytest.mark.parametrize("seed", range(5))
def test_datetimes_round_down_as_strings_and_numpy_do(seed):
    # the same instants as Python datetimes (a dict column), as pandas datetime64 and as RFC 3339
    # text: one whole second each, the fraction dropped (rounded down, before 1970 too)
    import pandas as pd
    from channelwise import _frames

    rng = random.Random(300 + seed)
    stamps = [EPOCH + dt.timedelta(microseconds=rng.randint(-(10**16), 10**16)) for _ in range(300)]
    stamps += [dt.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC), dt.datetime(1970, 1, 1, 0, 0, 0, 1)]
    read = lambda data, kind: np.frombuffer(_frames.timestamps(data, kind, "t", "t"), dtype=np.int64).tolist()  # noqa: E731
    want = [(t.replace(tzinfo=t.tzinfo or UTC) - EPOCH) // dt.timedelta(seconds=1) for t in stamps]
    assert want[-2:] == [-1, 0]
    assert read({"t": stamps}, "mapping") == want
    assert read(pd.DataFrame({"t": pd.to_datetime(stamps, utc=True)}), "pandas") == want
    assert parse([t.astimezone(UTC).isoformat() for t in stamps]) == want

