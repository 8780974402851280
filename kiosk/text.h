/* text: where a line of French or English may break, for ui_wrap.
 *
 * Text is UTF-8 split into words at ASCII spaces; a no-break space
 * (U+00A0, U+202F) is part of a word, so it never breaks. Data typed by
 * people often has an ordinary space where French typography wants a
 * no-break one, so two words are also kept together when:
 *   - the second starts with : ; ! ? » % or € ("froid : appelez");
 *   - the first ends with « ;
 *   - the first ends with a digit and the second is a unit ("8 h", "5 km");
 *   - the first is the unit "h" and the second the minutes ("9 h 30");
 *   - both are groups of digits, the second of three ("10 000").
 * An email or a URL is never cut: a line too narrow for it shows it
 * shortened with an ellipsis (ui_wrap). Pure functions of bytes. */
#ifndef SCEAUX_KIOSK_TEXT_H
#define SCEAUX_KIOSK_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* Must the words a[0..an) and b[0..bn) stay on one line? */
bool text_glued(const char *a, size_t an, const char *b, size_t bn);
/* Is w[0..n) (one word) an email address or a URL? */
bool text_is_address(const char *w, size_t n);
/* The end of the chunk that starts at s[i]: the words from i on that are
 * glued together, up to n. *address is set when one of them is an email
 * or a URL. s[i] is not a space. */
size_t text_chunk_end(const char *s, size_t i, size_t n, bool *address);

#endif
