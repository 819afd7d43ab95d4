/* What differs between the Kea releases an import can target (2.2, 2.6,
 * 3.0): the lease file's columns, the options each defines itself, where hook
 * libraries and control sockets may live, and the names of class keys. */
#ifndef KEA_TARGET_H
#define KEA_TARGET_H

#include <stdint.h>

enum kea_release { KEA_22 = 1, KEA_26 = 2, KEA_30 = 4 };

enum kea_type { KT_OTHER, KT_IPV4, KT_UINT8, KT_UINT16, KT_UINT32, KT_INT32, KT_BOOLEAN,
                KT_STRING, KT_FQDN };

struct kea_std_option {
    uint8_t code;
    const char *name;
    enum kea_type type;
    int array;
    int releases;   /* enum kea_release bits */
};

/* "2.2", "2.6", "3.0" (also "2.6.3" etc.); 0 when unknown. */
enum kea_release kea_release_parse(const char *text);
const char *kea_release_name(enum kea_release r);

/* The option the release defines for code in "dhcp4", or NULL. */
const struct kea_std_option *kea_std_option(enum kea_release r, unsigned code);

/* The memfile header of the release's lease file (no newline). */
const char *kea_lease_header(enum kea_release r);

/* A hook library as the release's configuration names it: a full Debian path
 * on 2.2, a bare file name (found in the hooks directory) from 2.6.3. */
void kea_hook_path(enum kea_release r, const char *file, char *out, unsigned len);

/* The unix control socket: /run/kea/... on 2.2, a bare name (in the socket
 * directory) from 2.6.3. */
const char *kea_control_socket(enum kea_release r);

/* The keys of a class evaluated only when a subnet asks for it. */
const char *kea_key_only_when_required(enum kea_release r);
const char *kea_key_require_classes(enum kea_release r);

#endif
