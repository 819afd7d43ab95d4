// Kea elements as JSON text for hook/. Kea's own Element::str() writes every
// byte above 0x7F as \u00XX, which any other JSON reader takes for a code
// point and so double-encodes UTF-8 ("café" would come back as "cafÃ©"):
// here strings go out as the raw bytes they hold.
#ifndef JSON_TEXT_H
#define JSON_TEXT_H

#include <cc/data.h>
#include <cjson/cJSON.h>

#include <string>

namespace win_cmds {

std::string json_text(const isc::data::ConstElementPtr& element);

// Direct conversions between Kea's elements and hook/'s cJSON trees, which
// spare a print and a parse per command. to_cjson answers NULL for a string
// holding a NUL byte, which cJSON cannot carry (the text path refuses those).
cJSON* to_cjson(const isc::data::ConstElementPtr& element);
// Whether a string or member name anywhere in element holds a NUL byte.
bool holds_nul(const isc::data::ConstElementPtr& element);
isc::data::ElementPtr to_element(const cJSON* item);

}  // namespace win_cmds

#endif
