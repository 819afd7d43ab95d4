#include "export_xml.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlversion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32          /* an export is 8 deep; anything far deeper is not one */
#define MAX_REPLACEMENTS 100000
#define REF_MAX 12            /* "&#x0010FFFF;" */

/* ---- the filter: XML 1.0's forbidden characters become '?' ---------------- */

struct xml_source {
    FILE *file;
    unsigned char carry[REF_MAX];
    size_t carried;
    int at_eof, line;
    struct export_tree *record;   /* NULL in pass 2 */
};

static int forbidden(unsigned long c)
{
    return (c < 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) || (c >= 0xd800 && c <= 0xdfff) ||
           c == 0xfffe || c == 0xffff || c > 0x10ffff;
}

static void note_replacement(struct xml_source *src, unsigned long code)
{
    struct export_tree *t = src->record;
    if (!t || t->replaced_count >= MAX_REPLACEMENTS) return;
    if ((t->replaced_count & (t->replaced_count - 1)) == 0) {
        size_t cap = t->replaced_count ? t->replaced_count * 2 : 8;
        struct xml_replacement *grown = realloc(t->replaced, cap * sizeof *grown);
        if (!grown) return;
        t->replaced = grown;
    }
    t->replaced[t->replaced_count].line = src->line;
    t->replaced[t->replaced_count].code = (unsigned)(code > 0x10ffff ? 0x110000 : code);
    t->replaced_count++;
}

/* Length of a character reference at p ("&#65;", "&#x41;"), 0 when p holds
 * none, -1 when it may continue past n bytes. *code gets its value. */
static int char_reference(const unsigned char *p, size_t n, unsigned long *code)
{
    size_t i = 2;
    int hex = 0, digits = 0;
    if (n < 2) return -1;
    if (p[1] != '#') return 0;
    if (n > 2 && (p[2] == 'x' || p[2] == 'X')) hex = 1, i = 3;
    *code = 0;
    for (; i < n && i < REF_MAX; i++, digits++) {
        unsigned char c = p[i];
        int v = c >= '0' && c <= '9' ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (c == ';') return digits ? (int)i + 1 : 0;
        if (v < 0) return 0;
        if (*code <= 0x10ffff) *code = *code * (hex ? 16 : 10) + (unsigned long)v;
    }
    return i >= REF_MAX ? 0 : -1;
}

/* Output never outgrows input (a reference shrinks to one byte), so a chunk
 * of at most len input bytes fills at most len output bytes. */
static int source_read(void *ctx, char *out, int len)
{
    struct xml_source *src = ctx;
    unsigned char in[65536 + REF_MAX];
    size_t room = (size_t)len < sizeof in - REF_MAX ? (size_t)len : sizeof in - REF_MAX;
    size_t n, i, o = 0;
    for (;;) {
        memcpy(in, src->carry, src->carried);
        n = src->carried;
        src->carried = 0;
        if (!src->at_eof && room > n) {
            size_t got = fread(in + n, 1, room - n, src->file);
            if (got < room - n) {
                if (ferror(src->file)) return -1;
                src->at_eof = 1;
            }
            n += got;
        }
        for (i = 0; i < n; i++) {
            unsigned char c = in[i];
            if (c == '\n') src->line++;
            if (c == '&') {
                unsigned long code;
                int ref = char_reference(in + i, n - i, &code);
                if (ref < 0 && !src->at_eof) {
                    src->carried = n - i;
                    memcpy(src->carry, in + i, src->carried);
                    break;
                }
                if (ref > 0 && forbidden(code)) {
                    note_replacement(src, code);
                    out[o++] = '?';
                    i += (size_t)ref - 1;
                    continue;
                }
            } else if (c < 0x20 && forbidden(c)) {
                note_replacement(src, c);
                c = '?';
            }
            out[o++] = (char)c;
        }
        if (o > 0 || (src->at_eof && !src->carried)) return (int)o;
    }
}

static int source_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* ---- the reader ------------------------------------------------------------ */

struct reader {
    xmlTextReaderPtr xml;
    struct xml_source src;
    char error[300];
};

