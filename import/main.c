/* kea-win-import: a Windows Export-DhcpServer file becomes a Kea server.
 * This file reads the command line (getopt_long; --help lists every option);
 * import_run.c does the rest. Exit 0 (the report says what was not mapped),
 * 2 for a command line that is wrong or a file that is not an export
 * (nothing written), 1 for anything else. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "import_run.h"
#include "value_formats.h"

#ifndef WIN_IMPORT_DEFAULT_KEA
#define WIN_IMPORT_DEFAULT_KEA "2.2"
#endif
#ifndef WIN_IMPORT_VERSION
#define WIN_IMPORT_VERSION "0"
#endif

#define USAGE_ERROR 2

enum long_only { OPT_CA_FILE = 256, OPT_CERT_FILE, OPT_KEY_FILE, OPT_CREDENTIALS_FILE };

static const struct option OPTIONS[] = {
    {"kea", required_argument, NULL, 'k'},
    {"now", required_argument, NULL, 'n'},
    {"out", required_argument, NULL, 'o'},
    {"apply", required_argument, NULL, 'a'},
    {"skip-expired", no_argument, NULL, 's'},
    {"ca-file", required_argument, NULL, OPT_CA_FILE},
    {"cert-file", required_argument, NULL, OPT_CERT_FILE},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"credentials-file", required_argument, NULL, OPT_CREDENTIALS_FILE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static void help(void)
{
    printf(
        "usage: kea-win-import [OPTION]... --out DIR EXPORT.xml\n"
        "Turns the file Windows' Export-DhcpServer writes into a Kea server: DIR/kea-dhcp4.conf,\n"
        "DIR/leases4.csv and DIR/import-report.json, and a summary on standard output.\n"
        "\n"
        "  -o, --out=DIR           the directory the files are written to (made if missing);\n"
        "                          required\n"
        "  -k, --kea=RELEASE       the Kea release whose syntax is written: 2.2, 2.6 or 3.0\n"
        "                          (default: %s, the release this program was built for)\n"
        "  -n, --now=TIME          the time the import is taken to happen, ISO-8601 UTC\n"
        "                          (2026-12-01T00:00:00Z) or seconds since 1970 (default: now)\n"
        "  -s, --skip-expired      leave out Active leases already expired (default: import\n"
        "                          them as partial; Kea removes them at its first reclamation)\n"
        "  -a, --apply=TARGET      send the leases to a running kea-dhcp4 with the hook instead\n"
        "                          of writing leases4.csv: its unix control socket's path, or an\n"
        "                          http:// or https:// URL (kea-ctrl-agent, Kea 3.0's HTTP socket)\n"
        "      --credentials-file=FILE  with an http(s) --apply: the user:password on FILE's\n"
        "                          first line (else from %s and %s;\n"
        "                          a URL with user:password@ is refused, as ps shows it)\n"
        "      --ca-file=FILE      with an https --apply: the CA certificates the server's\n"
        "                          certificate must chain to (default: the system's)\n"
        "      --cert-file=FILE    with an https --apply: this client's certificate (PEM)\n"
        "      --key-file=FILE     with an https --apply: this client's private key (PEM)\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and the default Kea release, and exit\n"
        "\n"
        "Exit status: 0 done (the report says what was not carried over); 1 failed (the\n"
        "--apply target unreachable or refusing, a file not writable); 2 the command line is\n"
        "wrong or EXPORT.xml is not an export. A failed run leaves DIR as it was.\n"
        "See kea-win-import(1).\n",
        WIN_IMPORT_DEFAULT_KEA, APPLY_USER_ENV, APPLY_PASSWORD_ENV);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "kea-win-import: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see --help)\n");
    return -1;
}

/* The option argv[optind - 1] getopt_long stopped at, as written. */
static const char *offending(char **argv, int index)
{
    return argv[index - 1] ? argv[index - 1] : "";
}

static int parse_args(int argc, char **argv, struct import_options *o, const char **kea,
                      const char **now)
{
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":k:n:o:a:shV", OPTIONS, NULL)) != -1) {
        switch (c) {
        case 'k': *kea = optarg; break;
        case 'n': *now = optarg; break;
        case 'o': o->out = optarg; break;
        case 'a': o->apply.target = optarg; break;
        case 's': o->skip_expired = 1; break;
        case OPT_CA_FILE: o->apply.ca_file = optarg; break;
        case OPT_CERT_FILE: o->apply.cert_file = optarg; break;
        case OPT_KEY_FILE: o->apply.key_file = optarg; break;
        case OPT_CREDENTIALS_FILE: o->apply.credentials_file = optarg; break;
        case 'h': help(); exit(0);
        case 'V':
            printf("kea-win-import %s (kea-win-cmds); writes for Kea %s unless --kea says "
                   "otherwise (2.2, 2.6, 3.0)\n", WIN_IMPORT_VERSION, WIN_IMPORT_DEFAULT_KEA);
            exit(0);
        case ':': return usage_error("%s needs a value", offending(argv, optind));
        default: return usage_error("unknown option %s", offending(argv, optind));
        }
    }
    if (optind < argc) o->export_path = argv[optind++];
    if (optind < argc) return usage_error("one export at a time, not also %s", argv[optind]);
    if (!o->out || !o->export_path)
        return usage_error("%s", "--out DIR and an export file are both needed");
    if (!o->apply.target && (o->apply.ca_file || o->apply.cert_file || o->apply.key_file ||
                             o->apply.credentials_file))
        return usage_error("%s", "--ca-file, --cert-file, --key-file and --credentials-file "
                                 "go with --apply");
    return 0;
}

static int parse_now(const char *text, int64_t *now)
{
    char *end;
    int infinite = 0;
    if (!text) {
        *now = (int64_t)time(NULL);
        return 0;
    }
    long long v = strtoll(text, &end, 10);
    if (*text && !*end && v > 0) {
        *now = v;
        return 0;
    }
    return win_datetime_parse(text, now, &infinite) == 0 && !infinite ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct import_options o;
    const char *kea = WIN_IMPORT_DEFAULT_KEA, *now = NULL;
    char err[1024] = "";
    memset(&o, 0, sizeof o);
    if (parse_args(argc, argv, &o, &kea, &now) < 0) return USAGE_ERROR;
    if (!(o.release = kea_release_parse(kea)))
        return usage_error("--kea must be 2.2, 2.6 or 3.0, not '%s'", kea), USAGE_ERROR;
    if (parse_now(now, &o.now) < 0)
        return usage_error("%s", "--now must be ISO-8601 UTC (2026-12-01T00:00:00Z) or "
                                 "seconds since 1970"), USAGE_ERROR;
    if (isatty(STDERR_FILENO)) o.progress = stderr;
    int rc = import_run(&o, stdout, err, sizeof err);
    if (rc != IMPORT_OK) fprintf(stderr, "kea-win-import: %s\n", err);
    return rc;
}
