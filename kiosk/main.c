/* sceaux-kiosk: the touchscreen app of the Sceaux kiosk appliance.
 *
 * Architecture (start here): main.c parses the command line and the
 * key=value config file, sets up SDL and runs the frame loop; it sleeps in
 * SDL_WaitEventTimeout and draws a frame only when something changed:
 * input, an animation, the replica (PRAGMA data_version, polled every
 * 250 ms), the minute on the clock or the idle countdown. app.c is the
 * shell (status bar, navigation, banner, dialogs) and dispatches to one
 * screen_*.c per screen; those ask model.c (queries of the local replica,
 * the only data source) and draw through widget.c on the immediate-mode
 * core ui.c, which never calls SDL: it emits draw commands that render.c
 * replays. script.c drives the whole app from a test script. Appearance is
 * theme.h, words are i18n.c; the command line and config file, options.c. */
#include <SDL.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "log.h"
#include "notify.h"
#include "options.h"
#include "picture.h"
#include "render.h"
#include "script.h"
#include "xalloc.h"

/* ---- SDL ---- */

/* The start, cut where the first frame's time goes (SCEAUX_KIOSK_STATS):
 * what any SDL window pays (sdl, window, present), and what is the
 * kiosk's own (replica, fonts, layout, draw). */
enum phase { PH_REPLICA, PH_SDL, PH_WINDOW, PH_FONTS, PH_LAYOUT, PH_DRAW, PH_PRESENT, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {"replica", "sdl",  "window", "fonts",
                                                  "layout",  "draw", "present"};

struct kiosk {
    SDL_Window *win;
    SDL_Renderer *sdl;
    struct render *render;
    struct pictures *pictures;
    struct app *app;
    /* Figures for `make bench` (printed when SCEAUX_KIOSK_STATS is set). */
    uint64_t start_us, first_frame_us, max_frame_us, sum_frame_us;
    uint64_t start_cpu_us, phase_us[PH_COUNT], phase_cpu_us[PH_COUNT];
    unsigned long frames, presented;
    /* Since the script's last `mark`. */
    uint64_t mark_sum_us, mark_max_us, baseline_us;
    unsigned long mark_presented, mark_rasterised, baseline_frames;
    bool marked;
    unsigned long clock_frames; /* drawn only because the minute changed */
    unsigned long scrolled;     /* drawn by moving a scrolled list's pixels */
    bool partial_ok;            /* the target holds the last frame drawn */
    bool check_damage;
    unsigned long damage_errors;
};

static uint64_t now_us(void)
{
    return SDL_GetPerformanceCounter() * 1000000 / SDL_GetPerformanceFrequency();
}

/* CPU time of the process, all threads, since exec. */
static uint64_t cpu_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

/* The first time the start reaches p. */
static void phase(struct kiosk *k, enum phase p)
{
    if (!k->phase_us[p]) {
        k->phase_us[p] = now_us();
        k->phase_cpu_us[p] = cpu_us();
    }
}

/* Each phase's wall and CPU milliseconds, from the end of the one before;
 * before_main is the CPU that exec and the dynamic loader took. */
static void print_phases(const struct kiosk *k)
{
    char line[512];
    int n = snprintf(line, sizeof line, "kiosk first frame (wall/cpu ms): before_main=%.1f",
                     (double)k->start_cpu_us / 1000.0);
    uint64_t t = k->start_us, c = k->start_cpu_us;
    for (int p = 0; p < PH_COUNT && n > 0 && (size_t)n < sizeof line; p++) {
        if (!k->phase_us[p])
            continue;
        n += snprintf(line + n, sizeof line - (size_t)n, " %s=%.1f/%.1f", phase_names[p],
                      (double)(k->phase_us[p] - t) / 1000.0,
                      (double)(k->phase_cpu_us[p] - c) / 1000.0);
        t = k->phase_us[p];
        c = k->phase_cpu_us[p];
    }
    fprintf(stderr, "%s\n", line);
}

static void print_stats(const struct kiosk *k)
{
    if (!getenv("SCEAUX_KIOSK_STATS") || !k->render)
        return;
    struct render_stats rs;
    render_stats(k->render, &rs);
    struct pictures_stats ps;
    pictures_stats(k->pictures, &ps);
    fprintf(stderr,
            "kiosk stats: first_frame_ms=%.1f frames=%lu presented=%lu mean_frame_ms=%.2f "
            "max_frame_ms=%.2f rasterised=%lu cached=%lu clock_frames=%lu scrolled=%lu "
            "pictures_decoded=%lu pictures_failed=%lu pictures_kb=%zu\n",
            (double)(k->first_frame_us - k->start_us) / 1000.0, k->frames, k->presented,
            k->presented ? (double)k->sum_frame_us / 1000.0 / (double)k->presented : 0.0,
            (double)k->max_frame_us / 1000.0, rs.rasterised, rs.cached, k->clock_frames,
            k->scrolled, ps.decoded, ps.failed, ps.bytes / 1024);
    print_phases(k);
    if (k->marked) {
        unsigned long n = k->presented - k->mark_presented;
        fprintf(stderr,
                "kiosk stats since mark: presented=%lu mean_frame_ms=%.3f max_frame_ms=%.3f "
                "rasterised=%lu baseline_frames=%lu baseline_frame_ms=%.3f\n",
                n, n ? (double)k->mark_sum_us / 1000.0 / (double)n : 0.0,
                (double)k->mark_max_us / 1000.0, rs.rasterised - k->mark_rasterised,
                k->baseline_frames,
                k->baseline_frames ? (double)k->baseline_us / 1000.0 / (double)k->baseline_frames
                                   : 0.0);
    }
}

static enum err host_screenshot(void *ctx, const char *path, char *errbuf, size_t errlen)
{
    struct kiosk *k = ctx;
    render_frame(k->render, k->app->ui, k->app->look.pal->bg, NULL);
    return render_screenshot(k->render, path, errbuf, errlen);
}

static void host_resize(void *ctx, int w, int h)
{
    struct kiosk *k = ctx;
    SDL_SetWindowSize(k->win, w, h);
    k->app->redraw = true;
    k->partial_ok = false;
}

static void handle(struct kiosk *k, const SDL_Event *ev)
{
    struct app *a = k->app;
    struct ui *ui = a->ui;
    uint64_t ms = SDL_GetTicks64();
    switch (ev->type) {
    case SDL_QUIT:
        if (!a->cfg.fullscreen)
            a->quit = true;
        break;
    case SDL_WINDOWEVENT:
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        /* Exposed, resized or lost: the next frame is drawn whole. */
        k->partial_ok = false;
        a->redraw = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button == SDL_BUTTON_LEFT) {
            ui_pointer_down(ui, ev->button.x, ev->button.y, ms);
            app_touched(a);
        }
        break;
    case SDL_MOUSEMOTION:
        ui_pointer_move(ui, ev->motion.x, ev->motion.y, ms);
        if (ev->motion.state)
            app_touched(a);
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.button == SDL_BUTTON_LEFT) {
            ui_pointer_up(ui, ev->button.x, ev->button.y, ms);
            app_touched(a);
        }
        break;
    case SDL_TEXTINPUT:
        ui_text_input(ui, ev->text.text);
        app_touched(a);
        break;
    case SDL_KEYDOWN:
        app_touched(a);
        if (ev->key.keysym.sym == SDLK_BACKSPACE)
            ui_key(ui, UI_KEY_BACKSPACE);
        else if (ev->key.keysym.sym == SDLK_RETURN || ev->key.keysym.sym == SDLK_KP_ENTER)
            ui_key(ui, UI_KEY_ENTER);
        else if (ev->key.keysym.sym == SDLK_ESCAPE && !a->cfg.fullscreen)
            a->quit = true;
        break;
    default:
        break;
    }
}

