#!/usr/bin/python3
"""Read an iCalendar file with an independent parser and print what it says as JSON.

Used by tests/http/events.test.mjs: Debian's python3-icalendar parses the text
(it raises on what it cannot read), each VTIMEZONE becomes a time zone of its
own (so the offsets come from the file, not from the system), and each rule is
expanded by python3-dateutil on local times, EXDATEs left out, then placed in
time by that zone. Usage: icsparse.py FILE [MAX_OCCURRENCES] (FILE - is stdin).
"""
import datetime
import json
import sys

import icalendar
from dateutil import rrule as du

UTC = datetime.timezone.utc


def zones_of(cal):
    """TZID -> tzinfo built from the calendar's own VTIMEZONE components."""
    zones = {}
    for vtz in cal.walk('VTIMEZONE'):
        # icalendar 4.0.3 hands the observances' RRULEs to dateutil with a
        # naive DTSTART, and dateutil refuses the UTC UNTIL that RFC 5545
        # requires there; the same moment as a local time is what it takes.
        for ob in vtz.subcomponents:
            rule = ob.get('RRULE')
            if rule and rule.get('UNTIL'):
                offset = ob['TZOFFSETFROM'].td
                rule['UNTIL'] = [u.astimezone(UTC).replace(tzinfo=None) + offset
                                 if getattr(u, 'tzinfo', None) else u for u in rule['UNTIL']]
        zones[str(vtz['TZID'])] = vtz.to_tz()
    return zones


def placed(prop, zones):
    """A DTSTART-like property as (naive local time, tzinfo or None for UTC)."""
    tzid = prop.params.get('TZID')
    dt = prop.dt
    if tzid:
        if tzid not in zones:
            raise ValueError('TZID %s has no VTIMEZONE' % tzid)
        return dt.replace(tzinfo=None), zones[tzid]
    if dt.tzinfo is None:
        raise ValueError('a floating time: %s' % prop.to_ical())
    return dt.astimezone(UTC).replace(tzinfo=None), None


def moment(naive, tz):
    """Local time and UTC, as ISO 8601 text."""
    aware = tz.localize(naive) if tz is not None else naive.replace(tzinfo=UTC)
    return {
        'local': naive.isoformat(),
        'offset': int(aware.utcoffset().total_seconds()),
        'utc': aware.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ'),
    }


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def main():
    source = sys.stdin.buffer.read() if sys.argv[1] == '-' else open(sys.argv[1], 'rb').read()
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    cal = icalendar.Calendar.from_ical(source)
    zones = zones_of(cal)
    out = {
        'version': text(cal, 'VERSION'),
        'prodid': text(cal, 'PRODID'),
        'method': text(cal, 'METHOD'),
        'name': text(cal, 'X-WR-CALNAME'),
        'timezones': sorted(zones),
        'events': [],
    }
    for ev in cal.walk('VEVENT'):
        start, tz = placed(ev['DTSTART'], zones)
        end, _ = placed(ev['DTEND'], zones)
        exdates = set()
        for prop in ev.get('EXDATE', []) if isinstance(ev.get('EXDATE'), list) else \
                ([ev['EXDATE']] if ev.get('EXDATE') is not None else []):
            for d in prop.dts:
                exdates.add(d.dt.replace(tzinfo=None) if prop.params.get('TZID')
                            else d.dt.astimezone(UTC).replace(tzinfo=None))
        item = {
            'uid': text(ev, 'UID'),
            'summary': text(ev, 'SUMMARY'),
            'description': text(ev, 'DESCRIPTION'),
            'location': text(ev, 'LOCATION'),
            'url': text(ev, 'URL'),
            'status': text(ev, 'STATUS'),
            'sequence': int(ev['SEQUENCE']) if 'SEQUENCE' in ev else None,
            'dtstamp': ev['DTSTAMP'].dt.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')
            if 'DTSTAMP' in ev else None,
            'tzid': ev['DTSTART'].params.get('TZID'),
            'start': moment(start, tz),
            'end': moment(end, tz),
            'rrule': ev['RRULE'].to_ical().decode() if 'RRULE' in ev else None,
            'exdates': [moment(d, tz) for d in sorted(exdates)],
            'recurrence_id': None,
            'occurrences': [],
        }
        if 'RECURRENCE-ID' in ev:
            rid, rtz = placed(ev['RECURRENCE-ID'], zones)
            item['recurrence_id'] = moment(rid, rtz)
        duration = end - start
        if item['rrule']:
            rule = item['rrule']
            if tz is not None and 'UNTIL=' in rule:
                # The same change as above for the event's own rule: UNTIL is
                # UTC, DTSTART local and naive.
                until = ev['RRULE']['UNTIL'][0].astimezone(UTC).replace(tzinfo=None)
                local_until = until + tz.utcoffset(until)
                parts = [p for p in rule.split(';') if not p.startswith('UNTIL=')]
                rule = ';'.join(parts + ['UNTIL=' + local_until.strftime('%Y%m%dT%H%M%S')])
            starts = du.rrulestr(rule, dtstart=start)
        else:
            starts = [start]
        for s in starts:
            if len(item['occurrences']) >= limit:
                break
            if s in exdates:
                continue
            occ = moment(s, tz)
            occ['end'] = moment(s + duration, tz)
            item['occurrences'].append(occ)
        out['events'].append(item)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
