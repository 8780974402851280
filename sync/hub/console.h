/* console: the staff console's side of the hub's HTTP server.
 *
 * The page itself (assets/console/: index.html, console.css, console.js)
 * is served read-only from a folder under /console/ with a strict
 * Content-Security-Policy. Staff log in with a name and password
 * (POST /v1/console/login) and get a session cookie (session.h); with it,
 * the browser uses the same /v1 endpoints as everyone (changes, push,
 * fleet) with the user's role, plus /v1/console/session, /logout and
 * /audit. A bearer token never opens a console endpoint, and a cookie
 * never works for a state-changing request from another origin. Every
 * change pushed by a person (a session, a staff or admin token) is
 * written to the audit trail with the user's or token's name. Internal
 * to the HTTP server (uses http_int.h). */
#ifndef SCEAUX_HUB_CONSOLE_H
#define SCEAUX_HUB_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "http_int.h"

#define CONSOLE_COOKIE "sceaux_session"
#define CONSOLE_DIR_MAX 1024

/* Handlers of the route table (http.c). */
enum MHD_Result console_static(struct req *r);
enum MHD_Result console_redirect(struct req *r);
enum MHD_Result console_login(struct req *r);
enum MHD_Result console_logout(struct req *r);
enum MHD_Result console_session(struct req *r);
enum MHD_Result console_audit(struct req *r);
/* POST {"signature": "<text>" | null}: the session user's signature of
 * announcements (users.h), answered like GET /v1/console/session. */
enum MHD_Result console_sign(struct req *r);
/* GET: the protocol's caps and tables as JSON (console_schema.c), the
 * console's one source for field lengths and enum values. */
enum MHD_Result console_schema(struct req *r);

/* Looks the session cookie up into r->token (the user's name and role)
 * and sets r->session: ERR_OK, ERR_AUTH when there is no live session (or
 * its user was removed), another code when storage failed. */
MUST_USE enum err console_auth(struct req *r);

/* True when the request comes from the hub's own origin: its Origin (or,
 * without one, its Referer) is http(s):// followed by the Host header. */
bool console_same_origin(struct req *r);

/* Push hooks: before applying a session's change, an announcement's
 * author becomes the user's signature (never a login name); after any
 * change by a session or a staff or admin token, the change and its
 * result go to the audit trail. */
void console_push_prepare(struct req *r, struct push_change *c);
void console_push_note(struct req *r, const struct push_change *c, const struct push_result *res);

/* The kiosks with a long-poll parked right now (they are connected even
 * when their last request began long ago). New array of new strings. */
void console_connected(struct hub_http *h, char ***names, size_t *n);

/* The folder holding index.html for /console/: `given` when set, else the
 * first of <exe>/../share/sceaux/console, <exe>/../assets/console,
 * <exe>/../../assets/console, ./assets/console that has it. Fills out
 * (CONSOLE_DIR_MAX bytes); false when none is found (the console then
 * answers 404, the API is unaffected). */
MUST_USE bool console_find_dir(const char *given, char *out);

#endif