/* SIGTERM and SIGINT stop the kiosk cleanly even in lock-down, where the
 * window system's quit requests (Alt+F4, close) are ignored: SDL's own
 * handlers would turn both into the same SDL_QUIT. */
static volatile sig_atomic_t stop_requested;
/* SIGUSR1 prints the figures now (SCEAUX_KIOSK_STATS), for a bench that
 * counts frames over a window of time. */
static volatile sig_atomic_t stats_requested;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        stats_requested = 1;
    else
        stop_requested = 1;
}

/* With no size set, the kiosk takes the display's: under a compositor
 * such as cage the output may be 1280x720 while nothing says so on the
 * command line. Headless (the dummy driver, whose made-up mode is
 * 1024x768) it draws the 1920x1080 the scenarios expect. Frames follow
 * the renderer's size, so a later resize by the compositor is taken too. */
static void display_size(int *w, int *h)
{
    SDL_DisplayMode m;
    const char *driver = SDL_GetCurrentVideoDriver();
    if ((driver && strcmp(driver, "dummy") == 0) || SDL_GetDesktopDisplayMode(0, &m) != 0 ||
        m.w < 200 || m.h < 200) {
        *w = 1920;
        *h = 1080;
        return;
    }
    *w = m.w;
    *h = m.h;
}

