// text.generate: a language model's continuation of prompts, sampled token by token, a batch of
// prompts at a time.
#include "nn/model_resource.h"
#include "nn/next_token.h"
#include "text/id_tensor.h"
#include "text/ops.h"
#include "text/sampling.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <random>
#include <set>

namespace sluice::text {
namespace {

// Checks a prompt's ids: at least one, each below `vocabulary`.
Status check_prompt(const std::vector<int32_t>& ids, int64_t vocabulary) {
  if (ids.empty()) return Status::BadRecord("field 'prompt': expected at least one id, found none");
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= vocabulary) {
      return Status::BadRecord("field 'prompt': expected ids in [0, " + std::to_string(vocabulary) +
                               ") (the model's vocabulary), found " + std::to_string(ids[i]) +
                               " at position " + std::to_string(i));
    }
  }
  return {};
}

class Generate : public Op {
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
            "dropout, residual of these) keeps a key/value cache per prompt, so each new token "
            "costs one position's work until the sequence outgrows the block, and the prompts "
            "of a batch of `batch_size` records step together, one row each of the model's "
            "products; other models run the whole context for every token. Sampling is Hugging "
            "Face's: the logits are divided by `temperature`, cut to the `top_k` largest (0: "
            "all), then to the most likely tokens holding `top_p` of the probability (1: all), "
            "and the token is drawn from their softmax; temperature 0 takes the most likely "
            "token instead. A token in `stop_ids` ends that record's sample (it is kept). Draws "
            "come from each record's seed and batches are formed in stream order, so a run's "
            "samples are the same for any thread count (batch_size changes the rounding of the "
            "products' sums, so a sample may differ where two tokens are nearly tied). Writes "
            "`ids`, int32: the prompt followed by the new tokens (text.detokenize turns them "
            "into text). A prompt that is not 1-D ids in the model's vocabulary is rejected; a "
            "model being trained waits for the batch being sampled.")
        .stateful()
        .regroup()
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
                   .default_yaml("[]"))
        .param(ParamSpec::Int("batch_size", "Records sampled together").default_value(8).min(1));
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
    batch_size_ = static_cast<size_t>(params.get<int64_t>("batch_size"));
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    auto prompt = record.get_tensor(prompt_);
    if (!prompt.ok()) return Status::BadRecord(prompt.status().message());
    int64_t vocabulary = 0;
    {
      std::shared_lock<std::shared_mutex> lock(resource_->mutex());
      if (!resource_->model().takes_ids()) {
        return Status::Invalid(
            "model: expected a language model reading ids, found one reading features");
      }
      vocabulary = resource_->model().vocabulary_size();
    }
    Expected<std::vector<int32_t>> ids = ids_of(*prompt, prompt_, -1);
    if (!ids.ok()) return ids.status();
    SLUICE_RETURN_IF_ERROR(check_prompt(*ids, vocabulary));
    records_.emplace_back(record);
    sequences_.push_back(std::move(*ids));
    if (records_.size() < batch_size_) return {};
    return flush(out);
  }

  Status close(Emitter& out) override { return flush(out); }

 private:
  // Samples the continuations of the batch's prompts and emits its records. The batch leaves
  // the op first, so an error (which fails the run: a model that is not a language model over
  // its embedding's ids, or one with logits that are not finite) drops it once.
  Status flush(Emitter& out) {
    std::vector<OwnedRecord> records = std::move(records_);
    std::vector<std::vector<int32_t>> sequences = std::move(sequences_);
    records_.clear();
    sequences_.clear();
    if (records.empty()) return {};
    if (Status s = sample(records, sequences); !s.ok()) {
      return Status::Invalid("sampling a batch of " + std::to_string(records.size()) +
                             " records: " + s.message());
    }
    for (size_t i = 0; i < records.size(); ++i) {
      const std::vector<int32_t>& ids = sequences[i];
      Expected<Tensor> t = Tensor::zeros(SLUICE_DTYPE_INT32, {static_cast<int64_t>(ids.size())});
      if (!t.ok()) return t.status();
      std::copy(ids.begin(), ids.end(), t->data_as<int32_t>());
      records[i].set_tensor(ids_, *t);
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(records[i])));
    }
    return {};
  }

  // Appends the sampled tokens to each of `sequences`, drawing from its record's seed. The
  // model stays the same throughout, which its cache needs.
  Status sample(const std::vector<OwnedRecord>& records,
                std::vector<std::vector<int32_t>>& sequences) const {
    std::shared_lock<std::shared_mutex> lock(resource_->mutex());
    const nn::Model& model = resource_->model();
    Expected<nn::NextTokenLogits> next = nn::NextTokenLogits::open(model);
    if (!next.ok()) return next.status();
    std::vector<std::mt19937_64> rngs;
    std::vector<size_t> active;
    for (size_t i = 0; i < records.size(); ++i) {
      rngs.emplace_back(records[i].seed());
      active.push_back(i);
    }
    std::vector<double> scratch;
    for (int64_t n = 0; n < max_new_ && !active.empty(); ++n) {
      SLUICE_RETURN_IF_ERROR(next->after(sequences, active));
      std::vector<size_t> going_on;
      for (size_t i : active) {
        const nn::Logits logits = next->logits(i);
        SLUICE_RETURN_IF_ERROR(check_logits(logits, model.vocabulary_size()));
        const int32_t token = sample_token(logits.values, logits.size, sampling_, rngs[i], scratch);
        sequences[i].push_back(token);
        if (stop_.count(token) == 0) going_on.push_back(i);
      }
      active = std::move(going_on);
    }
    return {};
  }

  // Logits over at most the model's vocabulary (its embedding's rows: a token beyond it could
  // not be read back), every one finite.
  static Status check_logits(const nn::Logits& logits, int64_t vocabulary) {
    if (logits.size > vocabulary) {
      return Status::Invalid("model: expected at most " + std::to_string(vocabulary) +
                             " logits (the rows of its embedding), found " +
                             std::to_string(logits.size));
    }
    for (int64_t v = 0; v < logits.size; ++v) {
      if (!std::isfinite(logits.values[v])) {
        return Status::Invalid("model: expected finite logits, found " +
                               std::to_string(logits.values[v]) + " for token " +
                               std::to_string(v));
      }
    }
    return {};
  }

  Field prompt_, ids_;
  nn::ModelResource* resource_ = nullptr;
  int64_t max_new_ = 0;
  SamplingParams sampling_;
  std::set<int64_t> stop_;
  size_t batch_size_ = 1;
  std::vector<OwnedRecord> records_;             // the batch being gathered
  std::vector<std::vector<int32_t>> sequences_;  // their prompts' ids
};

}  // namespace

void add_generate(PluginBuilder& plugin) { plugin.op<Generate>(); }

}  // namespace sluice::text
