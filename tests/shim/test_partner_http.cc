// The exchange with the partner, against Kea's own HTTP client and a partner
// played by a child process on loopback.
//
// An answer that arrives at the very moment its request's timer runs out
// wakes the exchange together with the timer. The answer is taken; the
// timer's handler must not be left behind on the client's IO service, where
// the next exchange would run it against its own request and report "no
// answer" at once (seen in the pair's suite: a configure-partner refused 1 ms
// after it was sent). The child makes that moment: it stops this process
// while it waits for the answer, lets the timer run out, answers, and lets
// it go on.
#include "partner_http.h"

#include <log/logger_support.h>

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdarg>
#include <cstddef>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include <cmocka.h>
}

using win_cmds::PartnerOutcome;

namespace {

const int ROUNDS = 8;
const unsigned LATE_TIMEOUT_MS = 300;  // the request answered as it times out
const unsigned NEXT_TIMEOUT_MS = 5000;  // the next one, answered at once
const char ANSWER[] = "[{\"result\":0,\"text\":\"ok\"}]";

void write_all(int fd, const std::string& text) {
    for (size_t at = 0; at < text.size();) {
        ssize_t n = write(fd, text.data() + at, text.size() - at);
        if (n <= 0) {
            return;
        }
        at += static_cast<size_t>(n);
    }
}

// One request read from fd (headers and Content-Length body): its body, or
// false when the connection ended.
bool read_request(int fd, std::string& pending, std::string& body) {
    for (;;) {
        size_t end = pending.find("\r\n\r\n");
        if (end != std::string::npos) {
            size_t length = 0, at = pending.find("Content-Length:");
            if (at != std::string::npos && at < end) {
                length = std::stoul(pending.substr(at + 15));
            }
            if (pending.size() >= end + 4 + length) {
                body = pending.substr(end + 4, length);
                pending.erase(0, end + 4 + length);
                return (true);
            }
        }
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            return (false);
        }
        pending.append(buf, static_cast<size_t>(n));
    }
}

// The partner: answers each request on each connection; a request whose
// body says "late" is answered once its timer has run out, with the asker
// stopped meanwhile so that it wakes to both at once.
[[noreturn]] void partner(int listener, pid_t asker) {
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: " + std::to_string(sizeof ANSWER - 1) +
                                 "\r\n\r\n" + ANSWER;
    for (;;) {
        int fd = accept(listener, nullptr, nullptr);
        if (fd < 0) {
            _exit(0);
        }
        std::string pending, body;
        while (read_request(fd, pending, body)) {
            if (body.find("late") != std::string::npos) {
                usleep(100 * 1000);  // the asker is waiting for the answer now
                kill(asker, SIGSTOP);
                usleep((LATE_TIMEOUT_MS + 100) * 1000);
                write_all(fd, response);
                usleep(50 * 1000);
                kill(asker, SIGCONT);
            } else {
                write_all(fd, response);
            }
        }
        close(fd);
    }
}

struct Partner {
    pid_t pid = -1;
    std::string url;
};

Partner start_partner() {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    assert_int_equal(listen(listener, 4), 0);
    socklen_t len = sizeof addr;
    getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    Partner p;
    p.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
    pid_t asker = getpid();
    p.pid = fork();
    assert_true(p.pid >= 0);
    if (p.pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // gone with the test, however it ends
        if (getppid() != asker) {
            _exit(0);  // the test ended before prctl
        }
        signal(SIGPIPE, SIG_IGN);  // a reset connection must not end the partner
        partner(listener, asker);
    }
    close(listener);
    return (p);
}

PartnerOutcome exchange(const Partner& p, const char* body, unsigned timeout_ms,
                        std::string& answer) {
    std::string error;
    win_cmds::PartnerExchange* e =
        win_cmds::partner_start(p.url, nullptr, "", "", body, timeout_ms, error);
    if (!e) {
        fail_msg("the exchange did not start: %s", error.c_str());
    }
    return (win_cmds::partner_finish(e, answer));
}

void an_answer_at_the_timeout_leaves_the_next_exchange_alone(void**) {
    Partner p = start_partner();
    int late_answered = 0;
    for (int round = 0; round < ROUNDS; ++round) {
        std::string answer;
        // Answered or timed out, both fair: it came as the timer ran out.
        late_answered +=
            exchange(p, "{\"command\":\"late\"}", LATE_TIMEOUT_MS, answer) ==
            PartnerOutcome::answered;
        PartnerOutcome next = exchange(p, "{\"command\":\"next\"}", NEXT_TIMEOUT_MS, answer);
        if (next != PartnerOutcome::answered) {
            kill(p.pid, SIGKILL);
            waitpid(p.pid, nullptr, 0);
            fail_msg("round %d: the next exchange ended with '%s' instead of the answer",
                     round, answer.c_str());
        }
        assert_string_equal(answer.c_str(), ANSWER);
    }
    win_cmds::partner_channel_close();
    kill(p.pid, SIGKILL);
    waitpid(p.pid, nullptr, 0);
    // The case in question: the answer taken as the timer ran out.
    assert_true(late_answered > 0);
}

}  // namespace

int main() {
    // Kea's HTTP client logs (at debug levels, dropped here), with no lock file.
    setenv("KEA_LOCKFILE_DIR", "none", 1);
    isc::log::initLogger("test_partner_http", isc::log::WARN, 0, nullptr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_answer_at_the_timeout_leaves_the_next_exchange_alone),
    };
    return (cmocka_run_group_tests(tests, nullptr, nullptr));
}