/* libxml2 2.12 made the error a const pointer. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlError *xml_error_arg;
#endif

static void on_error(void *arg, xml_error_arg e)
{
    struct reader *r = arg;
    if (r->error[0] || !e || e->level < XML_ERR_ERROR) return;
    char msg[240];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    msg[strcspn(msg, "\n")] = 0;
    snprintf(r->error, sizeof r->error, "line %d: %s", e->line, msg);
}

/* Nothing is ever fetched: no DTD, no external entity, no network. */
static xmlParserInputPtr no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url, (void)id, (void)ctxt;
    return NULL;
}

static void fail(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
}

static int reader_open(struct reader *r, const char *path, struct export_tree *record,
                       char *err, size_t err_len)
{
    memset(r, 0, sizeof *r);
    r->src.file = fopen(path, "rb");
    if (!r->src.file) {
        fail(err, err_len, "cannot read %s", path);
        return -1;
    }
    r->src.line = 1;
    r->src.record = record;
    xmlSetExternalEntityLoader(no_external);
    /* No XML_PARSE_NOERROR: libxml2 2.13+ then withholds the errors from the
     * structured handler too, and the refusal could not say why. The handler
     * takes every report, so nothing reaches stderr either way. */
    r->xml = xmlReaderForIO(source_read, source_close, &r->src, NULL, NULL, XML_PARSE_NONET);
    if (!r->xml) {
        fclose(r->src.file);
        fail(err, err_len, "out of memory");
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(r->xml, on_error, r);
    return 0;
}

static void reader_close(struct reader *r)
{
    xmlFreeTextReader(r->xml);
    fclose(r->src.file);
}

/* ---- nodes ----------------------------------------------------------------- */

static struct xnode *node_new(struct xnode *parent, const char *name, int line)
{
    struct xnode *n = calloc(1, sizeof *n);
    if (!n || !(n->name = strdup(name)) || !(n->text = strdup(""))) {
        if (n) free(n->name);
        free(n);
        return NULL;
    }
    n->line = line;
    n->parent = parent;
    if (parent) {
        if (parent->last) parent->last->next = n;
        else parent->child = n;
        parent->last = n;
    }
    return n;
}

static int node_append_text(struct xnode *n, const char *text)
{
    size_t a = strlen(n->text), b = strlen(text);
    char *grown = realloc(n->text, a + b + 1);
    if (!grown) return -1;
    memcpy(grown + a, text, b + 1);
    n->text = grown;
    return 0;
}

static void node_free(struct xnode *n)
{
    while (n) {
        struct xnode *next = n->next;
        node_free(n->child);
        free(n->name);
        free(n->text);
        free(n);
        n = next;
    }
}

struct xnode *xn_child(const struct xnode *n, const char *name)
{
    for (struct xnode *c = n ? n->child : NULL; c; c = c->next)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

struct xnode *xn_next_same(const struct xnode *n)
{
    for (struct xnode *c = n->next; c; c = c->next)
        if (strcmp(c->name, n->name) == 0) return c;
    return NULL;
}

const char *xn_text(const struct xnode *n, const char *name)
{
    const struct xnode *c = xn_child(n, name);
    return c ? c->text : NULL;
}

/* ---- the walk both passes share -------------------------------------------- */

struct walk {
    struct reader r;
    const char *names[MAX_DEPTH];  /* the open elements' local names */
    int depth;
};

static int is_lease_path(const struct walk *w, const char *family)
{
    /* DHCPServer / IPvN / Scopes / Scope / Leases / Lease */
    return w->depth == 5 && strcmp(w->names[5], "Lease") == 0 &&
           strcmp(w->names[1], family) == 0 &&
           strcmp(w->names[2], "Scopes") == 0 && strcmp(w->names[3], "Scope") == 0 &&
           strcmp(w->names[4], "Leases") == 0;
}

static const char *interned(const xmlChar *name)
{
    static const char *known[] = {"DHCPServer", "IPv4", "IPv6", "Scopes", "Scope", "Leases",
                                  "Lease"};
    if (!name) return "";
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp((const char *)name, known[i]) == 0) return known[i];
    return "";
}

static int element_node(struct walk *w, struct xnode *parent, struct xnode **out)
{
    const xmlChar *local = xmlTextReaderConstLocalName(w->r.xml);
    *out = node_new(parent, local ? (const char *)local : "",
                    xmlTextReaderGetParserLineNumber(w->r.xml));
    return *out ? 0 : -1;
}

static int read_error(struct walk *w, char *err, size_t err_len)
{
    if (w->r.error[0]) fail(err, err_len, "not a well-formed XML file: %s", w->r.error);
    else fail(err, err_len, "not a well-formed XML file");
    return -1;
}

/* Reads one element's subtree (the reader on its start) into a new node. */
static int read_subtree(struct walk *w, struct xnode *parent, struct xnode **out, char *err,
                        size_t err_len)
{
    struct xnode *cur;
    int base = xmlTextReaderDepth(w->r.xml), ret;
    if (element_node(w, parent, &cur) < 0) goto oom;
    *out = cur;
    if (xmlTextReaderIsEmptyElement(w->r.xml)) return 0;
    while ((ret = xmlTextReaderRead(w->r.xml)) == 1) {
        int type = xmlTextReaderNodeType(w->r.xml);
        if (type == XML_READER_TYPE_ELEMENT) {
            struct xnode *child;
            if (xmlTextReaderDepth(w->r.xml) - base + w->depth >= MAX_DEPTH) {
                fail(err, err_len, "line %d: elements nested deeper than %d: not an export",
                     xmlTextReaderGetParserLineNumber(w->r.xml), MAX_DEPTH);
                return -1;
            }
            if (element_node(w, cur, &child) < 0) goto oom;
            if (!xmlTextReaderIsEmptyElement(w->r.xml)) cur = child;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (xmlTextReaderDepth(w->r.xml) == base) return 0;
            cur = cur->parent;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                   type == XML_READER_TYPE_WHITESPACE) {
            const xmlChar *v = xmlTextReaderConstValue(w->r.xml);
            if (v && node_append_text(cur, (const char *)v) < 0) goto oom;
        } else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
            fail(err, err_len, "line %d: entity references are not allowed in an export",
                 xmlTextReaderGetParserLineNumber(w->r.xml));
            return -1;
        }
    }
    return read_error(w, err, err_len);
oom:
    fail(err, err_len, "out of memory");
    return -1;
}

