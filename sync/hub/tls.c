/* tls (hub): see tls.h. A loaded certificate is a `struct keys`; the
 * current one is swapped under a lock at reload. The replaced ones are
 * kept until tls_release(): a handshake begun a moment before a reload
 * may still be signing with the old key, and reloads are rare (a renewal
 * every month or two), so keeping them is cheaper than counting users. */
#include "tls.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define TLS_CHAIN_MAX 8 /* leaf and intermediates */

struct keys {
    gnutls_pcert_st pcert[TLS_CHAIN_MAX];
    unsigned n;
    gnutls_privkey_t key;
    struct keys *older; /* replaced ones, freed by tls_release() */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct keys *current;
static char *cert_file, *key_file;

static void keys_free(struct keys *k)
{
    for (unsigned i = 0; i < k->n; i++)
        gnutls_pcert_deinit(&k->pcert[i]);
    if (k->key)
        gnutls_privkey_deinit(k->key);
    free(k);
}

/* The DER form of a public key, for comparing two of them. */
static int pubkey_der(gnutls_pubkey_t pub, gnutls_datum_t *out)
{
    return gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, out);
}

static bool key_matches(struct keys *k)
{
    gnutls_pubkey_t pub = NULL;
    gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
    bool same = gnutls_pubkey_init(&pub) == 0 &&
                gnutls_pubkey_import_privkey(pub, k->key, 0, 0) == 0 && pubkey_der(pub, &a) == 0 &&
                pubkey_der(k->pcert[0].pubkey, &b) == 0 && a.size == b.size &&
                memcmp(a.data, b.data, a.size) == 0;
    gnutls_free(a.data);
    gnutls_free(b.data);
    if (pub)
        gnutls_pubkey_deinit(pub);
    return same;
}

static enum err keys_read(const char *cert_path, const char *key_path, struct keys **out,
                          char *errbuf, size_t errlen)
{
    struct keys *k = xcalloc(1, sizeof *k);
    k->n = TLS_CHAIN_MAX;
    int rc = gnutls_pcert_list_import_x509_file(k->pcert, &k->n, cert_path, GNUTLS_X509_FMT_PEM,
                                                NULL, NULL, 0);
    if (rc < 0) {
        k->n = 0;
        snprintf(errbuf, errlen, "cannot read the certificate '%s': %s", cert_path,
                 gnutls_strerror(rc));
        keys_free(k);
        return ERR_INVALID;
    }
    gnutls_datum_t pem = {NULL, 0};
    rc = gnutls_load_file(key_path, &pem);
    if (rc == 0)
        rc = gnutls_privkey_init(&k->key);
    if (rc == 0)
        rc = gnutls_privkey_import_x509_raw(k->key, &pem, GNUTLS_X509_FMT_PEM, NULL, 0);
    if (pem.data) {
        memset(pem.data, 0, pem.size);
        gnutls_free(pem.data);
    }
    if (rc < 0) {
        snprintf(errbuf, errlen, "cannot read the private key '%s': %s", key_path,
                 gnutls_strerror(rc));
        keys_free(k);
        return ERR_INVALID;
    }
    if (!key_matches(k)) {
        snprintf(errbuf, errlen, "the key '%s' is not the key of the certificate '%s'", key_path,
                 cert_path);
        keys_free(k);
        return ERR_INVALID;
    }
    *out = k;
    return ERR_OK;
}

enum err tls_load(const char *cert_path, const char *key_path, char *errbuf, size_t errlen)
{
    struct keys *k = NULL;
    enum err rc = keys_read(cert_path, key_path, &k, errbuf, errlen);
    if (rc)
        return rc;
    char *c = xstrdup(cert_path), *p = xstrdup(key_path);
    pthread_mutex_lock(&lock);
    k->older = current;
    current = k;
    free(cert_file);
    free(key_file);
    cert_file = c;
    key_file = p;
    pthread_mutex_unlock(&lock);
    return ERR_OK;
}

enum err tls_reload(char *errbuf, size_t errlen)
{
    pthread_mutex_lock(&lock);
    char *c = cert_file ? xstrdup(cert_file) : NULL, *p = key_file ? xstrdup(key_file) : NULL;
    pthread_mutex_unlock(&lock);
    enum err rc = ERR_INVALID;
    if (c && p)
        rc = tls_load(c, p, errbuf, errlen);
    else
        snprintf(errbuf, errlen, "no certificate to reload");
    free(c);
    free(p);
    return rc;
}

static int retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *privkey)
{
    (void)session;
    (void)req_ca_rdn;
    (void)nreqs;
    (void)pk_algos;
    (void)pk_algos_length;
    pthread_mutex_lock(&lock);
    struct keys *k = current;
    pthread_mutex_unlock(&lock);
    if (!k)
        return -1;
    /* Borrowed by GnuTLS, which frees nothing it got from this callback. */
    *pcert = k->pcert;
    *pcert_length = k->n;
    *privkey = k->key;
    return 0;
}

gnutls_certificate_retrieve_function2 *tls_mhd_callback(void)
{
    return retrieve;
}

void tls_release(void)
{
    pthread_mutex_lock(&lock);
    while (current) {
        struct keys *older = current->older;
        keys_free(current);
        current = older;
    }
    free(cert_file);
    free(key_file);
    cert_file = key_file = NULL;
    pthread_mutex_unlock(&lock);
}

bool tls_addr_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return false;
}
