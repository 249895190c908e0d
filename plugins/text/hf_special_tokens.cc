// The special-token parts of a tokenizer.json: added_tokens and post_processor.
#include "text/hf_reader.h"

namespace sluice::text::hf {
namespace {

// The ids of the special token `name` of a TemplateProcessing.
Expected<std::vector<int32_t>> template_ids(const Reader& r, const json::object& processor,
                                            const std::string& name, const std::string& key) {
  const json::value* specials = Reader::find(processor, "special_tokens");
  const json::value* token = specials != nullptr && specials->is_object()
                                 ? specials->as_object().if_contains(name)
                                 : nullptr;
  const json::value* ids =
      token != nullptr && token->is_object() ? token->as_object().if_contains("ids") : nullptr;
  if (ids == nullptr || !ids->is_array()) {
    return r.fail(key + ".special_tokens", "the ids of \"" + name + "\"", specials);
  }
  std::vector<int32_t> out;
  for (const json::value& id : ids->as_array()) {
    Expected<int32_t> v = r.id(id, key + ".special_tokens." + name + ".ids");
    if (!v.ok()) return v.status();
    out.push_back(*v);
  }
  return out;
}

Status read_template(const Reader& r, const json::object& processor, const std::string& key,
                     std::vector<int32_t>& prefix, std::vector<int32_t>& suffix) {
  const json::value* single = Reader::find(processor, "single");
  if (single == nullptr || !single->is_array()) return r.fail(key + ".single", "an array", single);
  bool sequence_seen = false;
  for (const json::value& piece : single->as_array()) {
    const json::object* o = piece.if_object();
    const json::value* special = o != nullptr ? o->if_contains("SpecialToken") : nullptr;
    const json::value* sequence = o != nullptr ? o->if_contains("Sequence") : nullptr;
    if (sequence != nullptr && !sequence_seen) {
      sequence_seen = true;
    } else if (special != nullptr && special->is_object() &&
               special->as_object().if_contains("id") != nullptr &&
               special->as_object().at("id").is_string()) {
      Expected<std::vector<int32_t>> ids =
          template_ids(r, processor, std::string(special->as_object().at("id").as_string()), key);
      if (!ids.ok()) return ids.status();
      std::vector<int32_t>& into = sequence_seen ? suffix : prefix;
      into.insert(into.end(), ids->begin(), ids->end());
    } else {
      return r.fail(key + ".single", "special tokens around one Sequence", &piece);
    }
  }
  if (!sequence_seen) return r.fail(key + ".single", "a Sequence", single);
  return {};
}

// BertProcessing and RobertaProcessing: "cls": [text, id], "sep": [text, id].
Expected<int32_t> processing_id(const Reader& r, const json::object& processor, const char* name,
                                const std::string& key) {
  const json::value* v = Reader::find(processor, name);
  if (v == nullptr || !v->is_array() || v->as_array().size() != 2) {
    return r.fail(key + "." + name, "[token, id]", v);
  }
  return r.id(v->as_array()[1], key + "." + name);
}

}  // namespace

Status read_added_tokens(const Reader& r, const json::object& root, bool normalizer,
                         SpecialTokenRules& rules) {
  const json::value* added = Reader::find(root, "added_tokens");
  if (added == nullptr || added->is_null()) return {};
  if (!added->is_array()) return r.fail("added_tokens", "an array", added);
  for (size_t i = 0; i < added->as_array().size(); ++i) {
    const std::string key = "added_tokens[" + std::to_string(i) + "]";
    const json::value& t = added->as_array()[i];
    if (!t.is_object()) return r.fail(key, "an object", &t);
    const json::object& o = t.as_object();
    const json::value* content = Reader::find(o, "content");
    if (content == nullptr || !content->is_string() || content->as_string().empty()) {
      return r.fail(key + ".content", "the token's text", content);
    }
    const json::value* id = Reader::find(o, "id");
    if (id == nullptr) return r.fail(key + ".id", "a token id", id);
    Expected<int32_t> token_id = r.id(*id, key + ".id");
    if (!token_id.ok()) return token_id.status();
    for (const char* name : {"single_word", "lstrip", "rstrip"}) {
      SLUICE_RETURN_IF_ERROR(r.off(o, name, key));
    }
    if (normalizer) SLUICE_RETURN_IF_ERROR(r.off(o, "normalized", key));
    rules.specials.push_back({std::string(content->as_string()), *token_id});
  }
  return {};
}

Status read_post_processor(const Reader& r, const json::object* processor, const std::string& key,
                           SpecialTokenRules& rules) {
  if (processor == nullptr) return {};
  const std::string type = r.type(*processor);
  std::vector<int32_t> prefix, suffix;
  if (type == "ByteLevel") return {};
  if (type == "TemplateProcessing") {
    SLUICE_RETURN_IF_ERROR(read_template(r, *processor, key, prefix, suffix));
  } else if (type == "BertProcessing" || type == "RobertaProcessing") {
    Expected<int32_t> cls = processing_id(r, *processor, "cls", key);
    if (!cls.ok()) return cls.status();
    Expected<int32_t> sep = processing_id(r, *processor, "sep", key);
    if (!sep.ok()) return sep.status();
    prefix = {*cls};
    suffix = {*sep};
  } else if (type == "Sequence") {
    const json::value* list = Reader::find(*processor, "processors");
    if (list == nullptr || !list->is_array()) {
      return r.fail(key + ".processors", "an array", list);
    }
    for (size_t i = 0; i < list->as_array().size(); ++i) {
      const json::value& p = list->as_array()[i];
      const std::string at = key + ".processors[" + std::to_string(i) + "]";
      if (!p.is_object()) return r.fail(at, "an object", &p);
      SLUICE_RETURN_IF_ERROR(read_post_processor(r, &p.as_object(), at, rules));
    }
    return {};
  } else {
    return r.fail(key + ".type",
                  "TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel or Sequence",
                  Reader::find(*processor, "type"));
  }
  // A later processor wraps what the earlier ones gave.
  rules.prefix.insert(rules.prefix.begin(), prefix.begin(), prefix.end());
  rules.suffix.insert(rules.suffix.end(), suffix.begin(), suffix.end());
  rules.added_by_default = true;
  return {};
}

}  // namespace sluice::text::hf
