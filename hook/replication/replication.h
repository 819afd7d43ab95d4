/* A client record on a failover pair (contract, "Records on a failover
 * pair"): a change of a record in a relationship's scopes is written here,
 * then applied on the partner before the command answers (or, with the
 * partner unreachable, kept in the durable queue), and undone here when the
 * partner refuses it. The partner is asked through its control endpoint with
 * Kea's HTTP client; each wait is bounded, the secondary's a quarter of the
 * primary's, so that when both partners wait on each other the secondary
 * gives up first and the primary's change is the one that happens. */
#ifndef REPLICATION_H
#define REPLICATION_H

#include <cjson/cJSON.h>

#include "client_change.h"
#include "failover_store.h"
#include "win_context.h"
#include "win_status.h"

/* Changes per request: a round trip stays well under the shortest waits (the
 * secondary's and the queue's, a quarter of the primary's), and a bulk's
 * chunks overlap. */
#define REPL_CHUNK 128

/* Work with the partner that runs on Kea's main thread outside a command
 * (the queue's tick, a resync's walk) holds it no longer than one command
 * may: a slice sends requests while the next, expected to take as long as
 * the last one did, still ends within the budget. The first always goes. */
struct repl_slice {
    long long start_ms, sent_ms, last_ms;
    unsigned budget_ms, cap_ms;
    int sent;
};
/* A slice of budget_ms, each request waiting at most cap_ms. */
void repl_slice_begin(struct repl_slice *s, unsigned budget_ms, unsigned cap_ms);
/* The slice of one of the hook's ticks: the queues and the resyncs of every
 * relationship share it, so that a tick, whatever it has to send, holds
 * kea-dhcp4 no longer than one command may (partner-wait-ms). */
void repl_tick_begin(const struct win_ctx *ctx, struct repl_slice *tick);
/* Narrows s for one relationship's work: it ends no later than budget_ms
 * from now, and each request waits at most cap_ms. */
void repl_slice_narrow(struct repl_slice *s, unsigned budget_ms, unsigned cap_ms);
/* How long the next request may wait; 0 when the slice is spent. */
unsigned repl_slice_next(struct repl_slice *s);
/* A request of the slice came back (answered or not). */
void repl_slice_done(struct repl_slice *s);

enum repl_kind { REPL_CREATE, REPL_SET, REPL_DELETE };

struct repl_change {
    enum repl_kind kind;
    struct win_lease post; /* create, set: the record written here; delete: the one removed */
    struct win_lease pre;  /* set: the record before */
    int has_pre;
    /* The partner's answer: 0 = applied there (or queued for it). */
    int code;
    char text[WIN_TEXT_MAX];
};

/* One relationship as a command found it: how to reach the partner, and what
 * this command did there (for the answer's "partner"). */
struct repl_pair {
    struct fo_relationship rel;
    int checked;       /* state read for this command */
    int queue;         /* partner unreachable: changes go to the queue */
    unsigned wait_ms;  /* for one request: the budget, a quarter of it on the secondary */
    unsigned budget_ms; /* for the whole command, from its first change of the pair */
    long long deadline_ms; /* CLOCK_MONOTONIC: when the budget is spent */
    int sent, queued_now, failed;
    int code;          /* the first failure's code, 0 if none */
    char text[WIN_TEXT_MAX];
};

/* What one command knows of the relationships (loaded once per command). */
struct repl_session {
    int loaded;
    struct fo_store store;
    struct repl_pair *pairs; /* one per store item */
    struct repl_pair *used;  /* the pair the command's changes went to, for the answer */
};

void repl_session_close(struct repl_session *s);

/* The gate client/ asks before changing a record (client_change.h): pair is
 * the relationship of the record's subnet (NULL: the record is this server's
 * alone). It refuses with 20133 when this server is waiting, syncing or
 * ready: nothing may change. */
struct repl_gate {
    struct client_gate gate;
    struct repl_session *session;
    struct repl_pair *pair;
};
struct repl_gate repl_gate(struct repl_session *s);

/* After the local writes: the changes go to the partner in one request (or
 * to the queue), and each gets the partner's code. repl_start sends; while
 * the partner works, repl_progress lets the exchange move (a bulk makes its
 * next records meanwhile); repl_finish waits for the answer, at most the
 * pair's wait. When the partner could not be asked or did not answer in
 * time, every change has the failure code (and an abort of the request is
 * queued in case it arrives late): repl_finish answers -1. */
struct replica_request;
struct repl_flight {
    struct repl_pair *pair;
    struct repl_change *const *changes;
    size_t count;
    char txn[33];
    struct replica_request *request; /* NULL: nothing to wait for */
    long long sent_ms;               /* CLOCK_MONOTONIC when sent */
    unsigned wait_ms;                /* how long it may wait */
};
void repl_start(const struct win_ctx *ctx, struct repl_pair *pair,
                struct repl_change *const *changes, size_t count, struct repl_flight *flight);
void repl_progress(const struct win_ctx *ctx, struct repl_flight *flight);
int repl_finish(const struct win_ctx *ctx, struct repl_flight *flight);
/* One change, start to finish. */
int repl_send(const struct win_ctx *ctx, struct repl_pair *pair, struct repl_change *change);

/* Undoes a local write the partner refused, only if the address still holds
 * what this command wrote. */
void repl_undo(const struct win_ctx *ctx, const struct repl_change *change);

/* The answer's "partner" member, when the command touched a pair's record. */
void repl_answer(const struct win_ctx *ctx, const struct repl_session *s, cJSON *arguments);

/* Ends a command's session: arguments (created when NULL and a pair's
 * record was touched) with the "partner" member. */
cJSON *repl_close(const struct win_ctx *ctx, struct repl_session *s, cJSON *arguments);

/* One change, to the partner: 0 when applied there (or queued for it);
 * otherwise undone here and -1 with st failed ("nothing changed: ..."). The
 * change is cleared either way. */
int repl_apply_or_undo(const struct win_ctx *ctx, struct repl_pair *pair,
                       struct repl_change *change, struct win_status *st);

void repl_change_clear(struct repl_change *change);

/* Forgets which partners let a request time out (a new configuration). */
void repl_silence_reset(void);

#endif
