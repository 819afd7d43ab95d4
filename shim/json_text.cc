#include "json_text.h"

#include <cstdio>

using isc::data::ConstElementPtr;
using isc::data::Element;

namespace win_cmds {

namespace {

void append_string(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out += escaped;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

void append(std::string& out, const ConstElementPtr& e) {
    if (!e) {
        out += "null";
        return;
    }
    switch (e->getType()) {
    case Element::string:
        append_string(out, e->stringValue());
        break;
    case Element::list: {
        out += '[';
        bool first = true;
        for (const auto& item : e->listValue()) {
            if (!first) {
                out += ',';
            }
            first = false;
            append(out, item);
        }
        out += ']';
        break;
    }
    case Element::map: {
        out += '{';
        bool first = true;
        for (const auto& item : e->mapValue()) {
            if (!first) {
                out += ',';
            }
            first = false;
            append_string(out, item.first);
            out += ':';
            append(out, item.second);
        }
        out += '}';
        break;
    }
    default:  // numbers, booleans, null: Kea's text is plain ASCII
        out += e->str();
    }
}

}  // namespace

std::string json_text(const ConstElementPtr& element) {
    std::string out;
    append(out, element);
    return (out);
}

}  // namespace win_cmds
