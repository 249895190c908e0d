#include "text/tokenizer.h"

#include "text/byte_bpe.h"
#include "text/share_dir.h"
#include "text/wordpiece.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

namespace sluice::text {
namespace {

// BERT's special tokens are matched in text by default, as Hugging Face matches them.
class BertTokenizer : public Tokenizer {
 public:
  explicit BertTokenizer(WordPiece wp) : wp_(std::move(wp)) {
    for (const char* text : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
      if (const int32_t id = wp_.id(text); id >= 0) specials_.push_back({text, id});
    }
    matches_specials_ = true;
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

// Byte-level BPE; its special tokens decode to their text. The first special token
// (<|endoftext|>) is the pad id.
class BpeTokenizer : public Tokenizer {
 public:
  explicit BpeTokenizer(ByteBpe bpe) : bpe_(std::move(bpe)) {
    specials_ = bpe_.specials();
    pad_id_ = specials_.front().id;
  }
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

Expected<std::shared_ptr<const Tokenizer>> bpe_tokenizer(Expected<RankTable> ranks,
                                                         PretokenPattern pattern) {
  if (!ranks.ok()) return ranks.status();
  Expected<ByteBpe> bpe = pattern == PretokenPattern::kGpt2 ? ByteBpe::gpt2(std::move(*ranks))
                                                           : ByteBpe::cl100k_base(std::move(*ranks));
  if (!bpe.ok()) return bpe.status();
  return std::shared_ptr<const Tokenizer>(std::make_shared<BpeTokenizer>(std::move(*bpe)));
}

Expected<std::shared_ptr<const Tokenizer>> load_wordpiece(const std::string& path) {
  Expected<WordPiece> wp = WordPiece::load_vocab_txt(path, {});
  if (!wp.ok()) return wp.status();
  return std::shared_ptr<const Tokenizer>(std::make_shared<BertTokenizer>(std::move(*wp)));
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
  return Status::Invalid(
      "expected a built-in name (gpt2, cl100k_base, bert-base-uncased), the path of a tiktoken "
      "rank file named r50k_base.tiktoken or cl100k_base.tiktoken, of GPT-2's encoder.json (with "
      "vocab.bpe beside it) or of a WordPiece vocab.txt, found '" + spec + "'");
}

}  // namespace

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
    for (const SpecialToken& s : specials_) allowed.push_back(&s);
    return allowed;
  }
  for (const std::string& name : names) {
    auto it = std::find_if(specials_.begin(), specials_.end(),
                           [&](const SpecialToken& s) { return s.text == name; });
    if (it == specials_.end()) {
      return Status::Invalid("expected 'all' or special tokens of the model (" +
                             quoted_texts(specials_) + "), found \"" + name + "\"");
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
