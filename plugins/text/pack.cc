// text.pack: the token ids of consecutive records as one stream, cut into fixed blocks of inputs
// and next-token targets for language-model training.
#include "text/ops.h"

#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace sluice::text {
namespace {

constexpr double kInt32Min = std::numeric_limits<int32_t>::min();
constexpr double kInt32Max = std::numeric_limits<int32_t>::max();

class Pack : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("text.pack")
        .doc(
            "Packs the token ids of consecutive records into fixed blocks for language-model "
            "training. The ids of each record (`ids`, a 1-D int32 tensor as text.tokenize "
            "writes it; with `use_length` only its first `length` ids, leaving padding out) are "
            "appended to one stream, each document followed by `separator` when it is set (after "
            "every document, the last one too, as nanoGPT's data preparation appends "
            "<|endoftext|> = 50256 to each gpt2 document; Hugging Face run_clm's group_texts "
            "adds none of its own). Block k holds the stream's tokens [k*block_size, "
            "k*block_size + block_size + 1): `input_ids` are its first block_size tokens and "
            "`target_ids` its last block_size, the inputs shifted by one. Consecutive blocks "
            "share one token (the last target of a block is the first input of the next, the "
            "stride of llm.c's data loader), so every token but the stream's first is a target "
            "exactly once; run_clm's group_texts instead cuts disjoint blocks, whose first "
            "tokens are never targets. Blocks span documents. The tail too short for a block is "
            "left out with `remainder: drop`; with `remainder: pad` it makes a last block "
            "padded with `pad_id`, and every block has `mask`, true where input_ids and "
            "target_ids are real tokens, for the loss to leave the padding out. Blocks are new "
            "records holding only these fields, at the position of the record their first token "
            "came from. A record is rejected, the stream going on without it, when `ids` is "
            "missing or not a 1-D int32 CPU tensor, an id is negative, or (with use_length) "
            "`length` is missing or not between 0 and the number of ids. Metrics: `documents` "
            "(records packed), `tokens` (in the stream, separators included), `blocks` (records "
            "emitted), `dropped_tokens` (stream tokens in no block). Example: printf "
            "'{\"text\":\"hello world\"}\\n' | sluice apply text.tokenize tokenizer=gpt2 ! "
            "text.pack block_size=2 separator=50256")
        .stateful()
        .regroup()
        .input("ids", SLUICE_KIND_TENSOR, "Token ids of one document, 1-D int32",
               SLUICE_DTYPE_INT32)
        .optional_input("length", SLUICE_KIND_INT, "Real ids in `ids` (with use_length)")
        .output("input_ids", SLUICE_KIND_TENSOR, "Tokens [k*block_size, (k+1)*block_size)",
                SLUICE_DTYPE_INT32)
        .output("target_ids", SLUICE_KIND_TENSOR, "Tokens [k*block_size + 1, (k+1)*block_size + 1)",
                SLUICE_DTYPE_INT32)
        .output("block", SLUICE_KIND_INT, "The block's index k, from 0")
        .output("mask", SLUICE_KIND_TENSOR,
                "With remainder: pad, true at the real (not padding) positions, (block_size,)",
                SLUICE_DTYPE_BOOL)
        .param(ParamSpec::Int("block_size", "Input (and target) tokens per block, up to 2^24")
                   .range(1, 1 << 24))
        .param(ParamSpec::Int("separator",
                              "Token id appended after each document (50256, <|endoftext|>, "
                              "for gpt2); default: none")
                   .range(0, kInt32Max)
                   .optional())
        .param(ParamSpec::String("remainder",
                                 "The tail too short for a block: drop it, or pad it to a block")
                   .choices({"drop", "pad"})
                   .default_value("drop"))
        .param(ParamSpec::Int("pad_id", "Id padding the last block (with remainder: pad)")
                   .range(kInt32Min, kInt32Max)
                   .optional())
        .param(ParamSpec::Bool("use_length", "Pack only the first `length` ids of each record")
                   .default_value(false));
  }

  static Status check(const Params& params) {
    const bool pad = params.get<std::string>("remainder") == "pad";
    if (pad && !params.has("pad_id")) {
      return Status::Invalid("param 'pad_id': expected it with remainder: pad, found none");
    }
    if (!pad && params.has("pad_id")) {
      return Status::Invalid(
          "param 'pad_id': expected it only with remainder: pad, found remainder: drop");
    }
    return {};
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    const Field length = ctx.port("length");
    if (params.get<bool>("use_length") && !fields.is_open() && !fields.has(length)) {
      return Status::Invalid(std::string("param 'use_length': expected an upstream field '") +
                             length.name() + "' holding the number of ids, found none");
    }
    fields.clear();
    fields.put(ctx.port("input_ids"), SLUICE_KIND_TENSOR);
    fields.put(ctx.port("target_ids"), SLUICE_KIND_TENSOR);
    fields.put(ctx.port("block"), SLUICE_KIND_INT);
    if (params.get<std::string>("remainder") == "pad") {
      fields.put(ctx.port("mask"), SLUICE_KIND_TENSOR);
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    ctx_ = &ctx;
    ids_ = ctx.port("ids");
    length_ = ctx.port("length");
    input_ids_ = ctx.port("input_ids");
    target_ids_ = ctx.port("target_ids");
    block_ = ctx.port("block");
    mask_ = ctx.port("mask");
    block_size_ = static_cast<size_t>(params.get<int64_t>("block_size"));
    if (auto separator = params.get_optional<int64_t>("separator")) {
      separator_ = static_cast<int32_t>(*separator);
    }
    pad_ = params.get<std::string>("remainder") == "pad";
    if (pad_) pad_id_ = static_cast<int32_t>(params.get<int64_t>("pad_id"));
    use_length_ = params.get<bool>("use_length");
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    Expected<std::pair<const int32_t*, size_t>> ids = document_ids(record);
    if (!ids.ok()) return ids.status();
    const auto [data, count] = *ids;
    starts_.push_back({total_tokens(), record.position()});
    tokens_.insert(tokens_.end(), data, data + count);
    if (separator_ >= 0) tokens_.push_back(separator_);
    ++documents_;
    while (tokens_.size() - first_ >= block_size_ + 1) {
      SLUICE_RETURN_IF_ERROR(emit_block(block_size_, out));
    }
    tokens_.erase(tokens_.begin(), tokens_.begin() + static_cast<std::ptrdiff_t>(first_));
    consumed_ += first_;
    first_ = 0;
    return {};
  }

  Status close(Emitter& out) override {
    if (pad_ && tokens_.size() >= 2) SLUICE_RETURN_IF_ERROR(emit_block(tokens_.size() - 1, out));
    ctx_->metric("documents", static_cast<double>(documents_));
    ctx_->metric("tokens", static_cast<double>(total_tokens()));
    ctx_->metric("blocks", static_cast<double>(blocks_));
    ctx_->metric("dropped_tokens", static_cast<double>(total_tokens() - tokens_in_blocks_));
    return {};
  }

 private:
  struct DocumentStart {
    size_t token;  // index in the whole stream of the document's first token
    int64_t position;
  };

  size_t total_tokens() const { return consumed_ + tokens_.size(); }

  // The ids `record` adds to the stream (its data and their count), checked.
  Expected<std::pair<const int32_t*, size_t>> document_ids(const Record& record) const {
    const std::string field = std::string("field '") + ids_.name() + "': expected ";
    sluice_value_view v = record.view(ids_);
    if (v.kind != SLUICE_KIND_TENSOR) {
      return Status::BadRecord(field + "a 1-D int32 tensor of token ids, found " +
                               (v.kind == SLUICE_KIND_ANY ? std::string("no such field")
                                                          : std::string(kind_name(v.kind))));
    }
    const Tensor t = Tensor::borrow(v.tensor);
    if (t.ndim() != 1 || t.dtype() != SLUICE_DTYPE_INT32 || !t.on_cpu()) {
      return Status::BadRecord(field + "a 1-D int32 CPU tensor of token ids, found " +
                               (t.on_cpu() ? "" : "a device tensor, ") + std::to_string(t.ndim()) +
                               "-D " + dtype_name(t.dtype()));
    }
    size_t count = static_cast<size_t>(t.dim(0));
    if (use_length_) {
      Expected<int64_t> length = record.get_int(length_);
      if (!length.ok()) return length.status();
      if (*length < 0 || *length > t.dim(0)) {
        return Status::BadRecord(std::string("field '") + length_.name() + "': expected 0 to " +
                                 std::to_string(t.dim(0)) + " (the ids in '" + ids_.name() +
                                 "'), found " + std::to_string(*length));
      }
      count = static_cast<size_t>(*length);
    }
    // The record holds the tensor, so its data outlives `t`.
    const auto* data = static_cast<const int32_t*>(t.data());
    for (size_t i = 0; i < count; ++i) {
      if (data[i] < 0) {
        return Status::BadRecord(field + "token ids >= 0, found " + std::to_string(data[i]) +
                                 " at index " + std::to_string(i));
      }
    }
    return std::make_pair(data, count);
  }

  // Emits the block of the `real` + 1 tokens from first_ (padded to block_size_) and moves first_
  // on by `real`.
  Status emit_block(size_t real, Emitter& out) {
    const int32_t* start = tokens_.data() + first_;
    std::vector<int32_t> inputs(start, start + real);
    std::vector<int32_t> targets(start + 1, start + real + 1);
    inputs.resize(block_size_, pad_id_);
    targets.resize(block_size_, pad_id_);
    const std::vector<int64_t> shape{static_cast<int64_t>(block_size_)};
    Expected<Tensor> input_ids = Tensor::from_values(shape, inputs.data(), inputs.size());
    if (!input_ids.ok()) return input_ids.status();
    Expected<Tensor> target_ids = Tensor::from_values(shape, targets.data(), targets.size());
    if (!target_ids.ok()) return target_ids.status();
    OwnedRecord block;
    block.set_tensor(input_ids_, *input_ids);
    block.set_tensor(target_ids_, *target_ids);
    block.set_int(block_, static_cast<int64_t>(blocks_));
    if (pad_) {
      Expected<Tensor> mask = Tensor::zeros(SLUICE_DTYPE_BOOL, shape);
      if (!mask.ok()) return mask.status();
      std::memset(mask->data(), 1, real);
      block.set_tensor(mask_, *mask);
    }
    block.set_position(position_of(consumed_ + first_));
    // A block after the first shares its first token with the block before.
    tokens_in_blocks_ += blocks_ == 0 ? real + 1 : real;
    first_ += real;
    ++blocks_;
    return out.emit(std::move(block));
  }

  // The position of the record that stream token `token` came from; forgets earlier records.
  int64_t position_of(size_t token) {
    while (starts_.size() > 1 && starts_[1].token <= token) starts_.pop_front();
    return starts_.front().position;
  }

  const Context* ctx_ = nullptr;
  Field ids_, length_, input_ids_, target_ids_, block_, mask_;
  size_t block_size_ = 1;
  int32_t separator_ = -1;  // none
  bool pad_ = false;
  int32_t pad_id_ = 0;
  bool use_length_ = false;

  std::vector<int32_t> tokens_;  // the stream not yet in a block, from stream token consumed_
  size_t first_ = 0;             // in tokens_: the first token of the next block
  size_t consumed_ = 0;
  std::deque<DocumentStart> starts_;
  int64_t documents_ = 0;
  size_t blocks_ = 0;
  size_t tokens_in_blocks_ = 0;
};

}  // namespace

void add_pack(PluginBuilder& plugin) { plugin.op<Pack>(); }

}  // namespace sluice::text
