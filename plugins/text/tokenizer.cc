#include "text/tokenizer.h"

#include "text/hf_tokenizer.h"
#include "text/share_dir.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

namespace sluice::text {
namespace {

class WordPieceTokenizer : public Tokenizer {
 public:
  WordPieceTokenizer(WordPiece wp, SpecialTokenRules rules)
      : Tokenizer(std::move(rules)), wp_(std::move(wp)) {}
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

class BpeTokenizer : public Tokenizer {
 public:
  BpeTokenizer(ByteBpe bpe, SpecialTokenRules rules)
      : Tokenizer(std::move(rules)), bpe_(std::move(bpe)) {}
  void encode(std::string_view text, std::vector<int32_t>& ids) const override {
    bpe_.encode(text, ids);
  }
  Status decode(const std::vector<int32_t>& ids, std::string& text) const override {
    Expected<std::string> bytes = bpe_.decode(ids);
    if (!bytes.ok()) return bytes.status();
    text += *bytes;
    return {};
  }

 private:
  ByteBpe bpe_;
};

// tiktoken's rules: special-token text is ordinary text unless allowed; the first special token
// (<|endoftext|>) is the pad id.
Expected<std::shared_ptr<const Tokenizer>> tiktoken_bpe(Expected<ByteBpe> bpe) {
  if (!bpe.ok()) return bpe.status();
  SpecialTokenRules rules;
  rules.specials = bpe->specials();
  rules.pad_id = rules.specials.front().id;
  return make_bpe_tokenizer(std::move(*bpe), std::move(rules));
}

Expected<std::shared_ptr<const Tokenizer>> bpe_tokenizer(Expected<RankTable> ranks,
                                                         PretokenPattern pattern) {
  if (!ranks.ok()) return ranks.status();
  return tiktoken_bpe(pattern == PretokenPattern::kGpt2 ? ByteBpe::gpt2(std::move(*ranks))
                                                        : ByteBpe::cl100k_base(std::move(*ranks)));
}

Expected<std::shared_ptr<const Tokenizer>> load_wordpiece(const std::string& path) {
  Expected<WordPiece> wp = WordPiece::load_vocab_txt(path, {});
  if (!wp.ok()) return wp.status();
  // BERT's special tokens are matched in text by default, as Hugging Face matches them.
  SpecialTokenRules rules;
  for (const char* text : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
    if (const int32_t id = wp->id(text); id >= 0) rules.specials.push_back({text, id});
  }
  rules.matched_by_default = true;
  rules.prefix = {wp->cls_id()};
  rules.suffix = {wp->sep_id()};
  rules.added_by_default = true;
  rules.pad_id = wp->pad_id();
  return make_wordpiece_tokenizer(std::move(*wp), std::move(rules));
}

Expected<std::shared_ptr<const Tokenizer>> load_hf_tokenizer(const std::string& path) {
  Expected<HfTokenizerFile> file = read_hf_tokenizer(path);
  if (!file.ok()) return file.status();
  if (file->bpe) return make_bpe_tokenizer(std::move(*file->bpe), std::move(file->rules));
  return make_wordpiece_tokenizer(std::move(*file->wordpiece), std::move(file->rules));
}

Expected<std::shared_ptr<const Tokenizer>> load_uncached(const std::string& spec) {
  const std::string vocab = share_dir() + "/vocab";
  if (spec == "gpt2" || spec == "r50k_base") {
    return bpe_tokenizer(load_tiktoken_ranks(vocab + "/tiktoken/r50k_base.tiktoken"),
                         PretokenPattern::kGpt2);
  }
  if (spec == "cl100k_base") {
    return bpe_tokenizer(load_tiktoken_ranks(vocab + "/tiktoken/cl100k_base.tiktoken"),
                         PretokenPattern::kCl100k);
  }
  if (spec == "bert-base-uncased") return load_wordpiece(vocab + "/bert-base-uncased/vocab.txt");
  const std::filesystem::path path(spec);
  if (path.extension() == ".tiktoken" && path.stem() == "r50k_base") {
    return bpe_tokenizer(load_tiktoken_ranks(spec), PretokenPattern::kGpt2);
  }
  if (path.extension() == ".tiktoken" && path.stem() == "cl100k_base") {
    return bpe_tokenizer(load_tiktoken_ranks(spec), PretokenPattern::kCl100k);
  }
  if (path.filename() == "encoder.json") {
    return bpe_tokenizer(load_gpt2_ranks(spec, (path.parent_path() / "vocab.bpe").string()),
                         PretokenPattern::kGpt2);
  }
  if (path.extension() == ".txt") return load_wordpiece(spec);
  if (path.extension() == ".json") return load_hf_tokenizer(spec);
  return Status::Invalid(
      "expected a built-in name (gpt2, cl100k_base, bert-base-uncased), the path of a tiktoken "
      "rank file named r50k_base.tiktoken or cl100k_base.tiktoken, of GPT-2's encoder.json (with "
      "vocab.bpe beside it), of a WordPiece vocab.txt or of a Hugging Face tokenizer.json, "
      "found '" +
      spec + "'");
}

}  // namespace

std::shared_ptr<const Tokenizer> make_bpe_tokenizer(ByteBpe bpe, SpecialTokenRules rules) {
  return std::make_shared<BpeTokenizer>(std::move(bpe), std::move(rules));
}

std::shared_ptr<const Tokenizer> make_wordpiece_tokenizer(WordPiece wp, SpecialTokenRules rules) {
  return std::make_shared<WordPieceTokenizer>(std::move(wp), std::move(rules));
}

void Tokenizer::encode(std::string_view text, const std::vector<const SpecialToken*>& allowed,
                       std::vector<int32_t>& ids) const {
  if (allowed.empty()) return encode(text, ids);
  for (const TextSegment& segment : split_on_special(text, allowed)) {
    if (segment.special != nullptr) {
      ids.push_back(segment.special->id);
    } else {
      encode(segment.text, ids);
    }
  }
}

Expected<std::vector<const SpecialToken*>> Tokenizer::allowed_specials(
    const std::vector<std::string>& names) const {
  std::vector<const SpecialToken*> allowed;
  if (names.size() == 1 && names.front() == "all") {
    for (const SpecialToken& s : special_tokens()) allowed.push_back(&s);
    return allowed;
  }
  for (const std::string& name : names) {
    const std::vector<SpecialToken>& specials = special_tokens();
    auto it = std::find_if(specials.begin(), specials.end(),
                           [&](const SpecialToken& s) { return s.text == name; });
    if (it == specials.end()) {
      return Status::Invalid("expected 'all' or special tokens of the model (" +
                             quoted_texts(specials) + "), found \"" + name + "\"");
    }
    allowed.push_back(&*it);
  }
  return allowed;
}

Expected<std::shared_ptr<const Tokenizer>> load_tokenizer(const std::string& spec) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Tokenizer>> loaded;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(spec); it != loaded.end()) return it->second;
  Expected<std::shared_ptr<const Tokenizer>> t = load_uncached(spec);
  if (t.ok()) loaded.emplace(spec, *t);
  return t;
}

}  // namespace sluice::text
