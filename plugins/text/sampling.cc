#include "text/sampling.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sluice::text {
namespace {

// Zeroes the weights below the k-th largest (0: none).
void keep_top_k(std::vector<double>& weights, int64_t k) {
  if (k <= 0 || k >= static_cast<int64_t>(weights.size())) return;
  std::vector<double> sorted = weights;
  std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end(), std::greater<>());
  const double kth = sorted[static_cast<size_t>(k - 1)];
  for (double& w : weights) {
    if (w < kth) w = 0;
  }
}

// Zeroes the weights (summing to `sum`) of the tokens whose more likely tokens already hold
// top_p of the total; the most likely token always stays.
void keep_top_p(std::vector<double>& weights, double sum, double top_p) {
  if (top_p >= 1.0) return;
  std::vector<int32_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return weights[a] > weights[b]; });
  double above = weights[order[0]];
  for (size_t i = 1; i < order.size(); ++i) {
    double& w = weights[order[i]];
    const double own = w;
    if (above >= top_p * sum) w = 0;
    above += own;
  }
}

}  // namespace

void sampling_probabilities(const float* logits, int64_t V, const SamplingParams& params,
                            std::vector<double>& probs) {
  probs.assign(logits, logits + V);
  const double top = *std::max_element(probs.begin(), probs.end());
  for (double& w : probs) w = std::exp((w - top) / params.temperature);
  keep_top_k(probs, params.top_k);  // the weights keep the logits' order
  keep_top_p(probs, std::accumulate(probs.begin(), probs.end(), 0.0), params.top_p);
  const double sum = std::accumulate(probs.begin(), probs.end(), 0.0);
  for (double& w : probs) w /= sum;
}

int32_t sample_token(const float* logits, int64_t V, const SamplingParams& params,
                     std::mt19937_64& rng, std::vector<double>& scratch) {
  if (params.temperature == 0.0)
    return static_cast<int32_t>(std::max_element(logits, logits + V) - logits);
  sampling_probabilities(logits, V, params, scratch);
  // a uniform draw in [0, 1) from 53 random bits, the same on every platform
  double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  for (int64_t v = 0; v < V; ++v) {
    u -= scratch[v];
    if (u < 0) return static_cast<int32_t>(v);
  }
  // rounding left u >= 0 past the last token: the last one with a chance
  int64_t last = V - 1;
  while (last > 0 && scratch[last] == 0) --last;
  return static_cast<int32_t>(last);
}

}  // namespace sluice::text
