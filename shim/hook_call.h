// How a command's arguments reach hook/: as a cJSON copy of Kea's elements;
// a long list argument (a bulk create's records) converted an item at a time
// instead, so the request is never held twice whole; and, when a string holds
// a NUL byte (which cJSON cannot carry), as JSON text, which hook/ refuses by
// name.
#ifndef HOOK_CALL_H
#define HOOK_CALL_H

#include <cc/data.h>

#include <string>

namespace win_cmds {

// hook/'s answer text; free it with win_cmds_free.
char* call_hook(const std::string& command, const isc::data::ConstElementPtr& args,
                const char* origin);

}  // namespace win_cmds

#endif