/* The picture cache folder: the one given, or the replica's beside it.
 * Decoded pictures are large blocks freed in turn (a file's pixels, then
 * a texture dropped from the cache): with a fixed threshold glibc maps
 * each on its own and gives it back when freed, where its moving
 * threshold would keep them in the heap, resident (bench/kiosk.sh). */
static int setup_pictures(struct kiosk *k, const struct app_config *c)
{
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    char dir[4096], err[300];
    snprintf(dir, sizeof dir, "%s%s", c->pictures ? c->pictures : c->db,
             c->pictures ? "" : ".pictures");
    if (pictures_new(k->sdl, dir, THEME_PICTURE_BUDGET, &k->pictures, err, sizeof err)) {
        fprintf(stderr, "sceaux-kiosk: %s\n", err);
        return 1;
    }
    render_set_pictures(k->render, k->pictures);
    return 0;
}

/* The software renderer draws into the window's framebuffer, under X11
 * a fresh 8 MB shared memory segment at 1920x1080 whose pages the first
 * clear faulted in one by one: 2,025 faults, half the page faults of the
 * start and about 30 ms of CPU to the first frame under Xvfb (bench/kiosk.sh),
 * where asking the kernel for all of them at once costs a few. Best
 * effort: where this cannot be done the first clear faults them in. */
static void prefault_framebuffer(SDL_Window *win)
{
#ifdef MADV_POPULATE_WRITE
    SDL_Surface *s = SDL_GetWindowSurface(win);
    if (!s || !s->pixels || s->h <= 0 || s->pitch <= 0)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)s->pixels & ~(page - 1);
    uintptr_t to = (uintptr_t)s->pixels + (uintptr_t)s->pitch * (uintptr_t)s->h;
    (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
    (void)win;
#endif
}

static int setup(struct kiosk *k, const struct app_config *c)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    if (!c->accelerated) {
        /* No GPU: SDL's software renderer is ~20 MB and <1 ms a present,
         * against ~110 MB and 5-9 ms for a software OpenGL (docs/architecture.md). */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    }
    if (c->fullscreen)
        SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    /* Start-up work a kiosk never uses, unless the session asks for it:
     * Xlib parsing the locale's Compose table for its input method (dead
     * keys of a physical keyboard; visitors type on the kiosk's own) was
     * over a quarter of the instructions to the first frame, and libdbus forking
     * dbus-launch to find a session bus the appliance does not run. */
    setenv("XCOMPOSEFILE", "/dev/null", 0);
    setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 0);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "sceaux-kiosk: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    phase(k, PH_SDL);
    int w = c->width, h = c->height;
    if (!w)
        display_size(&w, &h);
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (c->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    k->win =
        SDL_CreateWindow("Sceaux", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!k->win) {
        fprintf(stderr, "sceaux-kiosk: cannot open a window: %s\n", SDL_GetError());
        return 1;
    }
    k->sdl = SDL_CreateRenderer(k->win, -1,
                                c->accelerated ? SDL_RENDERER_ACCELERATED : SDL_RENDERER_SOFTWARE);
    if (!k->sdl) {
        fprintf(stderr, "sceaux-kiosk: cannot create a renderer: %s\n", SDL_GetError());
        return 1;
    }
    if (!c->accelerated)
        prefault_framebuffer(k->win);
    if (c->fullscreen) {
        SDL_ShowCursor(SDL_DISABLE);
        SDL_SetWindowKeyboardGrab(k->win, SDL_TRUE);
    }
    SDL_StartTextInput();
    phase(k, PH_WINDOW);
    struct render_fonts fonts = {c->font_regular, c->font_bold, c->font_icons};
    char err[300];
    if (render_new(k->sdl, &fonts, &k->render, err, sizeof err)) {
        fprintf(stderr, "sceaux-kiosk: %s\n", err);
        return 1;
    }
    phase(k, PH_FONTS);
    return setup_pictures(k, c);
}

