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

cJSON* to_cjson(const ConstElementPtr& e) {
    if (!e) {
        return (cJSON_CreateNull());
    }
    switch (e->getType()) {
    case Element::string: {
        const std::string& s = e->stringValue();
        return (s.find('\0') == std::string::npos ? cJSON_CreateString(s.c_str()) : nullptr);
    }
    case Element::integer:
        return (cJSON_CreateNumber(static_cast<double>(e->intValue())));
    case Element::real:
        return (cJSON_CreateNumber(e->doubleValue()));
    case Element::boolean:
        return (cJSON_CreateBool(e->boolValue()));
    case Element::list: {
        cJSON* list = cJSON_CreateArray();
        for (const auto& item : e->listValue()) {
            cJSON* child = to_cjson(item);
            if (!child) {
                cJSON_Delete(list);
                return (nullptr);
            }
            cJSON_AddItemToArray(list, child);
        }
        return (list);
    }
    case Element::map: {
        cJSON* map = cJSON_CreateObject();
        for (const auto& item : e->mapValue()) {
            cJSON* child = to_cjson(item.second);
            if (!child || item.first.find('\0') != std::string::npos) {
                cJSON_Delete(child);
                cJSON_Delete(map);
                return (nullptr);
            }
            cJSON_AddItemToObject(map, item.first.c_str(), child);
        }
        return (map);
    }
    case Element::null:
        return (cJSON_CreateNull());
    default:
        // A number beyond 64 bits (Kea 2.6+ reads it as a bigint): a double,
        // so that hook/ refuses it by range instead of seeing no value.
        return (cJSON_Parse(e->str().c_str()));
    }
}

bool holds_nul(const ConstElementPtr& e) {
    if (!e) {
        return (false);
    }
    switch (e->getType()) {
    case Element::string:
        return (e->stringValue().find('\0') != std::string::npos);
    case Element::list:
        for (const auto& item : e->listValue()) {
            if (holds_nul(item)) {
                return (true);
            }
        }
        return (false);
    case Element::map:
        for (const auto& item : e->mapValue()) {
            if (item.first.find('\0') != std::string::npos || holds_nul(item.second)) {
                return (true);
            }
        }
        return (false);
    default:
        return (false);
    }
}

isc::data::ElementPtr to_element(const cJSON* item) {
    if (cJSON_IsString(item)) {
        return (Element::create(std::string(item->valuestring)));
    }
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        if (v >= -9007199254740992.0 && v <= 9007199254740992.0 &&
            v == static_cast<double>(static_cast<long long>(v))) {
            return (Element::create(static_cast<long long>(v)));
        }
        return (Element::create(v));
    }
    if (cJSON_IsBool(item)) {
        return (Element::create(static_cast<bool>(cJSON_IsTrue(item))));
    }
    if (cJSON_IsArray(item)) {
        isc::data::ElementPtr list = Element::createList();
        for (const cJSON* child = item->child; child; child = child->next) {
            list->add(to_element(child));
        }
        return (list);
    }
    if (cJSON_IsObject(item)) {
        isc::data::ElementPtr map = Element::createMap();
        for (const cJSON* child = item->child; child; child = child->next) {
            map->set(child->string, to_element(child));
        }
        return (map);
    }
    return (Element::create());  // null
}

std::string json_text(const ConstElementPtr& element) {
    std::string out;
    append(out, element);
    return (out);
}

}  // namespace win_cmds
