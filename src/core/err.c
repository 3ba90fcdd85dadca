#include "core/err.h"

const char *err_str(int err)
{
    switch (err) {
    case E_OK:
        return "ok";
    case E_INVAL:
        return "invalid input";
    case E_NOTFOUND:
        return "not found";
    case E_CONFLICT:
        return "conflict";
    case E_PERM:
        return "forbidden";
    case E_TOOBIG:
        return "too large";
    case E_DB:
        return "database error";
    case E_IO:
        return "i/o error";
    case E_UNAVAIL:
        return "service unavailable";
    default:
        return "unknown error";
    }
}
