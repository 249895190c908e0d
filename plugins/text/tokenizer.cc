#include "text/tokenizer.h"

#include "text/byte_level_bpe.h"
#include "text/share_dir.h"
#include "text/wordpiece.h"

#include <filesystem>
#include <map>
#include <mutex>

namespace sluice::text {
namespace {

class BertTokenizer : public Tokenizer {
 public:
  explicit BertTokenizer(WordPiece wp) : wp_(std::move(wp)) {
    prefix_ = {wp_.cls_id()};
    suffix_ = {wp_.sep_id()};
    adds_special_tokens_ = true;
    pad_id_ = wp_.pad_id();
  }
  void encode(std::string_view text, std::vector<int32_t>& ids) const override {
    wp_.encode(text, false, ids);
  }
  Status decode(const std::vector<int32_t>&, std::string&) const override {
    return Status::Unsupported(
        "expected a byte-level BPE tokenizer (gpt2, cl100k_base) to decode exactly, found "
        "WordPiece, which loses case, accents and spacing");
  }

 private:
  WordPiece wp_;
};

// Byte-level BPE with its special tokens, which decode to their text. The first special token
// (<|endoftext|>) is the pad id.
class BpeTokenizer : public Tokenizer {
 public:
  BpeTokenizer(ByteLevelBpe bpe, std::vector<std::pair<std::string, int32_t>> specials)
      : bpe_(std::move(bpe)), specials_(std::move(specials)) {
    pad_id_ = specials_.front().second;
  }
  void encode(std::string_view text, std::vector<int32_t>& ids) const override {
    bpe_.encode(text, ids);
  }
  Status decode(const std::vector<int32_t>& ids, std::string& text) const override {
    std::vector<int32_t> run;
    for (int32_t id : ids) {
      const std::string* special = special_text(id);
      if (special == nullptr) {
        run.push_back(id);
        continue;
      }
      SLUICE_RETURN_IF_ERROR(bpe_.decode(run, text));
      run.clear();
      text += *special;
    }
    return bpe_.decode(run, text);
  }

 private:
  const std::string* special_text(int32_t id) const {
    for (const auto& [token, special_id] : specials_) {
      if (special_id == id) return &token;
    }
    return nullptr;
  }

  ByteLevelBpe bpe_;
  std::vector<std::pair<std::string, int32_t>> specials_;
};

Expected<std::shared_ptr<const Tokenizer>> load_bpe(const std::string& path, BpePattern pattern) {
  Expected<BpeRanks> ranks = BpeRanks::load_tiktoken(path);
  if (!ranks.ok()) return ranks.status();
  std::vector<std::pair<std::string, int32_t>> specials;
  if (pattern == BpePattern::kGpt2) {
    specials = {{"<|endoftext|>", 50256}};
  } else {
    specials = {{"<|endoftext|>", 100257}, {"<|fim_prefix|>", 100258},
                {"<|fim_middle|>", 100259}, {"<|fim_suffix|>", 100260},
                {"<|endofprompt|>", 100276}};
  }
  return std::shared_ptr<const Tokenizer>(
      std::make_shared<BpeTokenizer>(ByteLevelBpe(std::move(*ranks), pattern), std::move(specials)));
}

Expected<std::shared_ptr<const Tokenizer>> load_wordpiece(const std::string& path) {
  Expected<WordPiece> wp = WordPiece::load_vocab_txt(path, {});
  if (!wp.ok()) return wp.status();
  return std::shared_ptr<const Tokenizer>(std::make_shared<BertTokenizer>(std::move(*wp)));
}

Expected<std::shared_ptr<const Tokenizer>> load_uncached(const std::string& spec) {
  const std::string vocab = share_dir() + "/vocab";
  if (spec == "gpt2" || spec == "r50k_base") {
    return load_bpe(vocab + "/tiktoken/r50k_base.tiktoken", BpePattern::kGpt2);
  }
  if (spec == "cl100k_base") {
    return load_bpe(vocab + "/tiktoken/cl100k_base.tiktoken", BpePattern::kCl100k);
  }
  if (spec == "bert-base-uncased") return load_wordpiece(vocab + "/bert-base-uncased/vocab.txt");
  const std::filesystem::path path(spec);
  if (path.extension() == ".tiktoken" && path.stem() == "r50k_base") {
    return load_bpe(spec, BpePattern::kGpt2);
  }
  if (path.extension() == ".tiktoken" && path.stem() == "cl100k_base") {
    return load_bpe(spec, BpePattern::kCl100k);
  }
  if (path.extension() == ".txt") return load_wordpiece(spec);
  return Status::Invalid(
      "expected a built-in name (gpt2, cl100k_base, bert-base-uncased), the path of a tiktoken "
      "rank file named r50k_base.tiktoken or cl100k_base.tiktoken, or the path of a WordPiece "
      "vocab.txt, found '" + spec + "'");
}

}  // namespace

Expected<std::shared_ptr<const Tokenizer>> load_tokenizer(const std::string& spec) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Tokenizer>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(spec); it != loaded.end()) return it->second;
  Expected<std::shared_ptr<const Tokenizer>> t = load_uncached(spec);
  if (t.ok()) loaded.emplace(spec, *t);
  return t;
}

Expected<std::shared_ptr<const Tokenizer>> tokenizer_param(const Params& params) {
  Expected<std::shared_ptr<const Tokenizer>> t =
      load_tokenizer(params.get<std::string>("tokenizer"));
  if (!t.ok()) return Status::Invalid("param 'tokenizer': " + t.status().message());
  return t;
}

}  // namespace sluice::text
