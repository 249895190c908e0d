// io.write_npy: a tensor field as NumPy .npy files, one per record or all records stacked.
#include "io/npy.h"
#include "io/ops.h"
#include "io/output_file.h"
#include "io/path_template.h"
#include "io/tensor_field.h"
#include "shape_text.h"

#include <set>

namespace sluice::io {
namespace {

// A field value as a file-name part: a string or int, not empty, without '/', not "." or "..".
Expected<std::string> name_part(const Record& r, const std::string& name) {
  sluice_value_view v = r.view(Field::named(name));
  std::string text;
  if (v.kind == SLUICE_KIND_STRING) {
    text.assign(v.data, v.size);
  } else if (v.kind == SLUICE_KIND_INT) {
    text = std::to_string(v.i);
  } else {
    return Status::BadRecord("field '" + name + "' (in `path`): expected a string or int, found " +
                             (v.kind == SLUICE_KIND_ANY ? "no such field" : kind_name(v.kind)));
  }
  if (text.empty() || text == "." || text == ".." || text.find('/') != std::string::npos ||
      text.find('\0') != std::string::npos) {
    return Status::BadRecord("field '" + name + "' (in `path`): expected a file-name part (not "
                             "empty, '.' or '..', without '/'), found '" + text + "'");
  }
  return text;
}

Expected<const char*> descr_of(const Tensor& t, Field f) {
  const char* descr = npy_descr(t.dtype());
  if (descr == nullptr) {
    return Status::BadRecord(std::string("field '") + f.name() +
                             "': expected a dtype NumPy has, found " + dtype_name(t.dtype()));
  }
  return descr;
}

class WriteNpy : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("io.write_npy")
        .doc("Writes a tensor field as NumPy .npy files (numpy.load reads them), in stream "
             "order, and passes each record on. With `stack: false`, one file per record, "
             "named by `path` with {field} placeholders replaced by that record's string or int "
             "fields (\"npy/{id}.npy\"); two records naming the same file are an error for the "
             "second. With `stack: true`, every record's tensor (all of one dtype and shape) is "
             "one row of a single array of shape (records, ...) written to `path` (no records: no "
             "file). bfloat16 has "
             "no NumPy dtype and is rejected.")
        .sink()
        .stateful()
        .param(ParamSpec::String("path",
                                 "Output file, relative to the run directory; with `stack: "
                                 "false` a template such as \"npy/{id}.npy\""))
        .param(ParamSpec::String("field", "The tensor field to write"))
        .param(ParamSpec::Bool("stack",
                               "Stack all records' tensors into one file instead of one file "
                               "per record")
                   .default_value(false));
  }

  static Status check(const Params& params) {
    Expected<PathTemplate> path = PathTemplate::parse(params.get<std::string>("path"));
    if (!path.ok()) return Status::Invalid("param 'path': " + path.status().message());
    const bool stack = params.get<bool>("stack");
    if (stack && !path->names().empty()) {
      return Status::Invalid("param 'path': expected a plain file name with `stack: true`, found "
                             "placeholders in '" + path->text() + "'");
    }
    if (!stack && path->names().empty()) {
      return Status::Invalid("param 'path': expected {field} placeholders naming each record's "
                             "file with `stack: false`, found none in '" + path->text() + "'");
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    SLUICE_RETURN_IF_ERROR(check(params));
    ctx_ = &ctx;
    field_ = Field::named(params.get<std::string>("field"));
    stack_ = params.get<bool>("stack");
    path_ = *PathTemplate::parse(params.get<std::string>("path"));
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    Expected<Tensor> t = cpu_tensor(record, field_);
    if (!t.ok()) return t.status();
    Expected<const char*> descr = descr_of(*t, field_);
    if (!descr.ok()) return descr.status();
    SLUICE_RETURN_IF_ERROR(stack_ ? append_row(*t, *descr) : write_one(record, *t, *descr));
    return out.emit(record);
  }

  Status close(Emitter&) override {
    if (!file_.is_open()) return {};
    std::vector<int64_t> shape = row_shape_;
    shape.insert(shape.begin(), rows_);
    SLUICE_RETURN_IF_ERROR(file_.seek(0));
    SLUICE_RETURN_IF_ERROR(file_.write(npy_header(descr_, shape, header_size_)));
    return file_.close();
  }

 private:
  Status write_one(const Record& record, const Tensor& t, const char* descr) {
    Expected<std::string> name =
        path_.render([&](const std::string& field) { return name_part(record, field); });
    if (!name.ok()) return name.status();
    std::string file = ctx_->output_path(*name);
    if (!written_.insert(file).second) {
      return Status::BadRecord("file '" + file + "': expected one record per file, found a " +
                               "second one naming it");
    }
    return write_whole_file(file, npy_header(descr, t.shape()) + std::string(bytes_of(t)));
  }

  Status append_row(const Tensor& t, const char* descr) {
    if (!file_.is_open()) {
      descr_ = descr;
      dtype_ = t.dtype();
      row_shape_ = t.shape();
      // Room for the largest row count, so that close() rewrites the header in place.
      std::vector<int64_t> widest = row_shape_;
      widest.insert(widest.begin(), INT64_MAX);
      const std::string header = npy_header(descr_, widest);
      header_size_ = header.size();
      SLUICE_RETURN_IF_ERROR(file_.open(ctx_->output_path(path_.text())));
      SLUICE_RETURN_IF_ERROR(file_.write(header));
    } else if (t.dtype() != dtype_ || t.shape() != row_shape_) {
      return Status::BadRecord(std::string("field '") + field_.name() + "': expected dtype " +
                               dtype_name(dtype_) + " and shape " + shape_text(row_shape_) +
                               " like the first record's, found dtype " + dtype_name(t.dtype()) +
                               " and shape " + shape_text(t.shape()));
    }
    SLUICE_RETURN_IF_ERROR(file_.write(bytes_of(t)));
    ++rows_;
    return {};
  }

  const Context* ctx_ = nullptr;
  Field field_;
  bool stack_ = false;
  PathTemplate path_;
  std::set<std::string> written_;
  // stack: true
  OutputFile file_;
  const char* descr_ = nullptr;
  sluice_dtype dtype_ = SLUICE_DTYPE_ANY;
  std::vector<int64_t> row_shape_;
  int64_t rows_ = 0;
  size_t header_size_ = 0;
};

}  // namespace

void add_write_npy(PluginBuilder& plugin) { plugin.op<WriteNpy>(); }

}  // namespace sluice::io
