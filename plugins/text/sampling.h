// Drawing a language model's next token from its logits, as Hugging Face's generate() samples:
// temperature, then top-k, then top-p (nucleus) filtering, then one draw from the softmax of
// what is left. The logits must be finite (text.generate checks them). Pure functions,
// thread-safe.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace sluice::text {

struct SamplingParams {
  double temperature = 1.0;  // divides the logits; 0: the most likely token, no draw
  int64_t top_k = 0;         // keep the k largest logits (and any equal to the k-th); 0: all
  double top_p = 1.0;        // keep the most likely tokens while those above hold < top_p
};

// The distribution a token is drawn from, for temperature > 0: `probs` gets V values summing to
// 1, softmax(logits / temperature) restricted by top_k, then to the most likely token and the
// others whose more likely tokens (by the restricted probabilities, ties in index order) hold
// less than top_p, and scaled to sum to 1 again.
void sampling_probabilities(const float* logits, int64_t V, const SamplingParams& params,
                            std::vector<double>& probs);

// The token drawn from `logits` (V of them, V >= 1): with temperature 0 the first largest logit;
// otherwise one uniform draw of 53 bits from `rng` over sampling_probabilities(). `scratch`
// holds the probabilities, so a loop allocates once.
int32_t sample_token(const float* logits, int64_t V, const SamplingParams& params,
                     std::mt19937_64& rng, std::vector<double>& scratch);

}  // namespace sluice::text
