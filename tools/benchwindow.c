/* sceaux-benchwindow: the baseline of the kiosk's first frame in
 * bench/kiosk.sh: the least any SDL program pays on this display to show
 * one frame, from main() to the first present of a cleared window.
 *
 *   sceaux-benchwindow
 *
 * It asks SDL for what the kiosk asks (the software renderer, the
 * display's size, the same environment) and draws nothing else, then
 * prints one line: first_frame_ms=X. On these machines most of it is the
 * display server's (Xvfb's first copy of the window), which no content
 * changes. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: sceaux-benchwindow\n");
        return 2;
    }
    Uint64 t0 = SDL_GetPerformanceCounter();
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    setenv("XCOMPOSEFILE", "/dev/null", 0);
    setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 0);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "sceaux-benchwindow: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    SDL_DisplayMode m;
    int w = 1920, h = 1080;
    if (SDL_GetDesktopDisplayMode(0, &m) == 0 && m.w >= 200 && m.h >= 200) {
        w = m.w;
        h = m.h;
    }
    SDL_Window *win = SDL_CreateWindow("Sceaux", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w,
                                       h, SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!r) {
        fprintf(stderr, "sceaux-benchwindow: cannot open a window: %s\n", SDL_GetError());
        SDL_Quit();
        return 1;
    }
    SDL_SetRenderDrawColor(r, 0xf3, 0xef, 0xe6, 0xff);
    SDL_RenderClear(r);
    SDL_RenderPresent(r);
    Uint64 t1 = SDL_GetPerformanceCounter();
    printf("first_frame_ms=%.1f\n",
           (double)(t1 - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency());
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}
