/* ui_text: text set in lines by the ui core: the longest prefix that
 * fits, wrapping where French and English may break (text.h), one line
 * shortened with an ellipsis (ui_label) and paragraphs (ui_paragraph). */
#include <string.h>

#include "text.h"
#include "ui_int.h"

static size_t next_cp(const char *s, size_t i, size_t n)
{
    i++;
    while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
        i++;
    return i;
}

/* Longest prefix of text[0..n), cut at a code point, whose width is at
 * most width. Binary search over the code point boundaries: widths grow
 * with the prefix. */
static size_t fit_prefix(struct ui *ui, enum ui_font f, int size, const char *text, size_t n,
                         int width)
{
    size_t lo = 0, hi = n; /* lo fits (the empty prefix does); find the largest */
    if (ui->m.width(ui->m.ctx, f, size, text, n) <= width)
        return n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        while (mid > lo && mid < n && ((unsigned char)text[mid] & 0xc0) == 0x80)
            mid--; /* back to a code point boundary */
        if (mid == lo) {
            /* No boundary strictly inside (lo, hi]: try the next one up. */
            size_t next = next_cp(text, lo, n);
            if (next > hi || ui->m.width(ui->m.ctx, f, size, text, next) > width)
                return lo;
            lo = next;
            continue;
        }
        if (ui->m.width(ui->m.ctx, f, size, text, mid) <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    while (lo > 0 && lo < n && ((unsigned char)text[lo] & 0xc0) == 0x80)
        lo--;
    return lo;
}

/* The end of the chunk after p[from] (its spaces skipped), or 0 when
 * only spaces are left before para. */
static size_t next_chunk(const char *p, size_t from, size_t para, size_t *chunk_start)
{
    size_t w = from;
    while (w < para && p[w] == ' ')
        w++;
    *chunk_start = w;
    if (w >= para)
        return 0;
    bool address;
    return text_chunk_end(p, w, para, &address);
}

/* Where the chunks from start, measured one by one with the spaces
 * between, stop fitting in width: the end of the last one that fits, or
 * 0. Words recur across texts, so their widths mostly come from the
 * metrics' cache. */
static size_t estimate_fit(struct ui *ui, enum ui_font f, int size, const char *p, size_t start,
                           size_t para, int width)
{
    int space = ui->m.width(ui->m.ctx, f, size, " ", 1), sum = 0;
    size_t fit = 0, end = start, w, e;
    while ((e = next_chunk(p, end, para, &w)) != 0) {
        sum += (int)(w - end) * space + ui->m.width(ui->m.ctx, f, size, p + w, e - w);
        if (sum > width)
            break;
        fit = end = e;
    }
    return fit;
}

/* The end of the chunk before the one that ends at e, or 0. */
static size_t prev_chunk(const char *p, size_t start, size_t e)
{
    size_t prev = 0, end = start, w, c;
    while ((c = next_chunk(p, end, e, &w)) != 0 && c < e)
        prev = end = c;
    return prev;
}

/* The end of the line that starts at p[start], a paragraph of para bytes:
 * the longest run of whole chunks (text.h) that fits in width, or 0 when
 * not even the first one fits. The break is first estimated from the
 * chunks' own widths (each measured once, where measuring every longer
 * prefix cost k measures of up to a line for a line of k chunks), then
 * settled on the whole line measured on each side of it: shaping (kerning,
 * rounding) makes a line a pixel or so wider or narrower than its parts,
 * and the break stays exactly where the whole line stops fitting. */
static size_t fit_chunks(struct ui *ui, enum ui_font f, int size, const char *p, size_t start,
                         size_t para, int width)
{
    size_t fit = estimate_fit(ui, f, size, p, start, para, width), w, e;
    while (fit && ui->m.width(ui->m.ctx, f, size, p + start, fit - start) > width)
        fit = prev_chunk(p, start, fit);
    while ((e = next_chunk(p, fit ? fit : start, para, &w)) != 0) {
        if (ui->m.width(ui->m.ctx, f, size, p + start, e - start) > width)
            return fit;
        fit = e;
    }
    return fit ? fit : para; /* trailing spaces; a line of spaces only */
}

int ui_wrap(struct ui *ui, enum ui_font f, int size, const char *text, int width,
            void (*line)(void *ctx, const char *start, size_t len, bool cut), void *ctx)
{
    int lines = 0;
    const char *p = text;
    while (*p) {
        size_t para = strcspn(p, "\n");
        size_t start = 0;
        do {
            size_t fit = fit_chunks(ui, f, size, p, start, para, width);
            bool cut = false;
            if (fit == 0) {
                /* The first chunk alone is wider than the line: an email or
                 * a URL stays whole, shortened by the caller; a word is cut
                 * by characters. */
                size_t ws = start;
                while (ws < para && p[ws] == ' ')
                    ws++;
                size_t ce = text_chunk_end(p, ws, para, &cut);
                fit = cut ? ce : start + fit_prefix(ui, f, size, p + start, para - start, width);
                if (fit == start)
                    fit = next_cp(p, start, para);
            }
            if (line)
                line(ctx, p + start, fit - start, cut);
            lines++;
            start = fit;
            while (start < para && p[start] == ' ')
                start++;
        } while (start < para);
        p += para;
        if (*p == '\n')
            p++;
    }
    return lines;
}

void ui_label(struct ui *ui, struct ui_rect r, const char *text, enum ui_font f, int size,
              struct ui_color c, enum ui_align align)
{
    size_t n = strlen(text);
    int w = ui->m.width(ui->m.ctx, f, size, text, n);
    int lh = ui_line_height(ui, f, size);
    int y = r.y + (r.h - lh) / 2;
    if (w <= r.w) {
        int x = align == UI_LEFT ? r.x : align == UI_CENTER ? r.x + (r.w - w) / 2 : r.x + r.w - w;
        ui_draw_text_n(ui, x, y, text, n, f, size, c);
    } else {
        static const char ell[] = "\xe2\x80\xa6";
        int ew = ui->m.width(ui->m.ctx, f, size, ell, 3);
        size_t k = fit_prefix(ui, f, size, text, n, r.w - ew);
        while (k > 0 && text[k - 1] == ' ')
            k--;
        char tmp[1024];
        if (k > sizeof tmp - 4)
            k = sizeof tmp - 4;
        memcpy(tmp, text, k);
        memcpy(tmp + k, ell, 3);
        w = ui_draw_text_n(ui, r.x, y, tmp, k + 3, f, size, c);
    }
    ui_record(ui, text, "text", r, ui_id(ui, text), false, w);
}

struct para_ctx {
    struct ui *ui;
    struct ui_rect r;
    enum ui_font f;
    int size, lh, max_lines, n, maxw;
    struct ui_color c;
    bool more;
};

static void para_line(void *vctx, const char *start, size_t len, bool cut)
{
    struct para_ctx *p = vctx;
    if (p->max_lines && p->n >= p->max_lines) {
        p->more = true;
        return;
    }
    int y = p->r.y + p->n * p->lh;
    int w;
    if (cut || (p->max_lines && p->n == p->max_lines - 1 && start[len] != '\0')) {
        /* The last allowed line of a longer text, and an address wider
         * than the line, end with an ellipsis. */
        char tmp[1024];
        int ew = ui_text_width(p->ui, p->f, p->size, "\xe2\x80\xa6");
        size_t k = fit_prefix(p->ui, p->f, p->size, start, len, p->r.w - ew);
        if (k > sizeof tmp - 4)
            k = sizeof tmp - 4;
        memcpy(tmp, start, k);
        memcpy(tmp + k, "\xe2\x80\xa6", 3);
        w = ui_draw_text_n(p->ui, p->r.x, y, tmp, k + 3, p->f, p->size, p->c);
    } else {
        w = ui_draw_text_n(p->ui, p->r.x, y, start, len, p->f, p->size, p->c);
    }
    if (w > p->maxw)
        p->maxw = w;
    p->n++;
}

int ui_paragraph(struct ui *ui, struct ui_rect r, const char *text, enum ui_font f, int size,
                 struct ui_color c, int max_lines)
{
    struct para_ctx p = {ui, r, f, size, ui_line_height(ui, f, size), max_lines, 0, 0, c, false};
    ui_wrap(ui, f, size, text, r.w, para_line, &p);
    int h = p.n * p.lh;
    ui_record(ui, text, "text", (struct ui_rect){r.x, r.y, r.w, h}, ui_id(ui, text), false, p.maxw);
    return h;
}
