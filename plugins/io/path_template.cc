#include "io/path_template.h"

namespace sluice::io {

Expected<PathTemplate> PathTemplate::parse(std::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      return Status::Invalid("path template '" + t.text_ + "': expected '{' before the '}' at " +
                             "character " + std::to_string(i + 1) + ", found none");
    }
    if (text[i] != '{') {
      literal += text[i];
      continue;
    }
    size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      return Status::Invalid("path template '" + t.text_ + "': expected a '}' closing the '{' at " +
                             "character " + std::to_string(i + 1) + ", found the end");
    }
    std::string name(text.substr(i + 1, close - i - 1));
    if (name.empty() || name.find('{') != std::string::npos) {
      return Status::Invalid("path template '" + t.text_ + "': expected a name between '{' and " +
                             "'}' at character " + std::to_string(i + 1) + ", found '" + name +
                             "'");
    }
    if (!literal.empty()) t.parts_.push_back({std::move(literal), false});
    literal.clear();
    t.parts_.push_back({std::move(name), true});
    i = close;
  }
  if (!literal.empty()) t.parts_.push_back({std::move(literal), false});
  return t;
}

std::vector<std::string> PathTemplate::names() const {
  std::vector<std::string> out;
  for (const Part& p : parts_) {
    if (p.placeholder) out.push_back(p.text);
  }
  return out;
}

Expected<std::string> PathTemplate::render(
    const std::function<Expected<std::string>(const std::string&)>& value) const {
  std::string out;
  for (const Part& p : parts_) {
    if (!p.placeholder) {
      out += p.text;
      continue;
    }
    Expected<std::string> v = value(p.text);
    if (!v.ok()) return v.status();
    out += *v;
  }
  return out;
}

}  // namespace sluice::io
