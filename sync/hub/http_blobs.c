/* http_blobs: pictures (docs/protocol.md, "Pictures").
 *
 * POST /v1/blobs takes a picture from staff (a console session, a staff or
 * admin token) and answers the name of its rendition (picture.h). The
 * libmicrohttpd thread that read the body waits for the check's child
 * process, as a push waits for the store, but one at a time over the
 * whole hub: an upload that arrives while another is checked gets 429 at
 * once, so at most one checker ever runs, and a flood of uploads costs
 * the other clients nothing but that thread.
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
#include "picture.h"

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

static enum MHD_Result refused(struct req *r, const struct picture_refusal *why)
{
    json_t *o = json_object();
    json_object_set_new(o, "error", json_string("invalid"));
    json_object_set_new(o, "field", json_string("picture"));
    json_object_set_new(o, "reason", json_string(why->reason));
    json_object_set_new(o, "message", json_string(why->message));
    return req_reply_json(r, 400, o);
}

static enum MHD_Result stored(struct req *r, const char *name, const struct picture_out *info)
{
    json_t *o = json_object();
    json_object_set_new(o, "sha256", json_string(name));
    json_object_set_new(o, "type", json_string(info->type));
    json_object_set_new(o, "width", json_integer(info->width));
    json_object_set_new(o, "height", json_integer(info->height));
    return req_reply_json(r, 200, o);
}

/* The check and the store, while this request holds the hub's one slot. */
static enum MHD_Result check_and_store(struct req *r, const char *data, size_t len)
{
    char name[SHA256_HEX_LEN + 1];
    struct picture_out info;
    struct picture_refusal why;
    enum err rc = picture_store(r->h->cfg.blobs, &r->h->cfg.picture, data, len, name, &info, &why);
    if (rc == ERR_INVALID) {
        log_info("picture refused (%s): %s", why.reason, why.message);
        return refused(r, &why);
    }
    if (rc) {
        log_error("cannot store a picture: %s", rc == ERR_IO ? strerror(errno) : err_str(rc));
        return req_error(r, 500, "internal", NULL, "the hub cannot store the picture");
    }
    log_info("picture %s stored (%s, %dx%d)", name, info.type, info.width, info.height);
    return stored(r, name, &info);
}

enum MHD_Result api_blob_post(struct req *r)
{
    if (r->token.role == STORE_KIOSK)
        return req_error(r, 403, "forbidden", NULL, "a kiosk token may not upload pictures");
    enum MHD_Result ret = MHD_NO;
    const char *data = NULL;
    size_t len = 0;
    if (!req_body_raw(r, &data, &len, &ret))
        return ret;
    if (atomic_fetch_add(&r->h->pictures, 1) > 0) {
        atomic_fetch_sub(&r->h->pictures, 1);
        snprintf(r->retry_after, sizeof r->retry_after, "1");
        return req_error(r, 429, "too_many_requests", NULL,
                         "another picture is being checked; retry in a second");
    }
    ret = check_and_store(r, data, len);
    atomic_fetch_sub(&r->h->pictures, 1);
    return ret;
}
