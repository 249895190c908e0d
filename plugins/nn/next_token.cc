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

Status NextTokenLogits::run_alone(size_t i, const std::vector<int32_t>& ids, int64_t start,
                                  int64_t from, int64_t n) {
  const int32_t* first = ids.data() + start + from;
  if (model_->decodes()) {
    SLUICE_RETURN_IF_ERROR(
        model_->decode(first, n, DecodeRows{{static_cast<int64_t>(i)}, {from}}, ws_));
  } else {
    SLUICE_RETURN_IF_ERROR(model_->forward({{1, n}, first, nullptr}, false, 0, ws_));
  }
  return keep(i, 0);
}

Status NextTokenLogits::after(const std::vector<std::vector<int32_t>>& sequences,
                              const std::vector<size_t>& which) {
  window_start_.resize(sequences.size(), 0);
  logits_.resize(sequences.size());
  const int64_t limit = model_->max_length();
  DecodeRows step;  // the sequences one id longer than their cache: one batch row each
  std::vector<int32_t> step_ids;
  for (size_t i : which) {
    const std::vector<int32_t>& ids = sequences[i];
    if (ids.empty()) return Status::Invalid("ids: expected at least one, found none");
    const auto length = static_cast<int64_t>(ids.size());
    const int64_t window = limit > 0 ? std::min(length, limit) : length;
    const int64_t start = length - window;
    const int64_t decoded = i < ws_.decoded.size() ? ws_.decoded[i] : 0;
    const bool cached = model_->decodes() && start == window_start_[i] && decoded < window;
    window_start_[i] = start;
    if (cached && decoded == window - 1 && decoded > 0) {
      step.sequences.push_back(static_cast<int64_t>(i));
      step.positions.push_back(decoded);
      step_ids.push_back(ids.back());
    } else {
      const int64_t from = cached ? decoded : 0;
      SLUICE_RETURN_IF_ERROR(run_alone(i, ids, start, from, window - from));
    }
  }
  if (step.sequences.empty()) return {};
  SLUICE_RETURN_IF_ERROR(model_->decode(step_ids.data(), 1, step, ws_));
  for (size_t b = 0; b < step.sequences.size(); ++b) {
    SLUICE_RETURN_IF_ERROR(keep(static_cast<size_t>(step.sequences[b]), static_cast<int64_t>(b)));
  }
  return {};
}

}  // namespace sluice::nn
