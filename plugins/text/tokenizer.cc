#include "text/tokenizer.h"

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

 private:
  WordPiece wp_;
};

Expected<std::shared_ptr<const Tokenizer>> load_wordpiece(const std::string& path) {
  Expected<WordPiece> wp = WordPiece::load_vocab_txt(path, {});
  if (!wp.ok()) return wp.status();
  return std::shared_ptr<const Tokenizer>(std::make_shared<BertTokenizer>(std::move(*wp)));
}

Expected<std::shared_ptr<const Tokenizer>> load_uncached(const std::string& spec) {
  if (spec == "bert-base-uncased") {
    return load_wordpiece(share_dir() + "/vocab/bert-base-uncased/vocab.txt");
  }
  if (std::filesystem::path(spec).extension() == ".txt") {
    return load_wordpiece(spec);
  }
  return Status::Invalid("expected a built-in name (bert-base-uncased) or the path of a "
                         "WordPiece vocab.txt, found '" + spec + "'");
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

}  // namespace sluice::text
