/* Windows enumerations: names, numbers, and the address-state flag bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "win_enums.h"

static void names_are_case_insensitive(void **state)
{
    (void)state;
    assert_int_equal(win_enum_from_name(&WIN_ENUM_CLIENT_TYPE, "BootP"), 2);
    assert_int_equal(win_enum_from_name(&WIN_ENUM_CLIENT_TYPE, "none"), 100);
    assert_int_equal(win_enum_from_name(&WIN_ENUM_ADDRESS_STATE, "DOOM"), 3);
    assert_int_equal(win_enum_from_name(&WIN_ENUM_QUARANTINE_STATUS, "no-quarantine-info"), 6);
    assert_int_equal(win_enum_from_name(&WIN_ENUM_SEARCH_TYPE, "name"), 2);
    assert_int_equal(win_enum_from_name(&WIN_ENUM_CLIENT_TYPE, "reservation"), -1);
    assert_int_equal(win_enum_from_name(&WIN_ENUM_ADDRESS_STATE, ""), -1);
}

static void numbers_follow_the_windows_header(void **state)
{
    (void)state;
    const struct win_enum *ct = &WIN_ENUM_CLIENT_TYPE;
    for (long ok = 0; ok <= 7; ok++) assert_true(ct->number_valid(ok)); /* 0-3, | 0x04 */
    assert_true(ct->number_valid(100));
    assert_false(ct->number_valid(104)); /* 0x64 already holds the 0x04 bit */
    assert_false(ct->number_valid(8));
    assert_false(ct->number_valid(99));
    assert_false(ct->number_valid(101));
    assert_false(ct->number_valid(-1));
    assert_true(WIN_ENUM_ADDRESS_STATE.number_valid(255));
    assert_false(WIN_ENUM_ADDRESS_STATE.number_valid(256));
    assert_true(WIN_ENUM_QUARANTINE_STATUS.number_valid(6));
    assert_false(WIN_ENUM_QUARANTINE_STATUS.number_valid(7));
    assert_false(WIN_ENUM_SEARCH_TYPE.number_valid(3));
}

static void output_names_or_numbers(void **state)
{
    (void)state;
    assert_string_equal(win_enum_to_name(&WIN_ENUM_CLIENT_TYPE, 1), "dhcp");
    assert_null(win_enum_to_name(&WIN_ENUM_CLIENT_TYPE, 5)); /* dhcp | reservation */
    assert_string_equal(win_enum_to_name(&WIN_ENUM_QUARANTINE_STATUS, 0), "no-quarantine");
}

/* kea-win-import reads ClientType and NapStatus as Export-DhcpServer writes
 * them through the same tables. */
static void powershell_names(void **state)
{
    (void)state;
    static const char *const nap[] = {"FullAccess", "RestrictedAccess", "DropPacket",
                                      "InProbation", "Exempt", "DefaultQuarantineSetting",
                                      "NoQuarantineInfo"};
    for (int i = 0; i < 7; i++)
        assert_int_equal(win_enum_from_powershell(&WIN_ENUM_QUARANTINE_STATUS, nap[i]), i);
    assert_int_equal(win_enum_from_powershell(&WIN_ENUM_CLIENT_TYPE, "UnSpecified"), 0);
    assert_int_equal(win_enum_from_powershell(&WIN_ENUM_CLIENT_TYPE, "BootP"), 2);
    assert_int_equal(win_enum_from_powershell(&WIN_ENUM_CLIENT_TYPE, "None"), 100);
    assert_int_equal(win_enum_from_powershell(&WIN_ENUM_CLIENT_TYPE, "Reserved"), -1);
    assert_int_equal(win_enum_from_powershell(&WIN_ENUM_CLIENT_TYPE, NULL), -1);
    /* The PowerShell-only names are not names a command takes. */
    assert_int_equal(win_enum_from_name(&WIN_ENUM_QUARANTINE_STATUS, "FullAccess"), -1);
}

static void address_state_flags_by_name(void **state)
{
    (void)state;
    const char *names[8];
    assert_int_equal(win_address_state_flag_names(0x01, names, 8), 0);
    size_t n = win_address_state_flag_names(0xF1 | (2 << 2), names, 8);
    assert_int_equal(n, 5);
    assert_string_equal(names[0], "dhcid-with-client-id-option");
    assert_string_equal(names[1], "cleanup");
    assert_string_equal(names[2], "both-rec");
    assert_string_equal(names[3], "unregistered");
    assert_string_equal(names[4], "deleted");
    assert_int_equal(win_address_state_flag_names(0xFF, names, 2), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_case_insensitive),
        cmocka_unit_test(numbers_follow_the_windows_header),
        cmocka_unit_test(output_names_or_numbers),
        cmocka_unit_test(powershell_names),
        cmocka_unit_test(address_state_flags_by_name),
    };
    return cmocka_run_group_tests_name("enums", tests, NULL, NULL);
}
