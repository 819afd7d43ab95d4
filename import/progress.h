/* The progress line on a terminal: records done of the total, records per
 * second and the time left, on standard error, redrawn at most four times a
 * second and only after the run has lasted a quarter of a second (a short
 * import shows nothing). Nothing at all when standard error is not a
 * terminal: the caller then passes no progress. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <stdio.h>

struct progress {
    FILE *out;
    const char *verb;       /* "converted", "sent" */
    size_t total, done;
    double started, last_drawn;
    int drawn;              /* a line is on the screen */
};

void progress_start(struct progress *p, FILE *out, const char *verb, size_t total);
/* One more record done (p may be NULL). */
void progress_tick(struct progress *p);
/* Erases the line, leaving the terminal as it was. */
void progress_end(struct progress *p);

#endif
