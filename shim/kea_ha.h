// What hook/ learns from and asks of Kea's HA hook: the state of one
// relationship (status-get), the parameters Kea runs for it (the running
// configuration's libdhcp_ha.so entry), the administrator takeover
// (ha-maintenance-start / -cancel) and HA's timing limits. hook/ sees plain
// values (win_host.h); Kea's answers are read here only.
#ifndef KEA_HA_H
#define KEA_HA_H

#include "win_host.h"

#include <string>

namespace win_cmds {

// The state of the relationship in which this server is named server_name
// (null: the first HA lists): WIN_HOST_OK, not running when HA is not loaded
// or names no such server; WIN_HOST_ERROR with why when status-get failed.
int ha_state(const char* server_name, win_ha_state& out, std::string& why);

// The HA parameters of the relationship in which this server is named
// server_name (null: the first): WIN_HOST_OK with out filled, or
// WIN_HOST_NOT_FOUND. Throws when Kea's configuration cannot be read.
int ha_parameters(const char* server_name, win_ha_parameters& out);

// Runs the takeover: WIN_HOST_OK with HA's answer text, or WIN_HOST_ERROR
// with why (HA refused, or the command could not run) in text.
int ha_takeover(win_ha_takeover what, std::string& text);

const win_ha_timing_limits& ha_timing_limits();

}  // namespace win_cmds

#endif
