// text.generate: a language model's continuation of a prompt, sampled token by token.
#include "nn/model_resource.h"
#include "nn/next_token.h"
#include "text/ops.h"
#include "text/sampling.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <random>
#include <set>

namespace sluice::text {
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
    return OpSchema("text.generate")
        .doc(
            "Continues each record's `prompt` (1-D int32 or int64 token ids, as text.tokenize "
            "writes them) with up to `max_new_tokens` tokens sampled from `model`, a language "
            "model whose output for ids (1, T) is next-token logits (1, T, V) (e.g. "
            "token_position_embedding, transformer_blocks, layer_norm, linear), run in inference "
            "mode on the CPU. The model reads the last block_size ids (the context is cropped to "
            "what its first layer accepts). A model whose layers all decode (the embeddings, "
            "transformer_block, causal_self_attention, layer_norm, linear, the activations, "
            "dropout, residual of these) keeps a key/value cache, so each new token costs one "
            "position's work until the sequence outgrows the block; others run the whole "
            "context for every token. Sampling is Hugging Face's: the logits are divided by "
            "`temperature`, cut to the `top_k` largest (0: all), then to the most likely tokens "
            "holding `top_p` of the probability (1: all), and the token is drawn from their "
            "softmax; temperature 0 takes the most likely token instead. A token in `stop_ids` "
            "ends the sample (it is kept). Draws come from the record's seed, so a run's samples "
            "are the same for any thread count. Writes `ids`, int32: the prompt followed by the "
            "new tokens (text.detokenize turns them into text). Records are processed in "
            "parallel; a model being trained waits for the record being sampled.")
        .input("prompt", SLUICE_KIND_TENSOR, "Token ids to continue, 1-D")
        .output("ids", SLUICE_KIND_TENSOR, "The prompt and the sampled tokens, 1-D",
                SLUICE_DTYPE_INT32)
        .param(ParamSpec::Resource("model", nn::ModelResource::kType, "The language model"))
        .param(ParamSpec::Int("max_new_tokens", "Most tokens to sample").default_value(100).min(0))
        .param(ParamSpec::Float("temperature", "Divides the logits; 0: greedy")
                   .default_value(1.0)
                   .min(0))
        .param(ParamSpec::Int("top_k", "Sample among the k most likely tokens; 0: all")
                   .default_value(0)
                   .min(0))
        .param(ParamSpec::Float("top_p",
                                "Sample among the most likely tokens holding this probability; "
                                "1: all")
                   .default_value(1.0)
                   .min(0)
                   .max(1))
        .param(ParamSpec::List("stop_ids", SLUICE_PTYPE_INT, "Tokens that end a sample (kept)")
                   .default_yaml("[]"));
  }

  Status open(Context& ctx, const Params& params) override {
    prompt_ = ctx.port("prompt");
    ids_ = ctx.port("ids");
    Expected<nn::ModelResource*> model =
        ctx.resource<nn::ModelResource>(params.get<std::string>("model"));
    if (!model.ok()) return model.status();
    resource_ = *model;
    max_new_ = params.get<int64_t>("max_new_tokens");
    sampling_.temperature = params.get<double>("temperature");
    sampling_.top_k = params.get<int64_t>("top_k");
    sampling_.top_p = params.get<double>("top_p");
    for (int64_t id : params.get<std::vector<int64_t>>("stop_ids")) stop_.insert(id);
    return {};
  }

  Status map(Record& record) override {
    auto prompt = record.get_tensor(prompt_);
    if (!prompt.ok()) return Status::BadRecord(prompt.status().message());
    Expected<std::vector<int32_t>> ids = prompt_ids(*prompt);
    if (!ids.ok()) return ids.status();
    SLUICE_RETURN_IF_ERROR(continue_ids(*ids, record.seed()));
    Expected<Tensor> t = Tensor::zeros(SLUICE_DTYPE_INT32, {static_cast<int64_t>(ids->size())});
    if (!t.ok()) return t.status();
    std::copy(ids->begin(), ids->end(), t->data_as<int32_t>());
    record.set_tensor(ids_, *t);
    return {};
  }

 private:
  // Appends the sampled tokens to `ids`, drawing from `seed`. The model stays the same
  // throughout, which its cache needs.
  Status continue_ids(std::vector<int32_t>& ids, uint64_t seed) const {
    std::shared_lock<std::shared_mutex> lock(resource_->mutex());
    Expected<nn::NextTokenLogits> next = nn::NextTokenLogits::open(resource_->model());
    if (!next.ok()) return Status::BadRecord(next.status().message());
    std::mt19937_64 rng(seed);
    std::vector<double> scratch;
    for (int64_t n = 0; n < max_new_; ++n) {
      Expected<nn::Logits> logits = next->after(ids);
      if (!logits.ok()) return Status::BadRecord(logits.status().message());
      const int32_t token = sample_token(logits->values, logits->size, sampling_, rng, scratch);
      ids.push_back(token);
      if (stop_.count(token) != 0) break;
    }
    return {};
  }

  Field prompt_, ids_;
  nn::ModelResource* resource_ = nullptr;
  int64_t max_new_ = 0;
  SamplingParams sampling_;
  std::set<int64_t> stop_;
};

}  // namespace

void add_generate(PluginBuilder& plugin) { plugin.op<Generate>(); }

}  // namespace sluice::text
