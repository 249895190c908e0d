// A file path with `{name}` placeholders, e.g. "shards/train-{shard}.safetensors".
// Immutable after parse(); safe to share between threads.
#pragma once

#include <sluice/status.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::io {

class PathTemplate {
 public:
  // INVALID_ARGUMENT for an unclosed '{', a stray '}' or an empty name.
  static Expected<PathTemplate> parse(std::string_view text);

  // Placeholder names, in order of appearance (repeats included).
  std::vector<std::string> names() const;
  const std::string& text() const { return text_; }

  // The path with each placeholder replaced by value(name); the first error value() returns.
  Expected<std::string> render(
      const std::function<Expected<std::string>(const std::string&)>& value) const;

 private:
  struct Part {
    std::string text;
    bool placeholder;
  };
  std::string text_;
  std::vector<Part> parts_;
};

}  // namespace sluice::io
