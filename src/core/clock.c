#include "core/clock.h"

#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

int64_t clock_unix(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t clock_mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* v as n decimal digits, zeros in front. */
static void put_digits(char *out, int v, int n)
{
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

int clock_utc(int64_t t, struct tm *tm)
{
    int64_t days = t / 86400, secs = t % 86400;
    int64_t z, era, doe, yoe, doy, mp, y;

    if (secs < 0) {
        secs += 86400;
        days--;
    }
    /* The inverse of clock_days_from_civil(): years of 400 from 0000-03-01. */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;                                      /* 0..146096 */
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* from March 1st */
    mp = (5 * doy + 2) / 153;                                    /* March is 0 */
    y = yoe + era * 400 + (mp >= 10);
    if (y - 1900 < INT_MIN || y - 1900 > INT_MAX)
        return -1;
    memset(tm, 0, sizeof(*tm));
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
    tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    tm->tm_wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    tm->tm_yday = (int)(days - clock_days_from_civil(y, 1, 1));
    return 0;
}

void clock_rfc3339(int64_t t, char out[21])
{
    struct tm tm;

    if (clock_utc(t, &tm)) {
        memcpy(out, "0000-00-00T00:00:00Z", 21);
        return;
    }
    if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
        strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return;
    }
    /* By hand, as pages show many: strftime() consults the locale each time. */
    put_digits(out, tm.tm_year + 1900, 4);
    out[4] = '-';
    put_digits(out + 5, tm.tm_mon + 1, 2);
    out[7] = '-';
    put_digits(out + 8, tm.tm_mday, 2);
    out[10] = 'T';
    put_digits(out + 11, tm.tm_hour, 2);
    out[13] = ':';
    put_digits(out + 14, tm.tm_min, 2);
    out[16] = ':';
    put_digits(out + 17, tm.tm_sec, 2);
    memcpy(out + 19, "Z", 2);
}

int64_t clock_days_from_civil(int64_t y, int m, int d)
{
    int64_t era;
    int64_t yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int clock_parse(const char *s, int64_t *out)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(s);
    int y, mo, d, h, mi, sec = 0;
    int64_t v = 0;

    if (n > 0 && n <= 12 && strspn(s, "0123456789") == n) {
        for (size_t i = 0; i < n; i++)
            v = v * 10 + (s[i] - '0');
        *out = v;
        return 0;
    }
    /* YYYY-MM-DDTHH:MMZ or YYYY-MM-DDTHH:MM:SSZ */
    if ((n != 17 && n != 20) || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
        s[13] != ':' || (s[n - 1] != 'Z' && s[n - 1] != 'z') || (n == 20 && s[16] != ':'))
        return -1;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || (n == 20 && !digits(s + 17, 2, &sec)))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 59)
        return -1;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return -1;
    *out = clock_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + sec;
    return 0;
}
