#include "kea_ha.h"

#include "json_text.h"
#include "kea_release.h"

#include <cc/command_interpreter.h>
#include <cc/data.h>
#include <config/command_mgr.h>

#include <cstdio>
#include <cstring>

using isc::data::ConstElementPtr;
using isc::data::Element;

namespace win_cmds {

namespace {

// HA's delays are 16-bit millisecond counts; max-response-delay is 60 s
// unless configured.
const win_ha_timing_limits HA_TIMING_LIMITS = {65535, 60000};

ConstElementPtr run(const char* command) {
    return (isc::config::CommandMgr::instance().processCommand(
        isc::config::createCommand(command)));
}

// A map's member, null when element is no map or lacks it.
ConstElementPtr member(const ConstElementPtr& element, const char* name) {
    return (element && element->getType() == Element::map ? element->get(name)
                                                          : ConstElementPtr());
}

ConstElementPtr member(ConstElementPtr element, std::initializer_list<const char*> path) {
    for (const char* name : path) {
        element = member(element, name);
    }
    return (element);
}

bool is_string(const ConstElementPtr& element) {
    return (element && element->getType() == Element::string);
}

int result_of(const ConstElementPtr& answer) {
    ConstElementPtr result = member(answer, "result");
    return (result && result->getType() == Element::integer ? result->intValue() : -1);
}

win_ha_phase phase_of(const std::string& state) {
    static const struct {
        const char* name;
        win_ha_phase phase;
    } phases[] = {{"load-balancing", WIN_HA_SERVING},
                  {"hot-standby", WIN_HA_SERVING},
                  {"communication-recovery", WIN_HA_COMMUNICATION_RECOVERY},
                  {"partner-down", WIN_HA_PARTNER_DOWN},
                  {"partner-in-maintenance", WIN_HA_PARTNER_IN_MAINTENANCE},
                  {"in-maintenance", WIN_HA_IN_MAINTENANCE},
                  {"waiting", WIN_HA_WAITING},
                  {"syncing", WIN_HA_SYNCING},
                  {"ready", WIN_HA_READY},
                  {"terminated", WIN_HA_TERMINATED}};
    for (const auto& known : phases) {
        if (state == known.name) {
            return (known.phase);
        }
    }
    return (WIN_HA_OTHER);
}

// Copies a string member into out (size bytes); false when it is none.
bool copy_member(const ConstElementPtr& map, const char* name, char* out, size_t size) {
    ConstElementPtr value = member(map, name);
    if (!is_string(value)) {
        return (false);
    }
    std::snprintf(out, size, "%s", value->stringValue().c_str());
    return (true);
}

// The high-availability entry naming this server server_name (null: the
// first), as the running configuration holds it.
ConstElementPtr running_relationship(const char* server_name) {
    ConstElementPtr list = member(hook_library_parameters("libdhcp_ha.so"), "high-availability");
    if (!list || list->getType() != Element::list) {
        return (ConstElementPtr());
    }
    for (const auto& entry : list->listValue()) {
        ConstElementPtr name = member(entry, "this-server-name");
        if (!server_name || (is_string(name) && name->stringValue() == server_name)) {
            return (entry && entry->getType() == Element::map ? entry : ConstElementPtr());
        }
    }
    return (ConstElementPtr());
}

template <typename Enum, size_t N>
Enum classify(const std::string& name, const std::pair<const char*, Enum> (&known)[N],
              Enum other) {
    for (const auto& k : known) {
        if (name == k.first) {
            return (k.second);
        }
    }
    return (other);
}

}  // namespace

int ha_parameters(const char* server_name, win_ha_parameters& out) {
    ConstElementPtr ha = running_relationship(server_name);
    if (!ha) {
        return (WIN_HOST_NOT_FOUND);
    }
    static const std::pair<const char*, win_ha_mode> modes[] = {
        {"load-balancing", WIN_HA_MODE_LOAD_BALANCING}, {"hot-standby", WIN_HA_MODE_HOT_STANDBY}};
    static const std::pair<const char*, win_ha_role> roles[] = {
        {"primary", WIN_HA_ROLE_PRIMARY},
        {"secondary", WIN_HA_ROLE_SECONDARY},
        {"standby", WIN_HA_ROLE_STANDBY},
        {"backup", WIN_HA_ROLE_BACKUP}};
    std::memset(&out, 0, sizeof out);
    ConstElementPtr mode = member(ha, "mode");
    out.mode = is_string(mode) ? classify(mode->stringValue(), modes, WIN_HA_MODE_OTHER)
                               : WIN_HA_MODE_NONE;
    copy_member(ha, "this-server-name", out.this_server_name, sizeof out.this_server_name);
    ConstElementPtr peers = member(ha, "peers");
    if (!peers || peers->getType() != Element::list) {
        return (WIN_HOST_OK);
    }
    for (const auto& peer : peers->listValue()) {
        ConstElementPtr role = member(peer, "role");
        if (out.peer_count == WIN_HA_PEERS_MAX || !is_string(role)) {
            continue;
        }
        win_ha_peer& p = out.peers[out.peer_count];
        if (!copy_member(peer, "name", p.name, sizeof p.name)) {
            continue;
        }
        p.role = classify(role->stringValue(), roles, WIN_HA_ROLE_OTHER);
        p.has_url = copy_member(peer, "url", p.url, sizeof p.url);
        ++out.peer_count;
    }
    return (WIN_HOST_OK);
}

int ha_state(const char* server_name, win_ha_state& out, std::string& why) {
    std::memset(&out, 0, sizeof out);
    std::snprintf(out.name, sizeof out.name, "not-running");
    // One status-get gives the state and whether the partner is out of touch
    // (ha-heartbeat would be a second command). Its high-availability list
    // has one entry per relationship, each naming this server in it; without
    // HA loaded there is none.
    ConstElementPtr answer = run("status-get");
    if (result_of(answer) != 0) {
        ConstElementPtr said = member(answer, "text");
        why = "status-get failed: " +
              (is_string(said) ? said->stringValue() : answer ? json_text(answer) : "no answer");
        return (WIN_HOST_ERROR);
    }
    ConstElementPtr list = member(answer, {"arguments", "high-availability"});
    if (!list || list->getType() != Element::list) {
        return (WIN_HOST_OK);
    }
    for (const auto& entry : list->listValue()) {
        ConstElementPtr name = member(entry, {"ha-servers", "local", "server-name"});
        if (server_name && !(is_string(name) && name->stringValue() == server_name)) {
            continue;
        }
        ConstElementPtr state = member(entry, {"ha-servers", "local", "state"});
        if (is_string(state)) {
            std::snprintf(out.name, sizeof out.name, "%s", state->stringValue().c_str());
            out.phase = phase_of(state->stringValue());
            ConstElementPtr interrupted =
                member(entry, {"ha-servers", "remote", "communication-interrupted"});
            out.partner_interrupted =
                interrupted && interrupted->getType() == Element::boolean &&
                interrupted->boolValue();
        }
        return (WIN_HOST_OK);
    }
    return (WIN_HOST_OK);
}

int ha_takeover(win_ha_takeover what, std::string& text) {
    const char* command =
        what == WIN_HA_TAKEOVER_START ? "ha-maintenance-start" : "ha-maintenance-cancel";
    ConstElementPtr answer = run(command);
    if (!answer) {
        text = std::string(command) + " could not run";
        return (WIN_HOST_ERROR);
    }
    ConstElementPtr said = member(answer, "text");
    text = is_string(said) ? said->stringValue() : json_text(answer);
    return (result_of(answer) == 0 ? WIN_HOST_OK : WIN_HOST_ERROR);
}

const win_ha_timing_limits& ha_timing_limits() {
    return (HA_TIMING_LIMITS);
}

}  // namespace win_cmds
