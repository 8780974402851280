/* text: the line-break rules of text.h. Words are compared as bytes:
 * the marks and units involved are few and fixed. */
#include "text.h"

#include <string.h>

/* Unit symbols a number keeps on its line; "€" and "%" are caught by the
 * rule on a word's first character. */
static const char *const units[] = {
    "h",   "min", "s",  "ms", "j",  "km", "m",  "cm", "mm",       "m²", "m2", "km²",
    "ha",  "kg",  "g",  "t",  "l",  "L",  "cl", "ml", "°C",       "°",  "W",  "kW",
    "kWh", "V",   "Ko", "Mo", "Go", "k€", "M€", "$",  "\xc2\xa3", NULL,
};

static bool has_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

static bool has_suffix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s + n - k, p, k) == 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return n > 0;
}

/* A word without the punctuation that may follow it ("h," "30)"). */
static size_t bare_len(const char *w, size_t n)
{
    while (n > 0 && strchr(",.;:!?)", w[n - 1]))
        n--;
    return n;
}

static bool is_unit(const char *w, size_t n)
{
    for (int i = 0; units[i]; i++)
        if (strlen(units[i]) == n && memcmp(w, units[i], n) == 0)
            return true;
    return false;
}

bool text_glued(const char *a, size_t an, const char *b, size_t bn)
{
    if (an == 0 || bn == 0)
        return false;
    if (strchr(":;!?%", b[0]) || has_prefix(b, bn, "\xc2\xbb") || has_prefix(b, bn, "\xe2\x82\xac"))
        return true;                   /* » € */
    if (has_suffix(a, an, "\xc2\xab")) /* « */
        return true;
    size_t bb = bare_len(b, bn);
    if (is_digit(a[an - 1]) && is_unit(b, bb))
        return true;
    if (an == 1 && a[0] == 'h' && bb == 2 && all_digits(b, bb))
        return true; /* 9 h 30 */
    if (an <= 3 && all_digits(a, an) && bb == 3 && all_digits(b, bb))
        return true;                                        /* 10 000 */
    return has_suffix(a, an, "\xc2\xb0") && is_digit(b[0]); /* n° 5 */
}

bool text_is_address(const char *w, size_t n)
{
    if (has_prefix(w, n, "www.") || memmem(w, n, "://", 3))
        return true;
    const char *at = memchr(w, '@', n);
    if (!at || at == w)
        return false;
    const char *dot = memchr(at + 1, '.', n - (size_t)(at + 1 - w));
    return dot && dot > at + 1 && dot + 1 < w + n;
}

static size_t word_end(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] != ' ')
        i++;
    return i;
}

size_t text_chunk_end(const char *s, size_t i, size_t n, bool *address)
{
    size_t ws = i, e = word_end(s, i, n);
    *address = text_is_address(s + ws, e - ws);
    for (;;) {
        size_t j = e;
        while (j < n && s[j] == ' ')
            j++;
        if (j >= n)
            return e;
        size_t f = word_end(s, j, n);
        if (!text_glued(s + ws, e - ws, s + j, f - j))
            return e;
        if (text_is_address(s + j, f - j))
            *address = true;
        ws = j;
        e = f;
    }
}
