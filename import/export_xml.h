/* Reading an Export-DhcpServer file with libxml2's streaming reader.
 *
 * The file is read twice. The first pass keeps everything but the leases as
 * a small tree (a few hundred nodes per scope, whatever the lease count); the
 * second streams the leases one at a time. Both passes see the file through a
 * filter that replaces the characters XML 1.0 forbids (Windows writes them
 * unchecked), so one bad host name does not make the whole export unreadable.
 * No DTD, no external entity and no network access is ever allowed. */
#ifndef EXPORT_XML_H
#define EXPORT_XML_H

#include <stddef.h>

struct xnode {
    char *name;          /* local name: the export resets its namespace below the root */
    char *text;          /* the element's own text ("" when none) */
    int line;
    struct xnode *parent, *child, *last, *next;
};

/* The first child named name, or NULL. */
struct xnode *xn_child(const struct xnode *n, const char *name);
/* The next sibling named like n, or NULL. */
struct xnode *xn_next_same(const struct xnode *n);
/* The text of the first child named name, or NULL when there is none. */
const char *xn_text(const struct xnode *n, const char *name);

/* One replaced character, for the report. */
struct xml_replacement {
    int line;
    unsigned code;     /* the code point that was replaced */
};

struct export_tree {
    struct xnode *root;               /* DHCPServer */
    size_t v4_leases, v6_leases;      /* Lease elements skipped in this pass */
    int has_v4_leases_element;        /* any IPv4 Scope carried <Leases> */
    struct xml_replacement *replaced; /* in file order */
    size_t replaced_count;
};

/* Pass 1. 0, or -1 with one line in err saying what is wrong (not XML,
 * truncated, wrong root, a DTD). */
int export_tree_read(const char *path, struct export_tree *tree, char *err, size_t err_len);
void export_tree_free(struct export_tree *tree);

/* One IPv4 lease of pass 2: its child elements in file order (the tree of a
 * Lease element) and the position of its Scope among IPv4/Scopes. */
typedef int (*export_lease_fn)(void *arg, size_t scope_index, const struct xnode *lease);

/* Pass 2: calls fn for each IPv4 lease; stops when fn returns non-zero.
 * 0, or -1 with err set. */
int export_leases_stream(const char *path, export_lease_fn fn, void *arg, char *err,
                         size_t err_len);

#endif
