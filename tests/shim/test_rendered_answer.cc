// The answer element the shim hands Kea: it must print the hook's text as
// it is, and behave as the map it stands for to anyone who reads it.
#include "rendered_answer.h"

#include <cc/data.h>

#include <cstdarg>
#include <cstddef>
#include <csetjmp>
#include <cstring>

extern "C" {
#include <cmocka.h>
}

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::data::ElementPtr;
using win_cmds::RenderedAnswer;

namespace {

const char* const TEXT =
    "{\"result\":0,\"text\":\"caf\xc3\xa9\",\"arguments\":{\"clients\":[{\"k\":1}],"
    "\"error-code\":0}}";

ElementPtr rendered() {
    return (ElementPtr(new RenderedAnswer(strdup(TEXT))));
}

void prints_the_text_as_it_is(void**) {
    // Kea's own printer would write the UTF-8 bytes as \u00XX escapes.
    assert_string_equal(rendered()->str().c_str(), TEXT);
    assert_int_equal(rendered()->getType(), Element::map);
}

void reads_as_the_map_it_stands_for(void**) {
    ElementPtr answer = rendered();
    assert_int_equal(answer->get("result")->intValue(), 0);
    assert_string_equal(answer->get("text")->stringValue().c_str(), "caf\xc3\xa9");
    assert_true(answer->contains("arguments"));
    assert_false(answer->contains("nothing"));
    assert_int_equal(answer->size(), 3);
    assert_int_equal(answer->mapValue().size(), 3);
    assert_int_equal(answer->find("arguments/clients")->size(), 1);
    assert_true(answer->equals(*Element::fromJSON(TEXT)));
    assert_true(Element::fromJSON(TEXT)->equals(*answer));
}

void changes_made_as_a_map_are_printed(void**) {
    ElementPtr answer = rendered();
    answer->set("added", Element::create(7));
    answer->remove("text");
    ConstElementPtr back = Element::fromJSON(answer->str());
    assert_int_equal(back->get("added")->intValue(), 7);
    assert_null(back->get("text").get());
    assert_int_equal(back->get("result")->intValue(), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prints_the_text_as_it_is),
        cmocka_unit_test(reads_as_the_map_it_stands_for),
        cmocka_unit_test(changes_made_as_a_map_are_printed),
    };
    return (cmocka_run_group_tests(tests, nullptr, nullptr));
}