static void teardown(struct kiosk *k)
{
    pictures_free(k->pictures);
    render_free(k->render);
    if (k->sdl)
        SDL_DestroyRenderer(k->sdl);
    if (k->win)
        SDL_DestroyWindow(k->win);
    SDL_Quit();
}

/* Does the clock or the countdown need a new frame? *minute says the
 * minute on the clock changed. */
static bool time_changed(struct app *a, int64_t *last_min, int64_t *last_sec, bool *minute)
{
    int64_t now = ts_now();
    bool need = false;
    *minute = now / 60 != *last_min;
    if (*minute)
        need = true;
    if (now != *last_sec &&
        (app_countdown(a) >= 0 || now - a->last_input == a->cfg.idle_s ||
         (a->toast[0] && now >= a->toast_until) || (a->wake_at && now >= a->wake_at)))
        need = true;
    if (need) {
        *last_min = now / 60;
        *last_sec = now;
    }
    return need;
}

static void account(struct kiosk *k, uint64_t us)
{
    k->presented++;
    k->sum_frame_us += us;
    if (us > k->max_frame_us)
        k->max_frame_us = us;
    k->mark_sum_us += us;
    if (us > k->mark_max_us)
        k->mark_max_us = us;
}

static void host_mark(void *ctx)
{
    struct kiosk *k = ctx;
    struct render_stats rs;
    render_stats(k->render, &rs);
    k->marked = true;
    k->mark_presented = k->presented;
    k->mark_rasterised = rs.rasterised;
    k->mark_sum_us = k->mark_max_us = 0;
    k->baseline_us = 0;
    k->baseline_frames = 0;
}

/* The unchanged frame again: what a steady frame costs, all from caches. */
static void host_redraw(void *ctx, int n)
{
    struct kiosk *k = ctx;
    for (int i = 0; i < n; i++) {
        uint64_t t0 = now_us();
        render_frame(k->render, k->app->ui, k->app->look.pal->bg, NULL);
        SDL_RenderPresent(k->sdl);
        account(k, now_us() - t0);
    }
}

/* A bare clear+present on the same renderer: the baseline of a frame. */
static void host_baseline(void *ctx, int n)
{
    struct kiosk *k = ctx;
    for (int i = 0; i < n; i++) {
        uint64_t t0 = now_us();
        SDL_SetRenderDrawColor(k->sdl, 0, 0, 0, 255);
        SDL_RenderClear(k->sdl);
        SDL_RenderPresent(k->sdl);
        k->baseline_us += now_us() - t0;
        k->baseline_frames++;
    }
    k->partial_ok = false;
    k->app->redraw = true; /* the screen must come back */
}

/* Tests (SCEAUX_KIOSK_CHECK_DAMAGE=1): a partial frame must equal the
 * whole frame drawn from scratch, pixel for pixel. */
static void check_damage(struct kiosk *k)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(k->sdl, &w, &h);
    size_t n = (size_t)w * (size_t)h * 4;
    uint8_t *partial = xmalloc(n), *whole = xmalloc(n);
    SDL_RenderReadPixels(k->sdl, NULL, SDL_PIXELFORMAT_ARGB8888, partial, w * 4);
    render_frame(k->render, k->app->ui, k->app->look.pal->bg, NULL);
    SDL_RenderReadPixels(k->sdl, NULL, SDL_PIXELFORMAT_ARGB8888, whole, w * 4);
    if (memcmp(partial, whole, n) != 0) {
        k->damage_errors++;
        fprintf(stderr, "sceaux-kiosk: partial frame %lu differs from a whole frame\n",
                k->presented + 1);
    }
    free(partial);
    free(whole);
}

