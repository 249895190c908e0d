// train.generate: sampling a language model's continuation of a prompt, token by token.
#include "nn/model_resource.h"
#include "train/batch_input.h"
#include "train/ops.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>

namespace sluice::train {
namespace {

// The prompt's ids: a 1-D int32 or int64 CPU tensor of at least one id.
Expected<std::vector<int32_t>> prompt_ids(const Tensor& t) {
  if (!t.on_cpu() || t.ndim() != 1 || t.dim(0) < 1 ||
      (t.dtype() != SLUICE_DTYPE_INT32 && t.dtype() != SLUICE_DTYPE_INT64)) {
    return Status::BadRecord("prompt: expected a 1-D int32 or int64 CPU tensor of ids, found " +
                             std::string(dtype_name(t.dtype())) + " " + nn::shape_text(t.shape()));
  }
  std::vector<int32_t> ids(static_cast<size_t>(t.dim(0)));
  for (size_t i = 0; i < ids.size(); ++i) {
    const int64_t id =
        t.dtype() == SLUICE_DTYPE_INT32 ? t.data_as<int32_t>()[i] : t.data_as<int64_t>()[i];
    if (id < 0 || id > std::numeric_limits<int32_t>::max()) {
      return Status::BadRecord("prompt: expected ids in int32 range, found " + std::to_string(id));
    }
    ids[i] = static_cast<int32_t>(id);
  }
  return ids;
}

class Generate : public MapOp {
 public:
  static OpSchema schema() {
    return OpSchema("train.generate")
        .doc(
            "Continues each record's `prompt` (1-D int32 or int64 token ids, as text.tokenize "
            "writes them) with `max_new_tokens` tokens sampled from `model`, a language model "
            "whose output for ids (1, T) is next-token logits (1, T, V) (e.g. "
            "token_position_embedding, transformer_blocks, layer_norm, linear). Each step runs "
            "the model in inference mode on the last block_size ids (the context is cropped to "
            "what the first layer accepts), divides the last position's logits by "
            "`temperature`, keeps the `top_k` largest (0: all) and draws the next token from "
            "their softmax; temperature 0 takes the most likely token instead. Draws come from "
            "the record's seed, so a run's samples are the same for any thread count. Writes "
            "`ids`, int32: the prompt followed by the new tokens (text.detokenize turns them "
            "into text). The op lives in the train plugin, beside the model code it runs, "
            "hence train.generate rather than text.generate. Records are processed in parallel.")
        .input("prompt", SLUICE_KIND_TENSOR, "Token ids to continue, 1-D")
        .output("ids", SLUICE_KIND_TENSOR, "The prompt and the sampled tokens, 1-D",
                SLUICE_DTYPE_INT32)
        .param(ParamSpec::Resource("model", nn::ModelResource::kType, "The language model"))
        .param(ParamSpec::Int("max_new_tokens", "Tokens to sample").default_value(100).min(0))
        .param(ParamSpec::Float("temperature", "Divides the logits; 0: greedy")
                   .default_value(1.0)
                   .min(0))
        .param(ParamSpec::Int("top_k", "Sample among the k most likely tokens; 0: all")
                   .default_value(0)
                   .min(0));
  }

  Status open(Context& ctx, const Params& params) override {
    prompt_ = ctx.port("prompt");
    ids_ = ctx.port("ids");
    Expected<nn::ModelResource*> model =
        ctx.resource<nn::ModelResource>(params.get<std::string>("model"));
    if (!model.ok()) return model.status();
    resource_ = *model;
    max_new_ = params.get<int64_t>("max_new_tokens");
    temperature_ = params.get<double>("temperature");
    top_k_ = params.get<int64_t>("top_k");
    return {};
  }

  Status map(Record& record) override {
    auto prompt = record.get_tensor(prompt_);
    if (!prompt.ok()) return Status::BadRecord(prompt.status().message());
    Expected<std::vector<int32_t>> ids = prompt_ids(*prompt);
    if (!ids.ok()) return ids.status();
    std::mt19937_64 rng(record.seed());
    nn::Workspace ws;
    std::vector<double> probs;
    for (int64_t n = 0; n < max_new_; ++n) {
      std::shared_lock<std::shared_mutex> lock(resource_->mutex());
      const nn::Model& model = resource_->model();
      if (!model.takes_ids()) {
        return Status::BadRecord(
            "model: expected a language model reading ids, found one "
            "reading features");
      }
      const auto length = static_cast<int64_t>(ids->size());
      const int64_t window = model.max_length() > 0 ? std::min(length, model.max_length()) : length;
      nn::ModelInput in{{1, window}, ids->data() + (length - window), nullptr};
      if (Status s = model.forward(in, false, record.seed(), ws); !s.ok()) {
        return Status::BadRecord(s.message());
      }
      const nn::Buffer& out = ws.output();
      if (out.shape.size() != 3 || out.shape[1] != window) {
        return Status::BadRecord("model: expected logits (1, " + std::to_string(window) +
                                 ", vocabulary), found " + nn::shape_text(out.shape));
      }
      const int64_t V = out.shape[2];
      ids->push_back(next_token(out.values.data() + (window - 1) * V, V, rng, probs));
    }
    Expected<Tensor> t = Tensor::zeros(SLUICE_DTYPE_INT32, {static_cast<int64_t>(ids->size())});
    if (!t.ok()) return t.status();
    std::copy(ids->begin(), ids->end(), t->data_as<int32_t>());
    record.set_tensor(ids_, *t);
    return {};
  }

 private:
  // The token drawn from logits (V) with the op's temperature and top_k.
  int32_t next_token(const float* logits, int64_t V, std::mt19937_64& rng,
                     std::vector<double>& probs) const {
    if (temperature_ == 0.0)
      return static_cast<int32_t>(std::max_element(logits, logits + V) - logits);
    probs.assign(logits, logits + V);
    if (top_k_ > 0 && top_k_ < V) {
      std::vector<double> sorted = probs;
      std::nth_element(sorted.begin(), sorted.begin() + (top_k_ - 1), sorted.end(),
                       std::greater<>());
      const double kth = sorted[top_k_ - 1];
      for (double& p : probs) {
        if (p < kth) p = -std::numeric_limits<double>::infinity();
      }
    }
    const double top = *std::max_element(probs.begin(), probs.end());
    double sum = 0;
    for (double& p : probs) {
      p = std::exp((p - top) / temperature_);
      sum += p;
    }
    // a uniform draw in [0, sum) from 53 random bits, the same on every platform
    double u = static_cast<double>(rng() >> 11) * 0x1.0p-53 * sum;
    for (int64_t v = 0; v < V; ++v) {
      u -= probs[v];
      if (u < 0) return static_cast<int32_t>(v);
    }
    return static_cast<int32_t>(std::max_element(probs.begin(), probs.end()) - probs.begin());
  }

  Field prompt_, ids_;
  nn::ModelResource* resource_ = nullptr;
  int64_t max_new_ = 0, top_k_ = 0;
  double temperature_ = 1.0;
};

}  // namespace

void add_generate(PluginBuilder& plugin) { plugin.op<Generate>(); }

}  // namespace sluice::train
