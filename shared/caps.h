/* caps: the protocol's numbers (docs/protocol.md, limits), once.
 *
 * Every program that writes, checks or explains a cap takes it from here:
 * the hub's defaults, the daemon's push and answer buffers, the admin
 * tool, the fuzzers and benches, and the console, which reads them (with
 * the tables' field lengths and enum values of tables.h) from the hub's
 * GET /v1/console/schema. Field lengths live in tables.h and tables.c. */
#ifndef SCEAUX_CAPS_H
#define SCEAUX_CAPS_H

#define CAPS_MIB(n) ((unsigned)(n) << 20)

#define CAPS_BODY_MB 4 /* a request body as sent */
#define CAPS_BODY_MAX CAPS_MIB(CAPS_BODY_MB)
#define CAPS_INFLATED_MB 16 /* a request body once inflated */
#define CAPS_INFLATED_MAX CAPS_MIB(CAPS_INFLATED_MB)
#define CAPS_ANSWER_MB 32 /* an answer a client takes, raw and inflated */
#define CAPS_ANSWER_MAX CAPS_MIB(CAPS_ANSWER_MB)
#define CAPS_PUSH_CHANGES 1000 /* changes a push */
#define CAPS_PULL_CHANGES 5000 /* changes a pull page (the largest `limit`) */
#define CAPS_DEPTH 32          /* JSON nesting */
#define CAPS_PICTURE_MB 16     /* an uploaded picture, as sent (a phone photo is 2 to 8) */
#define CAPS_PICTURE_MAX CAPS_MIB(CAPS_PICTURE_MB)

#endif
