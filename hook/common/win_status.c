#include "win_status.h"

#include <stdarg.h>
#include <stdio.h>

static void set(struct win_status *st, enum win_error code, int result,
                const char *fmt, va_list ap)
{
    st->code = code;
    st->result = result;
    vsnprintf(st->text, sizeof st->text, fmt, ap);
}

int win_fail(struct win_status *st, enum win_error code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set(st, code, WIN_RESULT_ERROR, fmt, ap);
    va_end(ap);
    return -1;
}

int win_not_found(struct win_status *st, enum win_error code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set(st, code, WIN_RESULT_EMPTY, fmt, ap);
    va_end(ap);
    return -1;
}

int win_succeed(struct win_status *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set(st, ERROR_SUCCESS, WIN_RESULT_SUCCESS, fmt, ap);
    va_end(ap);
    return 0;
}
