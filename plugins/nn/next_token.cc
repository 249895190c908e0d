#include "nn/next_token.h"

#include <algorithm>

namespace sluice::nn {

Expected<NextTokenLogits> NextTokenLogits::open(const Model& model) {
  if (!model.takes_ids()) {
    return Status::Invalid(
        "model: expected a language model reading ids, found one reading features");
  }
  return NextTokenLogits(model);
}

Expected<Logits> NextTokenLogits::after(const std::vector<int32_t>& ids) {
  if (ids.empty()) return Status::Invalid("ids: expected at least one, found none");
  const auto length = static_cast<int64_t>(ids.size());
  const int64_t limit = model_->max_length();
  const int64_t window = limit > 0 ? std::min(length, limit) : length;
  const int64_t start = length - window;
  if (model_->decodes()) {
    // The cached positions are ids[window_start_, window_start_ + decoded).
    const int64_t from = start == window_start_ && ws_.decoded < window ? ws_.decoded : 0;
    SLUICE_RETURN_IF_ERROR(model_->decode(ids.data() + start + from, window - from, from, ws_));
  } else {
    SLUICE_RETURN_IF_ERROR(
        model_->forward({{1, window}, ids.data() + start, nullptr}, false, 0, ws_));
  }
  window_start_ = start;
  const Buffer& out = ws_.output();
  if (out.shape.size() != 3 || out.shape[0] != 1 || out.shape[2] < 1) {
    return Status::Invalid("model: expected logits (1, length, vocabulary), found " +
                           shape_text(out.shape));
  }
  const int64_t V = out.shape[2];
  return Logits{out.values.data() + (out.shape[1] - 1) * V, V};
}

}  // namespace sluice::nn
