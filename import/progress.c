#include "progress.h"

#include <time.h>

#define REDRAW_S 0.25

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, FILE *out, const char *verb, size_t total)
{
    p->out = out;
    p->verb = verb;
    p->total = total;
    p->done = 0;
    p->drawn = 0;
    p->started = p->last_drawn = seconds();
}

static void draw(struct progress *p, double now)
{
    double elapsed = now - p->started;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0;
    size_t total = p->total > p->done ? p->total : p->done;
    fprintf(p->out, "\r\033[Kkea-win-import: %zu of %zu leases %s, %.0f/s", p->done, total,
            p->verb, rate);
    if (rate > 0) fprintf(p->out, ", %.0f s left", (double)(total - p->done) / rate);
    fflush(p->out);
    p->drawn = 1;
    p->last_drawn = now;
}

void progress_tick(struct progress *p)
{
    if (!p) return;
    p->done++;
    if (p->done % 256) return;   /* the clock is read once every 256 records */
    double now = seconds();
    if (now - p->last_drawn >= REDRAW_S) draw(p, now);
}

void progress_end(struct progress *p)
{
    if (!p || !p->drawn) return;
    fputs("\r\033[K", p->out);
    fflush(p->out);
    p->drawn = 0;
}
