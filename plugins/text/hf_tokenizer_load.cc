// read_hf_tokenizer: the model, its normalizer and pre-tokenizer, and the padding of a
// tokenizer.json, each checked against what text/hf_tokenizer.h says is supported.
#include "text/byte_alphabet.h"
#include "text/hf_patterns.h"
#include "text/hf_reader.h"
#include "text/hf_tokenizer.h"
#include "text/json_file.h"

#include <algorithm>
#include <unordered_map>

namespace sluice::text {
namespace {

using hf::Reader;
namespace json = boost::json;

// model.vocab: token -> id.
Expected<const json::object*> vocab_of(const Reader& r, const json::object& model) {
  Expected<const json::object*> vocab = r.object(model, "vocab", "model.vocab");
  if (!vocab.ok()) return vocab.status();
  if (*vocab == nullptr) return r.fail("model.vocab", "an object of token -> id", nullptr);
  return vocab;
}

// The pre-tokenizer of a BPE model: GPT-2's or cl100k_base's pattern.
Expected<PretokenPattern> bpe_pattern(const Reader& r, const json::object* pre) {
  const char* expected =
      "ByteLevel (add_prefix_space false), or a Sequence of a Split by cl100k_base's pattern and "
      "a ByteLevel with use_regex false";
  if (pre == nullptr) return r.fail("pre_tokenizer", expected, nullptr);
  auto byte_level = [&](const json::object& o, const std::string& key, bool regex) -> Status {
    Expected<bool> prefix_space = r.flag(o, "add_prefix_space", key, true);
    if (!prefix_space.ok()) return prefix_space.status();
    if (*prefix_space) {
      return r.fail(key + ".add_prefix_space", "false", Reader::find(o, "add_prefix_space"));
    }
    Expected<bool> use_regex = r.flag(o, "use_regex", key, true);
    if (!use_regex.ok()) return use_regex.status();
    if (*use_regex != regex) {
      return r.fail(key + ".use_regex", regex ? "true" : "false", Reader::find(o, "use_regex"));
    }
    return {};
  };
  const std::string type = r.type(*pre);
  if (type == "ByteLevel") {
    SLUICE_RETURN_IF_ERROR(byte_level(*pre, "pre_tokenizer", true));
    return PretokenPattern::kGpt2;
  }
  const json::value* list = Reader::find(*pre, "pretokenizers");
  if (type != "Sequence" || list == nullptr || !list->is_array() || list->as_array().size() != 2 ||
      !list->as_array()[0].is_object() || !list->as_array()[1].is_object()) {
    return r.fail("pre_tokenizer", expected, Reader::find(*pre, "type"));
  }
  const json::object& split = list->as_array()[0].as_object();
  const json::value* pattern = Reader::find(split, "pattern");
  const json::value* regex = pattern != nullptr && pattern->is_object()
                                 ? pattern->as_object().if_contains("Regex")
                                 : nullptr;
  const json::value* behavior = Reader::find(split, "behavior");
  if (r.type(split) != "Split" || regex == nullptr || !regex->is_string() ||
      regex->as_string() != kCl100kRegex || behavior == nullptr || !behavior->is_string() ||
      behavior->as_string() != "Isolated") {
    return r.fail("pre_tokenizer.pretokenizers[0]",
                  "a Split by cl100k_base's pattern, behavior Isolated", &list->as_array()[0]);
  }
  SLUICE_RETURN_IF_ERROR(r.off(split, "invert", "pre_tokenizer.pretokenizers[0]"));
  const json::object& second = list->as_array()[1].as_object();
  if (r.type(second) != "ByteLevel") {
    return r.fail("pre_tokenizer.pretokenizers[1]", "ByteLevel", Reader::find(second, "type"));
  }
  SLUICE_RETURN_IF_ERROR(byte_level(second, "pre_tokenizer.pretokenizers[1]", false));
  return PretokenPattern::kCl100k;
}

Expected<ByteBpe> read_bpe(const Reader& r, const json::object& root, const json::object& model,
                           std::vector<SpecialToken> specials) {
  if (const json::value* n = Reader::find(root, "normalizer"); n != nullptr && !n->is_null()) {
    return r.fail("normalizer", "none with a BPE model", n);
  }
  Expected<const json::object*> pre = r.object(root, "pre_tokenizer", "pre_tokenizer");
  if (!pre.ok()) return pre.status();
  Expected<PretokenPattern> pattern = bpe_pattern(r, *pre);
  if (!pattern.ok()) return pattern.status();
  for (const char* name :
       {"dropout", "continuing_subword_prefix", "end_of_word_suffix", "ignore_merges"}) {
    SLUICE_RETURN_IF_ERROR(r.off(model, name, "model"));
  }
  Expected<const json::object*> vocab = vocab_of(r, model);
  if (!vocab.ok()) return vocab.status();
  // Tokens by id; the added tokens' ids are special tokens, not ranks. Ids are numbered from 0
  // without gaps but the added tokens' (which the vocabulary may leave out), so none reaches the
  // count of both: a larger one is refused before the table is sized by it.
  const size_t id_limit = (*vocab)->size() + specials.size();
  std::vector<std::string> tokens;
  std::unordered_map<std::string, int32_t> id_of;
  std::string bytes;
  for (const auto& [text, id_value] : **vocab) {
    const std::string key = "model.vocab[\"" + std::string(text) + "\"]";
    Expected<int32_t> id = r.id(id_value, key);
    if (!id.ok()) return id.status();
    if (static_cast<size_t>(*id) >= id_limit) {
      return r.fail(key,
                    "an id below " + std::to_string(id_limit) +
                        " (the vocabulary's entries and the added tokens, numbered from 0)",
                    &id_value);
    }
    id_of.emplace(std::string(text), *id);
    if (std::any_of(specials.begin(), specials.end(),
                    [&](const SpecialToken& s) { return s.id == *id; })) {
      continue;
    }
    if (!from_byte_alphabet(text, &bytes) || bytes.empty()) {
      return r.fail(key, "a token in GPT-2's byte alphabet (ByteLevel)");
    }
    if (static_cast<size_t>(*id) >= tokens.size()) tokens.resize(static_cast<size_t>(*id) + 1);
    if (!tokens[static_cast<size_t>(*id)].empty()) {
      return r.fail(key, "expected each id once, found " + std::to_string(*id) + " again");
    }
    tokens[static_cast<size_t>(*id)] = bytes;
  }
  Expected<RankTable> table = RankTable::from_tokens(std::move(tokens));
  if (!table.ok()) return r.fail("model.vocab", table.status().message());

  const json::value* merges = Reader::find(model, "merges");
  if (merges == nullptr || !merges->is_array()) {
    return r.fail("model.merges", "an array of merges", merges);
  }
  std::vector<std::pair<int32_t, int32_t>> pairs;
  for (size_t i = 0; i < merges->as_array().size(); ++i) {
    const json::value& m = merges->as_array()[i];
    const std::string key = "model.merges[" + std::to_string(i) + "]";
    std::string parts[2];
    if (m.is_string()) {
      const std::string_view text = m.as_string();
      const size_t space = text.find(' ');
      if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos) {
        return r.fail(key, "\"<first> <second>\"", &m);
      }
      parts[0] = text.substr(0, space);
      parts[1] = text.substr(space + 1);
    } else if (m.is_array() && m.as_array().size() == 2 && m.as_array()[0].is_string() &&
               m.as_array()[1].is_string()) {
      parts[0] = m.as_array()[0].as_string();
      parts[1] = m.as_array()[1].as_string();
    } else {
      return r.fail(key, "\"<first> <second>\" or [first, second]", &m);
    }
    int32_t ids[2];
    for (int k = 0; k < 2; ++k) {
      const auto it = id_of.find(parts[k]);
      if (it == id_of.end()) {
        return r.fail(key, "expected tokens of model.vocab, found \"" + parts[k] + "\"");
      }
      ids[k] = it->second;
    }
    pairs.emplace_back(ids[0], ids[1]);
  }
  Expected<ByteBpe> bpe =
      ByteBpe::from_merges(std::move(*table), pairs, *pattern, std::move(specials));
  if (!bpe.ok()) return r.fail("model", bpe.status().message());
  return bpe;
}

Expected<WordPiece> read_wordpiece(const Reader& r, const json::object& root,
                                   const json::object& model) {
  Expected<const json::object*> normalizer = r.object(root, "normalizer", "normalizer");
  if (!normalizer.ok()) return normalizer.status();
  if (*normalizer == nullptr || r.type(**normalizer) != "BertNormalizer") {
    return r.fail("normalizer", "BertNormalizer with a WordPiece model",
                  *normalizer == nullptr ? nullptr : Reader::find(**normalizer, "type"));
  }
  Expected<const json::object*> pre = r.object(root, "pre_tokenizer", "pre_tokenizer");
  if (!pre.ok()) return pre.status();
  if (*pre == nullptr || r.type(**pre) != "BertPreTokenizer") {
    return r.fail("pre_tokenizer", "BertPreTokenizer with a WordPiece model",
                  *pre == nullptr ? nullptr : Reader::find(**pre, "type"));
  }
  WordPieceOptions options;
  const json::object& n = **normalizer;
  Expected<bool> clean = r.flag(n, "clean_text", "normalizer", true);
  Expected<bool> chinese = r.flag(n, "handle_chinese_chars", "normalizer", true);
  Expected<bool> lowercase = r.flag(n, "lowercase", "normalizer", true);
  for (const Expected<bool>* e : {&clean, &chinese, &lowercase}) {
    if (!e->ok()) return e->status();
  }
  Expected<bool> strip = r.flag(n, "strip_accents", "normalizer", *lowercase);
  if (!strip.ok()) return strip.status();
  options.normalize = {*clean, *chinese, *strip, *lowercase};
  Expected<std::string> unk = r.string(model, "unk_token", "model", "[UNK]");
  Expected<std::string> prefix = r.string(model, "continuing_subword_prefix", "model", "##");
  if (!unk.ok()) return unk.status();
  if (!prefix.ok()) return prefix.status();
  options.unk_token = *unk;
  options.continuation_prefix = *prefix;
  options.cls_token = options.sep_token = options.pad_token = "";
  if (const json::value* max = Reader::find(model, "max_input_chars_per_word"); max != nullptr) {
    if (!max->is_int64() || max->as_int64() < 1 || max->as_int64() > INT32_MAX) {
      return r.fail("model.max_input_chars_per_word", "a positive integer", max);
    }
    options.max_word_chars = static_cast<int>(max->as_int64());
  }
  Expected<const json::object*> vocab = vocab_of(r, model);
  if (!vocab.ok()) return vocab.status();
  std::vector<std::string> tokens((*vocab)->size());
  for (const auto& [text, id_value] : **vocab) {
    const std::string key = "model.vocab[\"" + std::string(text) + "\"]";
    Expected<int32_t> id = r.id(id_value, key);
    if (!id.ok()) return id.status();
    if (static_cast<size_t>(*id) >= tokens.size() || !tokens[static_cast<size_t>(*id)].empty()) {
      return r.fail(key, "ids from 0 to " + std::to_string(tokens.size() - 1) + ", each once",
                    &id_value);
    }
    tokens[static_cast<size_t>(*id)] = std::string(text);
  }
  Expected<WordPiece> wp =
      WordPiece::from_tokens(std::move(tokens), std::move(options), r.path() + ": model.vocab");
  if (!wp.ok()) return wp.status();
  return wp;
}

}  // namespace

