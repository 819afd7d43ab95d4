/* libFuzzer target: the value parsers (IPv4, hex identifiers, ISO dates,
 * UTF-8, enum names, comment stripping) on arbitrary text, with round trips:
 * what parses must format back to something that parses to the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "file_io.h"
#include "json_fields.h"
#include "value_formats.h"
#include "win_enums.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';

    uint32_t addr, again;
    if (win_ipv4_parse(text, &addr) == 0) {
        char out[WIN_IPV4_TEXT];
        win_ipv4_format(addr, out);
        if (win_ipv4_parse(out, &again) != 0 || again != addr) abort();
    }
    uint8_t bytes[WIN_IDENTIFIER_MAX], bytes2[WIN_IDENTIFIER_MAX];
    size_t len, len2;
    if (win_hex_parse(text, bytes, sizeof bytes, &len) == 0) {
        char out[WIN_HEX_TEXT(WIN_IDENTIFIER_MAX)];
        win_hex_format(bytes, len, out);
        if (win_hex_parse(out, bytes2, sizeof bytes2, &len2) != 0 || len2 != len ||
            memcmp(bytes, bytes2, len) != 0)
            abort();
    }
    int64_t seconds, seconds2;
    int infinite, infinite2;
    if (win_datetime_parse(text, &seconds, &infinite) == 0 && !infinite) {
        char out[WIN_DATETIME_TEXT];
        win_datetime_format(seconds, out);
        if (win_datetime_parse(out, &seconds2, &infinite2) != 0 || seconds2 != seconds) abort();
    }
    win_utf8_valid(text);
    win_enum_from_name(&WIN_ENUM_CLIENT_TYPE, text);
    win_enum_from_name(&WIN_ENUM_FSM_STATE, text);
    uint8_t mask_len;
    win_mask_to_prefix(addr, &mask_len);

    size_t before = strlen(text);
    json_strip_comments(text);
    if (strlen(text) != before) abort(); /* blanks out, never moves text */
    cJSON_Delete(jf_parse(text));
    free(text);
    return 0;
}
