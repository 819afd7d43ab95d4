// A command answer that hook/ has already written as JSON text. Kea does one
// thing with a command's answer: print it (the control channel sends
// rsp->str()), so printing this element is one copy of the text instead of a
// tree of Kea elements built and walked. Anything that reads it as a map -
// another hook's command_processed callout - gets the text parsed once, and
// changes made that way are what is printed from then on.
#ifndef RENDERED_ANSWER_H
#define RENDERED_ANSWER_H

#include <cc/data.h>

#include "kea_release.h"
#include "win_cmds.h"

#include <memory>
#include <string>

namespace win_cmds {

class RenderedAnswer : public isc::data::Element {
public:
    // Takes an answer of win_cmds_handle*(), released with win_cmds_free.
    explicit RenderedAnswer(char* text);

    void toJSON(std::ostream& ss WIN_KEA_LEVEL_PARAM) const override;
    bool equals(const isc::data::Element& other WIN_KEA_LEVEL_PARAM) const override;

    using Element::get;
    using Element::getValue;
    using Element::remove;
    using Element::set;
    using Element::setValue;
    const std::map<std::string, isc::data::ConstElementPtr>& mapValue() const override;
    bool getValue(std::map<std::string, isc::data::ConstElementPtr>& t) const override;
    bool setValue(const std::map<std::string, isc::data::ConstElementPtr>& v) override;
    isc::data::ConstElementPtr get(const std::string& name) const override;
    void set(const std::string& name, isc::data::ConstElementPtr element) override;
    void remove(const std::string& name) override;
    bool contains(const std::string& name) const override;
    isc::data::ConstElementPtr find(const std::string& identifier) const override;
    bool find(const std::string& identifier, isc::data::ConstElementPtr& t) const override;
    size_t size() const override;
    bool empty() const override;

private:
    const isc::data::ElementPtr& parsed() const;

    struct Free {
        void operator()(char* p) const { win_cmds_free(p); }
    };
    mutable std::unique_ptr<char, Free> text_;
    mutable isc::data::ElementPtr parsed_;
};

}  // namespace win_cmds

#endif
