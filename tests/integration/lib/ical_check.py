#!/usr/bin/python3
"""Reads back an iCalendar object (a hub feed, or a QR code's text) for
tests/integration/ical.sh and kiosk.sh: the RFC 5545 rules a parser may
forgive are checked strictly here (CRLF, lines of at most 75 octets,
folds never inside a UTF-8 character, the required properties), then
Debian's python3-icalendar parses it. Prints one JSON object per VEVENT
(uid, summary, start, end, location, description, transp; times in the
protocol's wire form) as a JSON array; exits 1 with the reason otherwise.

Usage: ical_check.py FILE   (- for stdin)
Run with /usr/bin/python3: Debian's package is not in another Python."""
import json
import sys

from icalendar import Calendar


def fail(why):
    print("ical_check: " + why, file=sys.stderr)
    sys.exit(1)


def strict(raw):
    if not raw.endswith(b"\r\n"):
        fail("does not end in CRLF")
    lines = raw[:-2].split(b"\r\n")
    for n, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            fail("line %d: a bare CR or LF" % n)
        if len(line) > 75:
            fail("line %d: %d octets, more than 75" % (n, len(line)))
        if line.startswith(b" ") and len(line) > 1 and (line[1] & 0xC0) == 0x80:
            fail("line %d: folded inside a UTF-8 character" % n)
        if not line:
            fail("line %d: empty" % n)
    try:
        raw.decode("utf-8", "strict")
    except UnicodeDecodeError as e:
        fail("not UTF-8: %s" % e)
    if lines[0] != b"BEGIN:VCALENDAR" or lines[-1] != b"END:VCALENDAR":
        fail("not one VCALENDAR")


def wire(prop):
    dt = prop.dt
    if dt.tzinfo is None or dt.utcoffset().total_seconds() != 0:
        fail("a time that is not UTC: %r" % dt)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "-"
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    strict(raw)
    cal = Calendar.from_ical(raw)
    for p in ("VERSION", "PRODID"):
        if p not in cal:
            fail("VCALENDAR without " + p)
    if str(cal["VERSION"]) != "2.0":
        fail("VERSION is not 2.0")
    out = []
    for ev in cal.walk("VEVENT"):
        for p in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            if p not in ev:
                fail("VEVENT without " + p)
        wire(ev["DTSTAMP"])
        out.append({
            "uid": str(ev["UID"]),
            "summary": str(ev.get("SUMMARY", "")),
            "start": wire(ev["DTSTART"]),
            "end": wire(ev["DTEND"]),
            "location": str(ev.get("LOCATION", "")),
            "description": str(ev.get("DESCRIPTION", "")),
            "transp": str(ev.get("TRANSP", "")),
            "rrule": ev["RRULE"].to_ical().decode() if "RRULE" in ev else "",
        })
    json.dump(out, sys.stdout, ensure_ascii=False)
    print()


main()
