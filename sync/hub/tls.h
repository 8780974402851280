/* tls (hub): the hub's own HTTPS certificate, read from PEM files and
 * swapped in place on reload (SIGHUP), so a renewed certificate takes
 * effect without a restart and without dropping the long-polls.
 *
 * libmicrohttpd asks tls_mhd_callback() for the certificate at each
 * handshake (MHD_OPTION_HTTPS_CERT_CALLBACK); established connections keep
 * the one they shook hands with. One certificate per process: GnuTLS's
 * callback gets only the session, whose user pointer libmicrohttpd owns,
 * so the current certificate is module state. */
#ifndef SCEAUX_HUB_TLS_H
#define SCEAUX_HUB_TLS_H
#include <gnutls/abstract.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "err.h"

/* Reads the certificate chain (leaf first) and its private key; the key
 * must match the leaf. On success they serve the next handshakes; on
 * error errbuf says why and the certificate served before (if any) stays.
 * The paths are copied. */
enum err tls_load(const char *cert_path, const char *key_path, char *errbuf, size_t errlen);
/* tls_load() again from the same paths (the operator renewed the files). */
enum err tls_reload(char *errbuf, size_t errlen);
/* The gnutls_certificate_retrieve_function2 to hand libmicrohttpd. */
gnutls_certificate_retrieve_function2 *tls_mhd_callback(void);
/* Frees every certificate loaded; after MHD_stop_daemon only. */
void tls_release(void);

/* True for 127.0.0.0/8 and ::1 (and ::ffff:127.0.0.0/104): the addresses
 * where plain HTTP is allowed without --insecure-http. */
bool tls_addr_is_loopback(const struct sockaddr *sa);

#endif
