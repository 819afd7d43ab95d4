// How a call of the host table answers hook/: a code, and on failure a
// sentence in the caller's buffer. hook/ is C, so no exception may leave a
// host call: host_call turns one into WIN_HOST_ERROR with its text.
#ifndef HOST_CALL_H
#define HOST_CALL_H

#include "win_host.h"

#include <cstdio>
#include <exception>

namespace win_cmds {

inline void set_host_error(char* err, const char* text) {
    std::snprintf(err, WIN_HOST_ERR_LEN, "%s", text);
}

// call()'s code, or WIN_HOST_ERROR with the text of what it threw.
template <typename Call>
int host_call(char* err, Call call) {
    try {
        return (call());
    } catch (const std::exception& ex) {
        set_host_error(err, ex.what());
        return (WIN_HOST_ERROR);
    }
}

}  // namespace win_cmds

#endif
