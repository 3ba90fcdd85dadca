#include "feature/home/model.h"

#include "app.h"
#include "core/err.h"
#include "db/db.h"
#include "http/http.h"

int home_load(struct req *r, struct home_model *m)
{
    struct db *db = req_db(r);
    struct db_rows rows;
    int rc;

    m->name = str_c(r->app->name);
    m->tagline = STR_NULL;
    if (!db)
        return E_UNAVAIL;
    rc = db_query(db, STMT_SETTINGS_ALL, NULL, 0, &rows);
    if (rc)
        return rc;
    while ((rc = db_next(&rows)) > 0) {
        struct str key = db_col_text(&rows, 0, &r->arena);

        if (str_eq_c(key, "name"))
            m->name = db_col_text(&rows, 1, &r->arena);
        else if (str_eq_c(key, "tagline"))
            m->tagline = db_col_text(&rows, 1, &r->arena);
    }
    db_rows_done(&rows);
    return rc < 0 ? rc : 0;
}
