/* http_blobs: pictures by name (docs/protocol.md, "Pictures").
 *
 * GET /v1/blobs/<sha256> answers any token with the file itself, handed
 * to libmicrohttpd as a descriptor, so a picture is never read into the
 * hub's memory. A name is its content: the answer never changes, so a
 * client may keep it for a year and ask again with If-None-Match for a
 * 304 that costs no file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "blobs.h"
#include "http_int.h"
#include "log.h"

#define BLOB_CACHE "private, max-age=31536000, immutable"

/* Whether the If-None-Match header names `tag` (quoted, "W/" allowed) or
 * is "*". */
static bool none_match(const char *v, const char *tag)
{
    size_t n = strlen(tag);
    while (v && *v) {
        v += strspn(v, " \t,");
        if (*v == '*')
            return true;
        if (strncmp(v, "W/", 2) == 0)
            v += 2;
        if (strncmp(v, tag, n) == 0 && strchr(" \t,", v[n]))
            return true;
        v += strcspn(v, ",");
    }
    return false;
}

enum MHD_Result api_blob_get(struct req *r)
{
    char name[SEGMENT_MAX + 1];
    if (!req_path_segment(r, name) || !sha256_hex_valid(name))
        return req_error(r, 400, "invalid", "sha256",
                         "a picture's name is its SHA-256: 64 lower-case hex digits");
    int fd = -1;
    uint64_t size = 0;
    const char *type = NULL;
    enum err rc = blobs_get(r->h->cfg.blobs, name, &fd, &size, &type);
    if (rc == ERR_NOT_FOUND)
        return req_error(r, 404, "not_found", "sha256", "no picture has this name");
    if (rc) {
        log_error("cannot open picture '%s': %s", name, strerror(errno));
        return req_error(r, 500, "internal", NULL, "the hub cannot read its pictures");
    }
    r->type = type;
    r->cache = BLOB_CACHE;
    r->cache_private = true;
    snprintf(r->etag, sizeof r->etag, "\"%s\"", name);
    const char *v =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (none_match(v, r->etag)) {
        close(fd);
        return req_send(r, 304, NULL, 0, false);
    }
    struct MHD_Response *resp = MHD_create_response_from_fd64(size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    return req_queue(r, 200, resp, false);
}
