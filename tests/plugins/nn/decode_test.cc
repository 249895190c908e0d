// Model::decode, the KV-cache pass text generation runs: a sequence decoded a few ids at a time
// gives each position the output a forward pass over the whole sequence gives it, for every
// layer that decodes (token_position_embedding, transformer_block, causal_self_attention inside
// a residual, layer_norm, gelu, dropout, linear, embedding); going back to an earlier position
// decodes the rest again; models and calls it cannot serve are refused with what was expected.
// Several sequences share a Workspace and decode in one pass, each row at its own position.
// NextTokenLogits, on it, gives the logits a forward pass over the last block_size ids gives,
// before and after a sequence outgrows the block, for sequences stepping together or apart.
#include "nn/model.h"
#include "nn/next_token.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

namespace sluice::nn {
namespace {

constexpr int64_t kVocabulary = 13, kBlock = 10, kDim = 8;

std::vector<int32_t> random_ids(int64_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> id(0, kVocabulary - 1);
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (int32_t& v : ids) v = id(rng);
  return ids;
}

// A GPT with both attention layer types: blocks, and attention in a residual with its norm.
std::unique_ptr<Model> gpt() {
  LayerSpec attention{"residual", {}, {}};
  attention.lists["body"] = {{"layer_norm", {{"dim", kDim}}},
                             {"causal_self_attention", {{"dim", kDim}, {"heads", 2}}},
                             {"dropout", {{"p", 0.1}}}};
  Expected<std::unique_ptr<Model>> m =
      Model::build({{"token_position_embedding",
                     {{"num_embeddings", kVocabulary}, {"block_size", kBlock}, {"dim", kDim}}},
                    {"transformer_block", {{"dim", kDim}, {"heads", 2}}},
                    attention,
                    {"transformer_block", {{"dim", kDim}, {"heads", 4}}},
                    {"layer_norm", {{"dim", kDim}}},
                    {"gelu", {}},
                    {"linear", {{"in", kDim}, {"out", kVocabulary}}}},
                   {5}, 0);
  REQUIRE(m.ok());
  return std::move(*m);
}

// Row `row` of a (1, T, V) output.
std::vector<float> row_of(const Buffer& out, int64_t row) {
  const int64_t V = out.shape.back();
  return {out.values.begin() + row * V, out.values.begin() + (row + 1) * V};
}

void check_close(const std::vector<float>& decoded, const std::vector<float>& whole) {
  REQUIRE(decoded.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    CHECK(std::abs(decoded[i] - whole[i]) <= 1e-5f * (1.0f + std::abs(whole[i])));
  }
}

TEST_CASE("decoding a sequence in pieces gives every position the whole sequence's output",
          "[plugins][nn]") {
  const std::unique_ptr<Model> model = gpt();
  REQUIRE(model->decodes());
  const std::vector<int32_t> ids = random_ids(kBlock, 3);
  Workspace whole;
  REQUIRE(model->forward({{1, kBlock}, ids.data(), nullptr}, false, 0, whole).ok());

  Workspace ws;
  int64_t at = 0;
  for (int64_t n : {3, 1, 1, 2, 1, 2}) {  // a prompt of 3, then single ids and pairs
    INFO("positions " << at << " to " << at + n);
    REQUIRE(model->decode(ids.data() + at, n, at, ws).ok());
    REQUIRE(ws.output().shape == std::vector<int64_t>{1, n, kVocabulary});
    for (int64_t i = 0; i < n; ++i)
      check_close(row_of(ws.output(), i), row_of(whole.output(), at + i));
    at += n;
  }
  CHECK(ws.decoded == std::vector<int64_t>{kBlock});

  SECTION("going back decodes the later positions again, for other ids") {
    std::vector<int32_t> other = ids;
    std::fill(other.begin() + 4, other.end(), 1);
    Workspace other_whole;
    REQUIRE(model->forward({{1, kBlock}, other.data(), nullptr}, false, 0, other_whole).ok());
    REQUIRE(model->decode(other.data() + 4, kBlock - 4, 4, ws).ok());
    for (int64_t i = 0; i < kBlock - 4; ++i) {
      check_close(row_of(ws.output(), i), row_of(other_whole.output(), 4 + i));
    }
  }
  SECTION("a forward pass with the workspace forgets the decoded sequence") {
    REQUIRE(model->forward({{1, 2}, ids.data(), nullptr}, false, 0, ws).ok());
    CHECK(ws.decoded.empty());
    CHECK(model->decode(ids.data(), 1, 1, ws).message().find("position in [0, 0]") !=
          std::string::npos);
  }
}

TEST_CASE("decoding refuses models and calls it cannot serve, saying why", "[plugins][nn]") {
  const std::unique_ptr<Model> model = gpt();
  const std::vector<int32_t> ids = random_ids(kBlock + 1, 4);
  Workspace ws;
  REQUIRE(model->decode(ids.data(), 4, 0, ws).ok());
  CHECK(model->decode(ids.data(), 1, 5, ws).message() ==
        "decode: expected a position in [0, 4] (the positions of sequence 0 decoded so far), "
        "found 5");
  CHECK(model->decode(ids.data(), 1, DecodeRows{{1, 1}, {0, 0}}, ws).message() ==
        "decode: expected distinct sequence numbers >= 0, found 1 in row 0");
  CHECK(model->decode(ids.data(), 7, 4, ws).message() ==
        "decode: expected at most 10 positions (the model's block size), found 4 decoded and 7 "
        "new");
  CHECK(model->decode(ids.data(), 0, 4, ws).message() ==
        "decode: expected at least one new id, found 0");
  const std::vector<int32_t> bad{2, 99};
  CHECK(model->decode(bad.data(), 2, 4, ws).message().find("found 99") != std::string::npos);

  Expected<std::unique_ptr<Model>> pooled =
      Model::build({{"embedding", {{"num_embeddings", 5}, {"dim", 4}}},
                    {"masked_mean", {}},
                    {"linear", {{"in", 4}, {"out", 2}}}},
                   {1}, 0);
  REQUIRE(pooled.ok());
  CHECK(!(*pooled)->decodes());
  CHECK((*pooled)->decode(ids.data(), 1, 0, ws).message().find("found layer 1 (masked_mean)") !=
        std::string::npos);
  Expected<std::unique_ptr<Model>> features =
      Model::build({{"linear", {{"in", 4}, {"out", 2}}}}, {1}, 0);
  REQUIRE(features.ok());
  CHECK((*features)->decode(ids.data(), 1, 0, ws).message().find("found a model of features") !=
        std::string::npos);
}

TEST_CASE("next-token logits follow the forward pass over each context, batched or not",
          "[plugins][nn]") {
  const std::unique_ptr<Model> model = gpt();
  Expected<NextTokenLogits> next = NextTokenLogits::open(*model);
  REQUIRE(next.ok());
  // Three sequences of other lengths, grown one id a time past the block; the second stops
  // growing for a while (left out of `which`), then goes on.
  const std::vector<std::vector<int32_t>> all{random_ids(kBlock + 5, 9), random_ids(kBlock + 5, 10),
                                              random_ids(kBlock + 5, 11)};
  std::vector<std::vector<int32_t>> sequences(3);
  const std::vector<size_t> lengths{3, 1, 6};
  for (size_t step = 0; step < kBlock; ++step) {
    std::vector<size_t> which;
    for (size_t i = 0; i < 3; ++i) {
      if (i == 1 && step >= 3 && step < 6) continue;
      const size_t length = std::min(lengths[i] + step, all[i].size());
      sequences[i].assign(all[i].begin(), all[i].begin() + static_cast<int64_t>(length));
      which.push_back(i);
    }
    REQUIRE(next->after(sequences, which).ok());
    for (size_t i : which) {
      INFO("step " << step << ", sequence " << i);
      const auto length = static_cast<int64_t>(sequences[i].size());
      const int64_t window = std::min(length, kBlock);
      Workspace whole;
      REQUIRE(model
                  ->forward({{1, window}, sequences[i].data() + (length - window), nullptr}, false,
                            0, whole)
                  .ok());
      const Logits logits = next->logits(i);
      REQUIRE(logits.size == kVocabulary);
      check_close({logits.values, logits.values + kVocabulary}, row_of(whole.output(), window - 1));
    }
  }
  Expected<std::unique_ptr<Model>> features =
      Model::build({{"linear", {{"in", 4}, {"out", 2}}}}, {1}, 0);
  REQUIRE(features.ok());
  CHECK(NextTokenLogits::open(**features).status().message() ==
        "model: expected a language model reading ids, found one reading features");
}

TEST_CASE("sequences decoded in one pass get the outputs they get decoded alone", "[plugins][nn]") {
  const std::unique_ptr<Model> model = gpt();
  const std::vector<int32_t> a = random_ids(6, 12), b = random_ids(4, 13);
  Workspace together, alone_a, alone_b;
  REQUIRE(model->decode(a.data(), 5, DecodeRows{{0}, {0}}, together).ok());
  REQUIRE(model->decode(b.data(), 3, DecodeRows{{4}, {0}}, together).ok());
  const std::vector<int32_t> last{a[5], b[3]};
  REQUIRE(model->decode(last.data(), 1, DecodeRows{{0, 4}, {5, 3}}, together).ok());
  CHECK(together.decoded == std::vector<int64_t>{6, 0, 0, 0, 4});
  REQUIRE(model->decode(a.data(), 6, 0, alone_a).ok());
  REQUIRE(model->decode(b.data(), 4, 0, alone_b).ok());
  check_close(row_of(together.output(), 0), row_of(alone_a.output(), 5));
  check_close(row_of(together.output(), 1), row_of(alone_b.output(), 3));
}

TEST_CASE("an embedding language model decodes position by position", "[plugins][nn]") {
  Expected<std::unique_ptr<Model>> m =
      Model::build({{"embedding", {{"num_embeddings", kVocabulary}, {"dim", 4}}},
                    {"tanh", {}},
                    {"linear", {{"in", 4}, {"out", kVocabulary}}}},
                   {2}, 0);
  REQUIRE(m.ok());
  const std::vector<int32_t> ids = random_ids(6, 8);
  Workspace whole, ws;
  REQUIRE((*m)->forward({{1, 6}, ids.data(), nullptr}, false, 0, whole).ok());
  REQUIRE((*m)->decode(ids.data(), 5, 0, ws).ok());
  REQUIRE((*m)->decode(ids.data() + 5, 1, 5, ws).ok());
  check_close(row_of(ws.output(), 0), row_of(whole.output(), 5));
}

}  // namespace
}  // namespace sluice::nn
