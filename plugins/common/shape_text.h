// Tensor shapes as text for messages: "(2, 3)", "(5,)", "()". Header-only; pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {

inline std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace sluice
