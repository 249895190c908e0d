// io.list_files: one record per file matching a glob, with parts of its path as fields.
#include "io/ops.h"
#include "io/path_pattern.h"

#include <optional>
#include <utility>

namespace sluice::io {
namespace {

// The compiled `label_from`, or nullopt when it is not set.
Expected<std::optional<PathPattern>> label_pattern(const Params& params) {
  auto text = params.get_optional<std::string>("label_from");
  if (!text) return std::optional<PathPattern>();
  Expected<PathPattern> p = PathPattern::compile(*text, true);
  if (!p.ok()) return Status::Invalid("param 'label_from': " + p.status().message());
  return std::optional<PathPattern>(std::move(*p));
}

class ListFiles : public Source {
 public:
  static OpSchema schema() {
    return OpSchema("io.list_files")
        .doc("Lists the regular files matching a glob, one record per file, sorted by path "
             "(bytewise). In `pattern`, `*` matches any characters but '/', `?` one character "
             "but '/', and `**` as a whole segment any number of directories; there are no "
             "character classes. The directory listed is the part of `pattern` before its first "
             "wildcard segment (relative patterns start at the working directory; use "
             "${SLUICE_SHARE} or absolute paths in pipelines). `label_from` is matched against "
             "each file's path relative to that directory and turns its `{name}` parts into "
             "string fields: pattern \"data/**/*.png\" with label_from \"{label}/*.png\" gives "
             "data/cat/1.png the field label = \"cat\". A file that does not match `label_from` "
             "is rejected, naming it.")
        .source()
        .output("path", SLUICE_KIND_STRING,
                "The file's path: the listed directory as written in `pattern`, then the "
                "relative path")
        .param(ParamSpec::String("pattern", "Glob of the files to list, e.g. \"/data/**/*.wav\""))
        .param(ParamSpec::String("label_from",
                                 "Pattern of the relative path with {name} parts that become "
                                 "string fields, e.g. \"{label}/*.png\" or "
                                 "\"{digit}_{speaker}_{index}.wav\"")
                   .optional());
  }

  static Status check(const Params& params) {
    auto [root, rest] = split_glob_root(params.get<std::string>("pattern"));
    Expected<PathPattern> p = PathPattern::compile(rest, false);
    if (!p.ok()) return Status::Invalid("param 'pattern': " + p.status().message());
    return label_pattern(params).status();
  }

  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    fields.put(ctx.port("path"), SLUICE_KIND_STRING);
    auto labels = label_pattern(params);
    if (!labels.ok()) return labels.status();
    if (*labels) {
      for (const auto& name : (*labels)->capture_names()) {
        fields.put(Field::named(name), SLUICE_KIND_STRING);
      }
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    path_ = ctx.port("path");
    auto [root, rest] = split_glob_root(params.get<std::string>("pattern"));
    root_ = std::move(root);
    Expected<PathPattern> pattern = PathPattern::compile(rest, false);
    if (!pattern.ok()) return pattern.status();
    auto labels = label_pattern(params);
    if (!labels.ok()) return labels.status();
    labels_ = std::move(*labels);
    if (labels_) {
      for (const auto& name : labels_->capture_names()) label_fields_.push_back(Field::named(name));
    }
    Expected<std::vector<std::string>> files = list_matching(root_, *pattern);
    if (!files.ok()) return files.status();
    files_ = std::move(*files);
    ctx.metric("files", static_cast<double>(files_.size()));
    return {};
  }

  Status produce(Emitter& out, bool& done) override {
    std::vector<std::pair<std::string, std::string>> captures;
    for (int i = 0; i < kRecordsPerProduce && next_ < files_.size(); ++i) {
      const std::string& rel = files_[next_++];
      const std::string path = root_.empty() ? rel : root_ + "/" + rel;
      OwnedRecord r;
      r.set_string(path_, path);
      if (labels_) {
        if (!labels_->match(rel, &captures)) {
          done = next_ == files_.size();
          return Status::BadRecord("'" + path + "': expected a relative path matching " +
                                   "label_from '" + labels_->text() + "', found '" + rel + "'");
        }
        for (size_t c = 0; c < captures.size(); ++c) {
          r.set_string(label_fields_[c], captures[c].second);
        }
      }
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(r)));
    }
    done = next_ == files_.size();
    return {};
  }

  int64_t size_hint() const override { return static_cast<int64_t>(files_.size()); }

 private:
  Field path_;
  std::string root_;
  std::optional<PathPattern> labels_;
  std::vector<Field> label_fields_;
  std::vector<std::string> files_;
  size_t next_ = 0;
};

}  // namespace

void add_list_files(PluginBuilder& plugin) { plugin.op<ListFiles>(); }

}  // namespace sluice::io
