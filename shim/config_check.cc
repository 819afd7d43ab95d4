// kea-dhcp4 -t on a candidate configuration, out of process: the check cannot
// disturb the running server (no library of it is loaded here), and it reads
// the file exactly as the next start or reload will.
#include "config_check.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <sstream>
#include <vector>

extern char** environ;

namespace win_cmds {

namespace {

const size_t OUTPUT_MAX = 64 * 1024;

long long now_ms() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000);
}

std::string trimmed(const std::string& line) {
    size_t first = line.find_first_not_of(" \t\r");
    size_t last = line.find_last_not_of(" \t\r");
    return (first == std::string::npos ? std::string() : line.substr(first, last - first + 1));
}

// The line that says why: the first ERROR (or FATAL) log line, else Kea's own
// "Error encountered"/"failed" sentence, else the last line.
std::string reason_of(const std::string& output) {
    std::istringstream in(output);
    std::string line, error, said, last;
    while (std::getline(in, line)) {
        line = trimmed(line);
        if (line.empty()) {
            continue;
        }
        last = line;
        if (error.empty() && (line.find(" ERROR ") != std::string::npos ||
                              line.find(" FATAL ") != std::string::npos)) {
            error = line;
        }
        if (said.empty() && (line.find("Error encountered") != std::string::npos ||
                             line.find("failed") != std::string::npos)) {
            said = line;
        }
    }
    if (!error.empty()) {
        // Without the log line's time and logger: from the message ID on.
        size_t id = error.find("] ");
        return (id == std::string::npos ? error : error.substr(id + 2));
    }
    return (!said.empty() ? said : last);
}

class Spawn {
public:
    Spawn() {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attr_);
    }
    ~Spawn() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attr_);
    }
    posix_spawn_file_actions_t actions_;
    posix_spawnattr_t attr_;
};

}  // namespace

std::string config_check_problem(const std::string& path, int timeout_ms) {
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        return (std::string("cannot find the running kea-dhcp4 binary (/proc/self/exe): ") +
                strerror(errno));
    }
    exe[len] = '\0';
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return (std::string("cannot run kea-dhcp4 -t: ") + strerror(errno));
    }
    Spawn spawn;
    posix_spawn_file_actions_addopen(&spawn.actions_, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&spawn.actions_, fds[1], 1);
    posix_spawn_file_actions_adddup2(&spawn.actions_, fds[1], 2);
    // Kea blocks and handles signals on its own: the check starts clean.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&spawn.attr_, &none);
    posix_spawnattr_setsigdefault(&spawn.attr_, &all);
    posix_spawnattr_setflags(&spawn.attr_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> argv = {exe, const_cast<char*>("-t"), const_cast<char*>(path.c_str()),
                               nullptr};
    pid_t pid;
    int rc = posix_spawn(&pid, exe, &spawn.actions_, &spawn.attr_, argv.data(), environ);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return (std::string("cannot run ") + exe + " -t: " + strerror(rc));
    }
    std::string output;
    long long deadline = now_ms() + timeout_ms;
    bool timed_out = false;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd p = {fds[0], POLLIN, 0};
        int ready = poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            timed_out = ready == 0;
            break;
        }
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (output.size() < OUTPUT_MAX) {
            output.append(buf, static_cast<size_t>(n));
        }
    }
    close(fds[0]);
    int status = 0;
    pid_t done = 0;
    while (!timed_out && (done = waitpid(pid, &status, WNOHANG)) == 0) {
        if (now_ms() >= deadline) {
            timed_out = true;
            break;
        }
        usleep(5000);
    }
    if (timed_out) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return (std::string(exe) + " -t did not finish within " +
                std::to_string(timeout_ms / 1000) + " s");
    }
    if (done < 0) {
        return (std::string("cannot learn how ") + exe + " -t ended: " + strerror(errno));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return (std::string());
    }
    std::string reason = reason_of(output);
    if (reason.empty()) {
        reason = WIFSIGNALED(status)
                     ? std::string("it was killed by signal ") + std::to_string(WTERMSIG(status))
                     : std::string("it exited with ") + std::to_string(WEXITSTATUS(status));
    }
    return (reason);
}

}  // namespace win_cmds
