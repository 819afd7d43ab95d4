/* Handlers of the client-record commands that read records (those that
 * change one are replication's: replicated_cmds.h). */
#ifndef CLIENT_INFO_H
#define CLIENT_INFO_H

#include "win_context.h"

win_handler client_info_v4_get, client_info_vq_get, subnet_clients_v4_enum,
    subnet_clients_vq_enum;

#endif
