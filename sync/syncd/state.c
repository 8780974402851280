/* state: online/last_ok/last_error/fault in sync_state (see state.h). */
#include "state.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ts.h"

const char *state_db_error(sqlite3 *db, enum err rc, enum fault *fault)
{
    *fault = FAULT_NONE;
    /* SQLite folds a full disk met while syncing, and a read-only file
     * system, into SQLITE_IOERR: the system's errno still names them. */
    switch (sqlite3_errcode(db)) {
    case SQLITE_FULL:
        *fault = FAULT_DISK_FULL;
        return "disk full (SQLITE_FULL): free space under the replica";
    case SQLITE_READONLY:
        *fault = FAULT_READ_ONLY;
        return "read-only (SQLITE_READONLY): the replica cannot be written";
    case SQLITE_IOERR:
        switch (sqlite3_system_errno(db)) {
        case ENOSPC:
            *fault = FAULT_DISK_FULL;
            return "disk full (ENOSPC): free space under the replica";
        case EROFS:
            *fault = FAULT_READ_ONLY;
            return "read-only file system (EROFS): the replica cannot be written";
        case EDQUOT:
            *fault = FAULT_DISK_FULL; /* the operator's fix is the same: space */
            return "disk quota exceeded (EDQUOT) under the replica";
        case EFBIG: /* a size limit, not space: no code for the hub */
            return "file too large (EFBIG): the replica hit a file size limit";
        }
        break;
    }
    return err_str(rc);
}

/* Writes the n pairs of kv (key, value, key, value...) in one transaction. */
static enum err set_state(struct replica *r, const char *const *kv, int n)
{
    sqlite3 *db = replica_db(r);
    enum err rc = db_begin(db);
    for (int i = 0; rc == ERR_OK && i < n; i++)
        rc = replica_state_set(r, kv[2 * i], kv[2 * i + 1]);
    if (rc == ERR_OK)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

enum err state_ok(struct replica *r, int64_t now)
{
    char t[TS_LEN + 1];
    ts_format(now, t);
    const char *kv[] = {"online", "1", "last_ok", t, "fault", ""};
    return set_state(r, kv, 3);
}

enum err state_fail(struct replica *r, int64_t now, const char *reason, enum fault fault)
{
    char t[TS_LEN + 1];
    ts_format(now, t);
    char line[300];
    snprintf(line, sizeof line, "%s %s", t, reason);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    const char *kv[] = {"online", "0", "last_error", line, "fault", fault_name(fault)};
    return set_state(r, kv, fault == FAULT_NONE ? 2 : 3);
}