Expected<HfTokenizerFile> read_hf_tokenizer(const std::string& path) {
  Expected<json::value> parsed = read_json_file(path, "tokenizer file");
  if (!parsed.ok()) return parsed.status();
  const Reader r(path);
  if (!parsed->is_object()) return r.fail("(top level)", "a tokenizer object", &*parsed);
  const json::object& root = parsed->as_object();
  Expected<const json::object*> model = r.object(root, "model", "model");
  if (!model.ok()) return model.status();
  if (*model == nullptr) return r.fail("model", "a model (BPE or WordPiece)", nullptr);
  // Older files leave the type out; Hugging Face tells the models apart by their fields.
  std::string type = r.type(**model);
  if (Reader::find(**model, "type") == nullptr) {
    if (Reader::find(**model, "merges") != nullptr) type = "BPE";
    if (Reader::find(**model, "max_input_chars_per_word") != nullptr) type = "WordPiece";
  }
  if (type != "BPE" && type != "WordPiece") {
    return r.fail("model.type", "BPE or WordPiece", Reader::find(**model, "type"));
  }
  const json::value* normalizer = Reader::find(root, "normalizer");
  HfTokenizerFile file;
  SLUICE_RETURN_IF_ERROR(
      hf::read_added_tokens(r, root, normalizer != nullptr && !normalizer->is_null(), file.rules));
  file.rules.matched_by_default = true;
  Expected<const json::object*> post = r.object(root, "post_processor", "post_processor");
  if (!post.ok()) return post.status();
  SLUICE_RETURN_IF_ERROR(hf::read_post_processor(r, *post, "post_processor", file.rules));
  if (type == "BPE") {
    Expected<ByteBpe> bpe = read_bpe(r, root, **model, file.rules.specials);
    if (!bpe.ok()) return bpe.status();
    file.bpe = std::move(*bpe);
  } else {
    Expected<WordPiece> wp = read_wordpiece(r, root, **model);
    if (!wp.ok()) return wp.status();
    file.wordpiece = std::move(*wp);
  }
  Expected<const json::object*> padding = r.object(root, "padding", "padding");
  if (!padding.ok()) return padding.status();
  if (*padding != nullptr && Reader::find(**padding, "pad_id") != nullptr) {
    Expected<int32_t> pad = r.id(*Reader::find(**padding, "pad_id"), "padding.pad_id");
    if (!pad.ok()) return pad.status();
    file.rules.pad_id = *pad;
  } else if (file.wordpiece && file.wordpiece->id("[PAD]") >= 0) {
    file.rules.pad_id = file.wordpiece->id("[PAD]");
  } else if (!file.rules.specials.empty()) {
    file.rules.pad_id = file.rules.specials.front().id;
  }
  return file;
}

}  // namespace sluice::text
