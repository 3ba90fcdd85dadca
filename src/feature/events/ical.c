#include "feature/events/ical.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "feature/events/recur_int.h"

#define ZONES_MAX 16 /* distinct zones in one calendar; more are written in UTC */

/* A C string of s, bounded, for libical; text is cut at a NUL (never stored anyway). */
static char *cstr(struct str s)
{
    char *p = malloc(s.len + 1);

    if (!p)
        return NULL;
    memcpy(p, s.ptr ? s.ptr : "", s.len);
    p[s.len] = '\0';
    return p;
}

/*
 * TEXT for a property: control characters other than line breaks and tabs
 * dropped (RFC 5545 allows none), "\r\n" made "\n"; libical escapes the rest.
 */
static char *text_of(struct str s)
{
    char *p = malloc(s.len + 1);
    size_t n = 0;

    if (!p)
        return NULL;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];

        if (c == '\r')
            continue;
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            continue;
        p[n++] = (char)c;
    }
    p[n] = '\0';
    return p;
}

static void add_text(icalcomponent *c, icalproperty *(*make)(const char *), struct str s)
{
    char *t;

    if (!s.len)
        return;
    t = text_of(s);
    if (t)
        icalcomponent_add_property(c, make(t));
    free(t);
}

static struct icaltimetype utc_time(int64_t t)
{
    return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/*
 * A date-time property at local time lt in zone z named tz: local with
 * TZID, or UTC with "Z" when the zone is UTC (or was not given a VTIMEZONE).
 */
static icalproperty *at_time(icalproperty *(*make)(struct icaltimetype), icaltimezone *z,
                             struct str tz, bool in_utc, struct local_time lt)
{
    icalproperty *p;
    char *name;

    if (in_utc)
        return make(utc_time(recur_utc(z, lt)));
    p = make(recur_floating(lt));
    name = cstr(tz);
    if (name)
        icalproperty_add_parameter(p, icalparameter_new_tzid(name));
    free(name);
    return p;
}

/* The VTIMEZONE of zone z for events from UTC from on, with TZID tz. */
static icalcomponent *vtimezone(icaltimezone *z, struct str tz, int64_t from)
{
    icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(z));
    icalproperty *id;
    char *name;

    if (!vtz)
        return NULL;
    /*
     * The system's zone holds every change since the 19th century; a
     * calendar needs those from a little before its first event on.
     */
    icaltimezone_truncate_vtimezone(vtz, utc_time(from - (int64_t)366 * 86400),
                                    icaltime_null_time(), 0);
    id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
    name = cstr(tz);
    if (id && name)
        icalproperty_set_tzid(id, name);
    free(name);
    return vtz;
}

struct zone_use {
    struct str tz;
    icaltimezone *z;
    int64_t from;
    bool in_utc;
};

/* The zones of the items, each with the earliest start it serves. */
static int zones_of(const struct ics_item *items, size_t n, struct zone_use *zones, size_t *nz)
{
    *nz = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k;

        for (k = 0; k < *nz; k++)
            if (str_eq(zones[k].tz, items[i].tz))
                break;
        if (k < *nz) {
            if (items[i].start_utc < zones[k].from)
                zones[k].from = items[i].start_utc;
            continue;
        }
        if (*nz == ZONES_MAX)
            return E_TOOBIG;
        zones[k].tz = items[i].tz;
        zones[k].z = recur_zone(items[i].tz);
        if (!zones[k].z)
            return E_INVAL;
        zones[k].from = items[i].start_utc;
        zones[k].in_utc = zones[k].z == icaltimezone_get_utc_timezone();
        (*nz)++;
    }
    return 0;
}

static const struct zone_use *zone_for(const struct zone_use *zones, size_t nz, struct str tz)
{
    for (size_t k = 0; k < nz; k++)
        if (str_eq(zones[k].tz, tz))
            return &zones[k];
    return NULL;
}

static int vevent(icalcomponent *cal, const struct ics_item *it, const struct zone_use *zu)
{
    icalcomponent *ev = icalcomponent_new_vevent();
    char *s;

    s = cstr(it->uid);
    if (!s) {
        icalcomponent_free(ev);
        return E_TOOBIG;
    }
    icalcomponent_add_property(ev, icalproperty_new_uid(s));
    free(s);
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(it->modified)));
    icalcomponent_add_property(ev, icalproperty_new_created(utc_time(it->created)));
    icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc_time(it->modified)));
    icalcomponent_add_property(ev, icalproperty_new_sequence((int)it->sequence));
    if (it->recurrence_id) {
        struct local_time lt = recur_at(zu->z, it->recurrence_id);

        icalcomponent_add_property(
            ev, at_time(icalproperty_new_recurrenceid, zu->z, zu->tz, zu->in_utc, lt));
    }
    icalcomponent_add_property(
        ev, at_time(icalproperty_new_dtstart, zu->z, zu->tz, zu->in_utc, it->start));
    icalcomponent_add_property(ev,
                               at_time(icalproperty_new_dtend, zu->z, zu->tz, zu->in_utc, it->end));
    if (it->rrule.len && !it->recurrence_id) {
        struct icalrecurrencetype rule;

        if (!recur_parse_rule(it->rrule, &rule)) {
            icalcomponent_free(ev);
            return E_INVAL;
        }
        icalcomponent_add_property(ev, icalproperty_new_rrule(rule));
        for (size_t i = 0; i < it->nexdates; i++)
            icalcomponent_add_property(ev, at_time(icalproperty_new_exdate, zu->z, zu->tz,
                                                   zu->in_utc, recur_at(zu->z, it->exdates[i])));
    }
    add_text(ev, icalproperty_new_summary, it->summary);
    add_text(ev, icalproperty_new_description, it->description);
    add_text(ev, icalproperty_new_location, it->location);
    if (it->url.len) {
        s = cstr(it->url);
        if (s)
            icalcomponent_add_property(ev, icalproperty_new_url(s));
        free(s);
    }
    icalcomponent_add_property(
        ev, icalproperty_new_status(it->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
    icalcomponent_add_component(cal, ev);
    return 0;
}

int ics_calendar(struct buf *out, struct str name, const struct ics_item *items, size_t n)
{
    struct zone_use zones[ZONES_MAX];
    icalcomponent *cal;
    size_t nz = 0;
    char *text;
    int rc;

    recur_lock();
    rc = zones_of(items, n, zones, &nz);
    if (rc) {
        recur_unlock();
        return rc;
    }
    cal = icalcomponent_new_vcalendar();
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//Praxis//Events//EN"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    if (name.len) {
        char *t = text_of(name);
        icalproperty *p = t ? icalproperty_new_x(t) : NULL;

        if (p) {
            icalproperty_set_x_name(p, "X-WR-CALNAME");
            icalcomponent_add_property(cal, p);
        }
        free(t);
    }
    for (size_t k = 0; k < nz; k++) {
        icalcomponent *vtz;

        if (zones[k].in_utc)
            continue;
        vtz = vtimezone(zones[k].z, zones[k].tz, zones[k].from);
        if (vtz)
            icalcomponent_add_component(cal, vtz);
    }
    for (size_t i = 0; i < n && !rc; i++)
        rc = vevent(cal, &items[i], zone_for(zones, nz, items[i].tz));
    text = rc ? NULL : icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    recur_unlock();
    if (rc)
        return rc;
    if (!text)
        return E_TOOBIG;
    rc = buf_puts(out, text);
    free(text);
    return rc;
}
