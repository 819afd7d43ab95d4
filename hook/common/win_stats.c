#include "win_stats.h"

#include <stdio.h>

static const char *const relationship_stats[WIN_RELATIONSHIP_STATS] = {
    "unreplicated-changes", "replicas-sent", "replicas-applied", "replicas-refused",
    "conflicts-resolved"};

void win_stat_relationship_name(const char *relationship, enum win_relationship_stat which,
                                char *out)
{
    snprintf(out, WIN_STAT_NAME_MAX, "win-cmds.relationship[%.1100s].%s", relationship,
             relationship_stats[which]);
}

void win_stat_relationship_count(const struct win_host *h, const char *relationship,
                                 enum win_relationship_stat which, int64_t delta)
{
    char name[WIN_STAT_NAME_MAX];
    if (delta == 0) return;
    win_stat_relationship_name(relationship, which, name);
    h->stat_add(h->ctx, name, delta);
}

void win_stat_unreplicated(const struct win_host *h, const char *relationship, size_t waiting)
{
    char name[WIN_STAT_NAME_MAX];
    win_stat_relationship_name(relationship, WIN_STAT_UNREPLICATED_CHANGES, name);
    h->stat_set(h->ctx, name, (int64_t)waiting);
}

void win_stat_relationship_register(const struct win_host *h, const char *relationship,
                                    size_t waiting)
{
    char name[WIN_STAT_NAME_MAX];
    win_stat_unreplicated(h, relationship, waiting);
    for (int i = WIN_STAT_REPLICAS_SENT; i < WIN_RELATIONSHIP_STATS; i++) {
        win_stat_relationship_name(relationship, (enum win_relationship_stat)i, name);
        h->stat_add(h->ctx, name, 0);
    }
}

void win_stat_relationship_remove(const struct win_host *h, const char *relationship)
{
    char name[WIN_STAT_NAME_MAX];
    for (int i = 0; i < WIN_RELATIONSHIP_STATS; i++) {
        win_stat_relationship_name(relationship, (enum win_relationship_stat)i, name);
        h->stat_remove(h->ctx, name);
    }
}

static void command_stat_name(const char *command, int result, char *out)
{
    snprintf(out, WIN_STAT_NAME_MAX, "win-cmds.command[%.100s].answers-result-%d", command,
             result);
}

void win_stat_command_register(const struct win_host *h, const char *command)
{
    char name[WIN_STAT_NAME_MAX];
    for (int result = 0; result < WIN_COMMAND_RESULTS; result++) {
        command_stat_name(command, result, name);
        h->stat_add(h->ctx, name, 0);
    }
}

void win_stat_command_answer(const struct win_host *h, const char *command, int result)
{
    char name[WIN_STAT_NAME_MAX];
    if (result < 0 || result >= WIN_COMMAND_RESULTS) return;
    command_stat_name(command, result, name);
    h->stat_add(h->ctx, name, 1);
}
