#include "win_messages.h"

#include "win_host.h"

static const struct {
    const char *name;
    enum win_log_level level;
    const char *text;
} messages[] = {
    {NULL, WIN_LOG_DEBUG, NULL}, /* WIN_MESSAGE_NONE */
#define WIN_MSG(id, severity, text) {#id, WIN_LOG_##severity, text},
#include "win_messages.def"
#undef WIN_MSG
};

_Static_assert(sizeof messages / sizeof messages[0] == WIN_MESSAGE_COUNT,
               "one entry per message");

static int known(enum win_message id)
{
    return id > WIN_MESSAGE_NONE && id < WIN_MESSAGE_COUNT;
}

const char *win_message_name(enum win_message id)
{
    return known(id) ? messages[id].name : NULL;
}

enum win_log_level win_message_level(enum win_message id)
{
    return known(id) ? messages[id].level : WIN_LOG_DEBUG;
}

const char *win_message_text(enum win_message id)
{
    return known(id) ? messages[id].text : NULL;
}

size_t win_message_arg_count(enum win_message id)
{
    size_t most = 0;
    for (const char *p = win_message_text(id); p && *p; p++) {
        if (p[0] != '%' || p[1] < '1' || p[1] > '9') continue;
        size_t n = 0;
        while (p[1] >= '0' && p[1] <= '9') n = n * 10 + (size_t)(*++p - '0');
        if (n > most) most = n;
    }
    return most;
}

int win_log_wanted(const struct win_host *host, enum win_message id)
{
    return known(id) && host->log_enabled(host->ctx, messages[id].level);
}

void win_log_args(const struct win_host *host, enum win_message id, const char *const *args,
                  size_t count)
{
    if (win_log_wanted(host, id)) host->log(host->ctx, id, args, count);
}