/* Walks the document: each element start is offered to on_element, which
 * may take its whole subtree (read into a node and handed to on_subtree);
 * text goes to on_text. Only names are tracked for the rest. */
struct walk_handler {
    int (*on_element)(struct walk *w, void *arg, int *take);  /* -1 stops with an error */
    int (*on_subtree)(struct walk *w, void *arg, struct xnode *subtree); /* >0 stops */
    int (*on_text)(struct walk *w, void *arg, const char *text);
};

static int walk_file(const char *path, struct export_tree *record,
                     const struct walk_handler *h, void *arg, char *err, size_t err_len)
{
    struct walk w;
    int ret, rc = -1, saw_root = 0;
    memset(&w, 0, sizeof w);
    err[0] = 0;
    if (reader_open(&w.r, path, record, err, err_len) < 0) return -1;
    while ((ret = xmlTextReaderRead(w.r.xml)) == 1) {
        int type = xmlTextReaderNodeType(w.r.xml);
        int line = xmlTextReaderGetParserLineNumber(w.r.xml);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            fail(err, err_len, "line %d: a DTD (<!DOCTYPE>) is not part of an export", line);
            goto out;
        }
        if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
            fail(err, err_len, "line %d: entity references are not allowed in an export", line);
            goto out;
        }
        if (type == XML_READER_TYPE_END_ELEMENT) {
            w.depth--;
            continue;
        }
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
            type == XML_READER_TYPE_WHITESPACE) {
            const xmlChar *v = xmlTextReaderConstValue(w.r.xml);
            if (v && w.depth > 0 && h->on_text && h->on_text(&w, arg, (const char *)v) < 0)
                goto out_user;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT) continue;
        const xmlChar *local = xmlTextReaderConstLocalName(w.r.xml);
        if (!saw_root) {
            saw_root = 1;
            if (!local || strcmp((const char *)local, "DHCPServer") != 0) {
                fail(err, err_len, "not an Export-DhcpServer file: the root element is <%s>, "
                     "not <DHCPServer>", local ? (const char *)local : "?");
                goto out;
            }
        }
        if (w.depth >= MAX_DEPTH) {
            fail(err, err_len, "line %d: elements nested deeper than %d: not an export", line,
                 MAX_DEPTH);
            goto out;
        }
        w.names[w.depth] = interned(local);
        int take = 0;
        if (h->on_element(&w, arg, &take) < 0) goto out_user;
        if (take) {
            struct xnode *subtree = NULL;
            if (read_subtree(&w, NULL, &subtree, err, err_len) < 0) {
                node_free(subtree);
                goto out;
            }
            int stop = h->on_subtree(&w, arg, subtree);
            node_free(subtree);
            if (stop < 0) goto out_user;
            if (stop > 0) {
                rc = 0;
                goto out;
            }
            continue;
        }
        if (!xmlTextReaderIsEmptyElement(w.r.xml)) w.depth++;
    }
    if (ret < 0) {
        read_error(&w, err, err_len);
        goto out;
    }
    if (!saw_root) {
        fail(err, err_len, "not an Export-DhcpServer file: no XML element in it");
        goto out;
    }
    rc = 0;
    goto out;
