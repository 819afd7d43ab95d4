#include "win_cmds_log.h"

#include <log/log_dbglevels.h>
#include <log/message_initializer.h>

#include <vector>

namespace win_cmds {

isc::log::Logger logger("win-cmds");

namespace {

const char* messages[] = {
#define WIN_MSG(id, severity, text) #id, text,
#include "win_messages.def"
#undef WIN_MSG
    nullptr};

const isc::log::MessageInitializer initializer(messages);

// The formatter writes the line when it goes out of scope, after its arguments.
void add_args(isc::log::Logger::Formatter&& line, const std::vector<std::string>& args) {
    for (const std::string& arg : args) {
        line.arg(arg);
    }
}

void write(win_message id, const std::vector<std::string>& args) {
    const char* name = win_message_name(id);
    if (!name || !log_enabled(win_message_level(id))) {
        return;
    }
    switch (win_message_level(id)) {
    case WIN_LOG_DEBUG:
        add_args(logger.debug(isc::log::DBGLVL_TRACE_BASIC, name), args);
        break;
    case WIN_LOG_INFO:
        add_args(logger.info(name), args);
        break;
    case WIN_LOG_WARN:
        add_args(logger.warn(name), args);
        break;
    default:
        add_args(logger.error(name), args);
    }
}

}  // namespace

void log_message(win_message id, const char* const* args, size_t count) {
    write(id, std::vector<std::string>(args, args + count));
}

void log_message(win_message id, std::initializer_list<std::string> args) {
    write(id, std::vector<std::string>(args));
}

bool log_enabled(win_log_level level) {
    switch (level) {
    case WIN_LOG_DEBUG:
        return (logger.isDebugEnabled(isc::log::DBGLVL_TRACE_BASIC));
    case WIN_LOG_INFO:
        return (logger.isInfoEnabled());
    case WIN_LOG_WARN:
        return (logger.isWarnEnabled());
    default:
        return (logger.isErrorEnabled());
    }
}

}  // namespace win_cmds
