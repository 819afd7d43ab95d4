#include "win_host.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

void win_lease_clear(struct win_lease *lease)
{
    free(lease->hostname);
    cJSON_Delete(lease->user_context);
    memset(lease, 0, sizeof *lease);
}

void win_lease_move(struct win_lease *dst, struct win_lease *src)
{
    *dst = *src;
    memset(src, 0, sizeof *src);
}

int win_lease_list_push(struct win_lease_list *list, struct win_lease *lease)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 8;
        struct win_lease *items = realloc(list->items, capacity * sizeof *items);
        if (!items) return -1;
        list->items = items;
        list->capacity = capacity;
    }
    win_lease_move(&list->items[list->count++], lease);
    return 0;
}

void win_lease_list_free(struct win_lease_list *list)
{
    for (size_t i = 0; i < list->count; i++) win_lease_clear(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

int win_partner_call(const struct win_host *host, const char *url, const struct win_tls *tls,
                     const char *user, const char *password, const char *body,
                     unsigned timeout_ms, char **answer, char *err)
{
    *answer = NULL;
    void *exchange =
        host->partner_send(host->ctx, url, tls, user, password, body, timeout_ms, err);
    return exchange ? host->partner_wait(host->ctx, exchange, answer, err) : WIN_HOST_ERROR;
}