out_user:
    if (!err[0]) fail(err, err_len, "out of memory");
out:
    reader_close(&w.r);
    return rc;
}

/* ---- pass 1 ------------------------------------------------------------------ */

struct tree_build {
    struct export_tree *tree;
    struct xnode *open[MAX_DEPTH];   /* the tree's node for each open element */
};

static int tree_element(struct walk *w, void *arg, int *take)
{
    struct tree_build *b = arg;
    struct export_tree *t = b->tree;
    if (is_lease_path(w, "IPv4") || is_lease_path(w, "IPv6")) {
        if (w->names[1] == interned((const xmlChar *)"IPv4")) t->v4_leases++;
        else t->v6_leases++;
        *take = 1;   /* dropped here: pass 2 streams them */
        return 0;
    }
    struct xnode *n;
    if (element_node(w, w->depth ? b->open[w->depth - 1] : NULL, &n) < 0) return -1;
    if (!t->root) t->root = n;
    if (w->depth == 4 && strcmp(n->name, "Leases") == 0 &&
        w->names[1] == interned((const xmlChar *)"IPv4"))
        t->has_v4_leases_element = 1;
    b->open[w->depth] = n;
    return 0;
}

static int tree_subtree(struct walk *w, void *arg, struct xnode *subtree)
{
    (void)w, (void)arg, (void)subtree;
    return 0;
}

static int tree_text(struct walk *w, void *arg, const char *text)
{
    struct tree_build *b = arg;
    return node_append_text(b->open[w->depth - 1], text);
}

int export_tree_read(const char *path, struct export_tree *tree, char *err, size_t err_len)
{
    static const struct walk_handler h = {tree_element, tree_subtree, tree_text};
    struct tree_build b;
    memset(tree, 0, sizeof *tree);
    memset(&b, 0, sizeof b);
    b.tree = tree;
    if (walk_file(path, tree, &h, &b, err, err_len) < 0) {
        export_tree_free(tree);
        return -1;
    }
    return 0;
}

void export_tree_free(struct export_tree *tree)
{
    node_free(tree->root);
    free(tree->replaced);
    memset(tree, 0, sizeof *tree);
}

/* ---- pass 2 ------------------------------------------------------------------ */

struct lease_stream {
    export_lease_fn fn;
    void *arg;
    size_t scopes;   /* IPv4 Scope elements opened so far */
};

static int stream_element(struct walk *w, void *arg, int *take)
{
    struct lease_stream *s = arg;
    const char *v4 = interned((const xmlChar *)"IPv4");
    if (w->depth == 3 && w->names[1] == v4 && w->names[2] == interned((const xmlChar *)"Scopes") &&
        w->names[3] == interned((const xmlChar *)"Scope"))
        s->scopes++;
    *take = is_lease_path(w, "IPv4") && s->scopes > 0;
    return 0;
}

static int stream_subtree(struct walk *w, void *arg, struct xnode *lease)
{
    struct lease_stream *s = arg;
    (void)w;
    int rc = s->fn(s->arg, s->scopes - 1, lease);
    return rc < 0 ? -1 : rc > 0;
}

int export_leases_stream(const char *path, export_lease_fn fn, void *arg, char *err,
                         size_t err_len)
{
    static const struct walk_handler h = {stream_element, stream_subtree, NULL};
    struct lease_stream s = {fn, arg, 0};
    return walk_file(path, NULL, &h, &s, err, err_len);
}