static void frame(struct kiosk *k)
{
    struct app *a = k->app;
    uint64_t t0 = now_us();
    if (a->kbd.queue[0]) {
        ui_text_input(a->ui, a->kbd.queue);
        a->kbd.queue[0] = '\0';
    }
    a->redraw = false;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(k->sdl, &w, &h);
    pictures_frame(k->pictures);
    app_frame(a, w, h, SDL_GetTicks64());
    phase(k, PH_LAYOUT);
    k->frames++;
    if (ui_changed(a->ui)) {
        /* The software renderer keeps its target between presents, so
         * only what changed is drawn again, and a scrolled list is moved
         * in place with only the strip that comes in drawn (ui.h,
         * ui_damage_plan); anything else (a GPU, a resize, the bench's
         * bare frames) gets a full frame. */
        struct ui_damage damage;
        bool partial = k->partial_ok && !a->cfg.accelerated &&
                       ui_damage_plan(a->ui, render_can_scroll(k->render), &damage);
        render_frame(k->render, a->ui, a->look.pal->bg, partial ? &damage : NULL);
        phase(k, PH_DRAW);
        if (partial && damage.scroll)
            k->scrolled++;
        k->partial_ok = true;
        if (partial && k->check_damage)
            check_damage(k);
        SDL_RenderPresent(k->sdl);
        uint64_t t1 = now_us();
        if (!k->first_frame_us)
            k->first_frame_us = t1;
        phase(k, PH_PRESENT);
        account(k, t1 - t0);
    }
}

static int loop(struct kiosk *k, struct script *script)
{
    struct app *a = k->app;
    struct script_host host = {a,           k,           a->cfg.screenshots, host_screenshot,
                               host_resize, host_redraw, host_baseline,      host_mark};
    int64_t last_min = 0, last_sec = 0;
    bool need = true;
    int delay = 0;
    while (!a->quit && !stop_requested) {
        notify_watchdog();
        int timeout = need || a->redraw ? 0 : THEME_POLL_MS;
        if (script)
            timeout = delay;
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, timeout)) {
            handle(k, &ev);
            while (SDL_PollEvent(&ev))
                handle(k, &ev);
            need = true;
        }
        if (model_poll(a->model, SDL_GetTicks64()))
            need = true;
        if (pictures_poll(k->pictures, SDL_GetTicks64()))
            need = true;
        bool minute;
        bool clock_only = !need && !a->redraw && !script;
        if (time_changed(a, &last_min, &last_sec, &minute))
            need = true;
        clock_only = clock_only && minute;
        if (need || a->redraw || script) {
            need = false;
            unsigned long before = k->presented;
            bool was_asleep = a->asleep;
            frame(k);
            /* Asleep, the system may blank and power down the display
             * (DPMS); awake, it must not. */
            if (a->asleep != was_asleep) {
                if (a->asleep)
                    SDL_EnableScreenSaver();
                else
                    SDL_DisableScreenSaver();
            }
            if (clock_only && k->presented > before)
                k->clock_frames++;
        }
        if (stats_requested) {
            stats_requested = 0;
            print_stats(k);
        }
        if (script) {
            char err[600];
            enum script_status st = script_step(script, &host, &delay, err, sizeof err);
            if (st == SCRIPT_FAILED) {
                fprintf(stderr, "sceaux-kiosk: %s\n", err);
                return 1;
            }
            if (st == SCRIPT_DONE)
                return 0;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    xalloc_init();
    log_init("kiosk");
    struct options o;
    options_init(&o);
    int rc = options_parse(&o, argc, argv);
    if (rc < 0) {
        rc = 1;
        struct script *script = NULL;
        struct model *model = NULL;
        struct kiosk k = {0};
        k.start_us = now_us();
        k.start_cpu_us = cpu_us();
        char err[400];
        if (o.cfg.script && script_load(o.cfg.script, &script, err, sizeof err)) {
            fprintf(stderr, "sceaux-kiosk: %s\n", err);
        } else if (model_open(o.cfg.db, &model, err, sizeof err)) {
            fprintf(stderr, "sceaux-kiosk: cannot open replica '%s': %s\n", o.cfg.db, err);
        } else {
            phase(&k, PH_REPLICA);
            if (script)
                ts_set_clock(script_clock);
            if (setup(&k, &o.cfg) == 0) {
                struct render_metrics_holder {
                    struct ui_text_metrics m;
                } h = {render_metrics(k.render)};
                struct ui *ui = ui_new(&h.m);
                struct app *a = xcalloc(1, sizeof *a);
                app_init(a, &o.cfg, model, ui);
                a->look.pictures = k.pictures;
                k.app = a;
                k.check_damage = getenv("SCEAUX_KIOSK_CHECK_DAMAGE") != NULL;
                notify_ready();
                rc = loop(&k, script);
                notify_stopping();
                print_stats(&k);
                if (k.damage_errors && rc == 0)
                    rc = 1;
                ui_free(ui);
                free(a);
            }
            teardown(&k);
        }
        model_close(model);
        script_free(script);
    }
    options_release(&o);
    return rc;
}
