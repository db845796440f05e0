#!/usr/bin/env python3
"""Reference answers for Zone::day_start, from Python's zoneinfo, for every IANA zone.

The rule under test: a local day starts at the earliest instant whose local wall-clock time is
at or after local midnight of that day. This script finds that instant independently of the
Rust code: it converts local midnight with both folds, keeps the candidates that really exist
(round-trip), or, if midnight was skipped, starts from the instant after the gap, and in every
case walks back (by minutes, then seconds) while the previous instant is still at or after
midnight.

It covers every date that starts a usage period (Mondays, the 1st of each month, January 1st)
from 2010 through 2030 and writes, next to this file's ../fixtures:

- tz_reference_checksums.csv: per zone, how many dates and a checksum of all their answers,
  so the Rust test checks every date of every zone while the fixture stays small;
- tz_reference_rows.csv: the dates whose answer differs from the naive "local midnight at the
  offset in force at local noon", plus a deterministic 1-in-400 sample of the others, for
  readable diagnostics; and, for the HARD zones, every day of the years (not only period
  first days) whose answer differs from the naive guess.

It also writes the repository's tests/fixtures/tz_changed_periods.csv: for the zones whose rules changed between tzdata 2025b
and 2026f (Canada's west and centre, Cuba, Morocco and Western Sahara, Moldova), every ISO week,
month and year from 2026-09 through 2028 with its first and last second in UTC. The server, the
console and the npm package are each checked against it.

Run it with ./generate.sh, which pins PyPI's tzdata to the release the core embeds.
"""
import datetime as dt
import os
import sys
import zoneinfo

import tzdata

UTC = dt.timezone.utc
FIRST, LAST = 2010, 2030
MASK = (1 << 64) - 1
# Zones whose every day (not only period first days) goes into the rows fixture when its
# answer differs from the naive guess: a skipped day, midnight transitions, half-hour DST,
# odd offsets.
HARD = ["Pacific/Apia", "America/Santiago", "America/Havana", "Australia/Lord_Howe",
        "Asia/Kathmandu", "Pacific/Chatham"]
# Rules changed between 2025b and 2026f (found by comparing the two releases' offsets from
# mid-2025 to 2029): Moldova's transitions moved by an hour but stayed off midnight, so its
# period bounds did not change; it is here all the same.
CHANGED = ["America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Inuvik",
           "America/Yellowknife", "America/Rainy_River", "Canada/Pacific", "Canada/Mountain",
           "Canada/Central", "America/Havana", "Cuba", "Africa/Casablanca", "Africa/El_Aaiun",
           "Europe/Chisinau", "Europe/Tiraspol"]
CHANGED_FROM, CHANGED_TO = dt.date(2026, 9, 1), dt.date(2029, 1, 1)
# Written whatever the naive guess says: Samoa skipped 2011-12-30 entirely.
ALWAYS = {("Pacific/Apia", dt.date(2011, 12, d)) for d in (29, 30, 31)}


def period_first_days():
    d = dt.date(FIRST, 1, 1)
    while d.year <= LAST:
        if d.weekday() == 0 or d.day == 1:
            yield d
        d += dt.timedelta(days=1)


def every_day():
    d = dt.date(FIRST, 1, 1)
    while d.year <= LAST:
        yield d
        d += dt.timedelta(days=1)


def local(z, u):
    return dt.datetime.fromtimestamp(u, z).replace(tzinfo=None)


def day_start(z, day):
    m = dt.datetime(day.year, day.month, day.day)
    real = []
    for fold in (0, 1):
        u = int(m.replace(tzinfo=z, fold=fold).timestamp())
        if local(z, u) == m:
            real.append(u)
    if real:
        u = min(real)
    else:  # skipped: find any instant at or after midnight, after the gap
        u = int(m.replace(tzinfo=z, fold=0).timestamp())
        while local(z, u) < m:
            u += 60
    while local(z, u - 60) >= m:
        u -= 60
    while local(z, u - 1) >= m:
        u -= 1
    return u


def rfc3339(u):
    return dt.datetime.fromtimestamp(u, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def changed_periods():
    """(period, first day, next period's first day) for every period overlapping the window."""
    out = []
    d = CHANGED_FROM - dt.timedelta(days=CHANGED_FROM.weekday())
    while d < CHANGED_TO:
        out.append(("week", d, d + dt.timedelta(days=7)))
        d += dt.timedelta(days=7)
    d = CHANGED_FROM.replace(day=1)
    while d < CHANGED_TO:
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append(("month", d, nxt))
        d = nxt
    for year in range(CHANGED_FROM.year, CHANGED_TO.year):
        out.append(("year", dt.date(year, 1, 1), dt.date(year + 1, 1, 1)))
    return out


def naive_guess(z, day):
    noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=z)
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
    return int((midnight - noon.utcoffset()).timestamp())


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
    days = list(period_first_days())
    zones = sorted(zoneinfo.available_timezones())
    header = (
        f"# generated by core/tests/tz/generate.py with Python {sys.version.split()[0]} zoneinfo "
        f"and tzdata {tzdata.IANA_VERSION} (PyPI tzdata {tzdata.__version__}); "
        f"period first days {FIRST}-{LAST}: {len(days)} dates per zone\n"
    )
    with open(os.path.join(out, "tz_reference_checksums.csv"), "w") as sums, open(
        os.path.join(out, "tz_reference_rows.csv"), "w"
    ) as rows:
        sums.write(header + "zone,dates,checksum\n")
        rows.write(header + "zone,date,day_start_unix,naive_unix\n")
        for name in zones:
            z = zoneinfo.ZoneInfo(name)
            h = 0
            for i, day in enumerate(days):
                u = day_start(z, day)
                h = (h * 1_000_003 + (u & MASK)) & MASK
                guess = naive_guess(z, day)
                if u != guess or (i * 7919 + len(name)) % 400 == 0:
                    rows.write(f"{name},{day.isoformat()},{u},{guess}\n")
            sums.write(f"{name},{len(days)},{h}\n")
        shared = os.path.join(out, "..", "..", "..", "tests", "fixtures")
        with open(os.path.join(shared, "tz_changed_periods.csv"), "w") as changed:
            changed.write(header.replace(f"period first days {FIRST}-{LAST}: {len(days)} dates per zone",
                                         "every period overlapping 2026-09-01..2028-12-31")
                          + "zone,period,start,end\n")
            for name in CHANGED:
                z = zoneinfo.ZoneInfo(name)
                for period, first, nxt in changed_periods():
                    start, end = day_start(z, first), day_start(z, nxt) - 1
                    changed.write(f"{name},{period},{rfc3339(start)},{rfc3339(end)}\n")
        for name in HARD:
            z = zoneinfo.ZoneInfo(name)
            for day in every_day():
                if day.weekday() == 0 or day.day == 1:
                    continue  # already covered above
                u, guess = day_start(z, day), naive_guess(z, day)
                if u != guess or (name, day) in ALWAYS:
                    rows.write(f"{name},{day.isoformat()},{u},{guess}\n")


if __name__ == "__main__":
    main()
