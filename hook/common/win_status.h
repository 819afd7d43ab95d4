/* The outcome of a command: the Windows code, the Kea result and the
 * operator-readable sentence that go into the answer envelope. */
#ifndef WIN_STATUS_H
#define WIN_STATUS_H

#include "win_errors.h"

#define WIN_TEXT_MAX 512

/* Kea control-channel results (command_interpreter.h). */
enum { WIN_RESULT_SUCCESS = 0, WIN_RESULT_ERROR = 1, WIN_RESULT_EMPTY = 3 };

struct win_status {
    enum win_error code;
    int result;
    char text[WIN_TEXT_MAX];
};

/* Each sets the status and returns -1 (0 for win_succeed), so a check can be
 * written `return win_fail(st, ...);`. */
int win_fail(struct win_status *st, enum win_error code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int win_not_found(struct win_status *st, enum win_error code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int win_succeed(struct win_status *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
