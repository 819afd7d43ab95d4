/* The hook's log messages (win_messages.def): their IDs, severities and texts.
 * hook/ logs an event by its ID with the texts of its arguments (WIN_LOG);
 * the host writes it through Kea's logger, which knows the same table. */
#ifndef WIN_MESSAGES_H
#define WIN_MESSAGES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum win_log_level { WIN_LOG_DEBUG, WIN_LOG_INFO, WIN_LOG_WARN, WIN_LOG_ERROR };

enum win_message {
    WIN_MESSAGE_NONE, /* no message: a command that changes nothing */
#define WIN_MSG(id, severity, text) id,
#include "win_messages.def"
#undef WIN_MSG
    WIN_MESSAGE_COUNT
};

/* The ID as Kea's logger knows it ("WIN_CMDS_CLIENT_CREATED"), its severity
 * and its text; NULL / WIN_LOG_DEBUG for an id outside the table. */
const char *win_message_name(enum win_message id);
enum win_log_level win_message_level(enum win_message id);
const char *win_message_text(enum win_message id);
/* The number of arguments the text takes: its highest %N. */
size_t win_message_arg_count(enum win_message id);

struct win_host;

/* Logs id with count arguments through the host, when its severity is on. */
void win_log_args(const struct win_host *host, enum win_message id, const char *const *args,
                  size_t count);
/* Whether id would be written: skip costly arguments when not. */
int win_log_wanted(const struct win_host *host, enum win_message id);

/* WIN_LOG(host, ID, "arg1", "arg2"...): at least one argument. */
#define WIN_LOG(host, id, ...)                                                               \
    win_log_args((host), (id), (const char *const[]){__VA_ARGS__},                         \
                 sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

#ifdef __cplusplus
}
#endif

#endif
