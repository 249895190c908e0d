#include "nn/next_token.h"

#include <algorithm>
#include <map>
#include <utility>

namespace sluice::nn {

Expected<NextTokenLogits> NextTokenLogits::open(const Model& model) {
  if (!model.takes_ids()) {
    return Status::Invalid(
        "model: expected a language model reading ids, found one reading features");
  }
  return NextTokenLogits(model);
}

Status NextTokenLogits::keep(size_t i, int64_t row) {
  const Buffer& out = ws_.output();
  if (out.shape.size() != 3 || out.shape[0] <= row || out.shape[2] < 1) {
    return Status::Invalid("model: expected logits (rows, length, vocabulary), found " +
                           shape_text(out.shape));
  }
  const int64_t T = out.shape[1], V = out.shape[2];
  const float* last = out.values.data() + ((row + 1) * T - 1) * V;
  logits_[i].assign(last, last + V);
  return {};
}

Status NextTokenLogits::after(const std::vector<std::vector<int32_t>>& sequences,
                              const std::vector<size_t>& which) {
  window_start_.resize(sequences.size(), 0);
  logits_.resize(sequences.size());
  const int64_t limit = model_->max_length();
  // The decoding passes to run, by the number of new ids: one batch row per sequence.
  std::map<int64_t, std::pair<DecodeRows, std::vector<int32_t>>> passes;
  for (size_t i : which) {
    const std::vector<int32_t>& ids = sequences[i];
    if (ids.empty()) return Status::Invalid("ids: expected at least one, found none");
    const auto length = static_cast<int64_t>(ids.size());
    const int64_t window = limit > 0 ? std::min(length, limit) : length;
    const int64_t start = length - window;
    const int64_t decoded = i < ws_.decoded.size() ? ws_.decoded[i] : 0;
    const bool cached = start == window_start_[i] && decoded < window;
    window_start_[i] = start;
    if (!decodes_) {
      SLUICE_RETURN_IF_ERROR(
          model_->forward({{1, window}, ids.data() + start, nullptr}, false, 0, ws_));
      SLUICE_RETURN_IF_ERROR(keep(i, 0));
      continue;
    }
    const int64_t from = cached ? decoded : 0;
    auto& [rows, new_ids] = passes[window - from];
    rows.sequences.push_back(static_cast<int64_t>(i));
    rows.positions.push_back(from);
    new_ids.insert(new_ids.end(), ids.begin() + start + from, ids.end());
  }
  for (const auto& [n, pass] : passes) {
    const auto& [rows, new_ids] = pass;
    SLUICE_RETURN_IF_ERROR(model_->decode(new_ids.data(), n, rows, ws_));
    for (size_t b = 0; b < rows.sequences.size(); ++b) {
      SLUICE_RETURN_IF_ERROR(keep(static_cast<size_t>(rows.sequences[b]), static_cast<int64_t>(b)));
    }
  }
  return {};
}

}  // namespace sluice::nn
