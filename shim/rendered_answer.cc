#include "rendered_answer.h"

using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::data::ElementPtr;

namespace win_cmds {

RenderedAnswer::RenderedAnswer(char* text)
    : Element(Element::map), text_(text) {
}

const ElementPtr& RenderedAnswer::parsed() const {
    if (!parsed_) {
        parsed_ = Element::fromJSON(std::string(text_.get()));
        text_.reset();
    }
    return (parsed_);
}

void RenderedAnswer::toJSON(std::ostream& ss WIN_KEA_LEVEL_PARAM) const {
    if (parsed_) {
        parsed_->toJSON(ss WIN_KEA_LEVEL_ARG);
    } else {
        ss << text_.get();
    }
}

bool RenderedAnswer::equals(const Element& other WIN_KEA_LEVEL_PARAM) const {
    return (parsed()->equals(other WIN_KEA_LEVEL_ARG));
}

const std::map<std::string, ConstElementPtr>& RenderedAnswer::mapValue() const {
    return (parsed()->mapValue());
}

bool RenderedAnswer::getValue(std::map<std::string, ConstElementPtr>& t) const {
    return (parsed()->getValue(t));
}

bool RenderedAnswer::setValue(const std::map<std::string, ConstElementPtr>& v) {
    return (parsed()->setValue(v));
}

ConstElementPtr RenderedAnswer::get(const std::string& name) const {
    return (parsed()->get(name));
}

void RenderedAnswer::set(const std::string& name, ConstElementPtr element) {
    parsed()->set(name, element);
}

void RenderedAnswer::remove(const std::string& name) {
    parsed()->remove(name);
}

bool RenderedAnswer::contains(const std::string& name) const {
    return (parsed()->contains(name));
}

ConstElementPtr RenderedAnswer::find(const std::string& identifier) const {
    return (parsed()->find(identifier));
}

bool RenderedAnswer::find(const std::string& identifier, ConstElementPtr& t) const {
    return (parsed()->find(identifier, t));
}

size_t RenderedAnswer::size() const {
    return (parsed()->size());
}

bool RenderedAnswer::empty() const {
    return (parsed()->empty());
}

}  // namespace win_cmds
