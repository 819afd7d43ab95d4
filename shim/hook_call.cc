#include "hook_call.h"

#include "json_text.h"
#include "win_cmds.h"

#include <exception>
#include <memory>
#include <vector>

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::data::ElementPtr;

namespace win_cmds {

namespace {

using CJsonPtr = std::unique_ptr<cJSON, void (*)(cJSON*)>;

// The items of a Kea list for hook/, each converted when asked for and freed
// when the next is.
class ListItems {
public:
    explicit ListItems(const std::vector<ElementPtr>& list)
        : list_(list), items_{list.size(), &ListItems::next, this} {
    }
    ~ListItems() {
        cJSON_Delete(current_);
    }
    ListItems(const ListItems&) = delete;
    ListItems& operator=(const ListItems&) = delete;

    const win_items* items() const {
        return (&items_);
    }

private:
    static const cJSON* next(void* source) {
        ListItems* self = static_cast<ListItems*>(source);
        cJSON_Delete(self->current_);
        self->current_ = nullptr;
        if (self->index_ < self->list_.size()) {
            // Called from hook/'s C frames, which no exception may cross: an
            // item that cannot be converted is NULL, and fails alone.
            try {
                self->current_ = to_cjson(self->list_[self->index_++]);
            } catch (const std::exception&) {
                self->current_ = nullptr;
            }
        }
        return (self->current_);
    }

    const std::vector<ElementPtr>& list_;
    size_t index_ = 0;
    cJSON* current_ = nullptr;
    win_items items_;
};

// The members of a map but one, as cJSON.
cJSON* members_except(const ConstElementPtr& map, const std::string& left_out) {
    cJSON* out = cJSON_CreateObject();
    for (const auto& member : map->mapValue()) {
        if (member.first != left_out) {
            cJSON_AddItemToObject(out, member.first.c_str(), to_cjson(member.second));
        }
    }
    return (out);
}

}  // namespace

char* call_hook(const std::string& command, const ConstElementPtr& args, const char* origin) {
    const char* list_name = win_cmds_list_argument(command.c_str());
    ConstElementPtr list = list_name && args && args->getType() == Element::map
                               ? args->get(list_name) : ConstElementPtr();
    if (list && list->getType() == Element::list) {
        if (!holds_nul(args)) {
            CJsonPtr rest(members_except(args, list_name), cJSON_Delete);
            ListItems items(list->listValue());
            return (win_cmds_handle_items(command.c_str(), rest.get(), items.items(), origin));
        }
    } else {
        CJsonPtr tree(args ? to_cjson(args) : nullptr, cJSON_Delete);
        if (!args || tree) {
            return (win_cmds_handle_json(command.c_str(), tree.get(), origin));
        }
    }
    return (win_cmds_handle(command.c_str(), json_text(args).c_str(), origin));
}

}  // namespace win_cmds
