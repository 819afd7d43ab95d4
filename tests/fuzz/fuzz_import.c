/* kea-win-import end to end on arbitrary files: the reader, its character
 * filter, every mapping and the writers must neither crash nor leak,
 * whatever the export holds. Each input is written to a file and imported
 * into a scratch directory (the lease file path; no --apply). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64], in[96], out[96];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/fuzz_import_XXXXXX");
        if (!mkdtemp(dir)) abort();
        snprintf(in, sizeof in, "%s/export.xml", dir);
        snprintf(out, sizeof out, "%s/out", dir);
    }
    FILE *f = fopen(in, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    static const enum kea_release releases[] = {KEA_22, KEA_26, KEA_30};
    struct import_options o = {.release = releases[size % 3], .now = 1764547200, .out = out,
                               .export_path = in};
    char err[512];
    import_run(&o, NULL, err, sizeof err);
    return 0;
}
