// io.write_safetensors: batches of tensors as .safetensors shards that PyTorch loads.
#include "io/ops.h"
#include "io/output_file.h"
#include "io/path_template.h"
#include "io/safetensors.h"
#include "io/tensor_field.h"
#include "shape_text.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace sluice::io {
namespace {

constexpr const char* kMetadataKey = "__metadata__";

std::string names_text(const std::vector<Field>& fields) {
  std::string out;
  for (Field f : fields) out += std::string(out.empty() ? "" : ", ") + f.name();
  return out;
}

class WriteSafetensors : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("io.write_safetensors")
        .doc("Writes batches (records whose tensors have a leading batch dimension, as "
             "core.batch makes them) to .safetensors shards, in stream order, and passes each "
             "record on. Each shard holds `records_per_shard` consecutive records: every tensor "
             "field becomes one tensor named after the field, the records' tensors concatenated "
             "along dimension 0, so safetensors.torch.load_file(\"train-00000.safetensors\") "
             "gives {\"ids\": (N, L) int32, \"label\": (N,) int64, ...} with N the rows of the "
             "shard. All records must have the same tensor fields, each with one dtype and the "
             "same shape after dimension 0. Non-tensor fields are not written. __metadata__ "
             "holds {\"format\": \"pt\"} and `metadata`. A shard is held in memory until "
             "written.")
        .sink()
        .stateful()
        .param(ParamSpec::String("path",
                                 "Output file, relative to the run directory; {shard} becomes "
                                 "the shard's index, 5 digits (\"train-{shard}.safetensors\")"))
        .param(ParamSpec::Int("records_per_shard",
                              "Records (batches) per shard; 0: all records in one file")
                   .default_value(0)
                   .min(0))
        .param(ParamSpec::List("fields", SLUICE_PTYPE_STRING,
                               "Tensor fields to write; default: every tensor field")
                   .optional())
        .param(ParamSpec::Map("metadata", SLUICE_PTYPE_STRING,
                              "Extra string entries of the header's __metadata__")
                   .optional());
  }

  static Status check(const Params& params) {
    Expected<PathTemplate> path = PathTemplate::parse(params.get<std::string>("path"));
    if (!path.ok()) return Status::Invalid("param 'path': " + path.status().message());
    for (const auto& name : path->names()) {
      if (name != "shard") {
        return Status::Invalid("param 'path': expected only the {shard} placeholder, found {" +
                               name + "}");
      }
    }
    if (params.get<int64_t>("records_per_shard") > 0 && path->names().empty()) {
      return Status::Invalid("param 'path': expected {shard} in '" + path->text() +
                             "' to name the shards of `records_per_shard`, found none");
    }
    if (auto fields = params.get_optional<std::vector<std::string>>("fields")) {
      if (fields->empty()) {
        return Status::Invalid("param 'fields': expected at least one field, found none");
      }
      for (const auto& f : *fields) {
        if (f == kMetadataKey) {
          return Status::Invalid("param 'fields': expected field names, found '__metadata__', "
                                 "which the format reserves");
        }
      }
    }
    return {};
  }

  Status open(Context& ctx, const Params& params) override {
    SLUICE_RETURN_IF_ERROR(check(params));
    ctx_ = &ctx;
    path_ = *PathTemplate::parse(params.get<std::string>("path"));
    records_per_shard_ = params.get<int64_t>("records_per_shard");
    if (auto fields = params.get_optional<std::vector<std::string>>("fields")) {
      for (const auto& name : *fields) fields_.push_back(Field::named(name));
      listed_ = true;
    }
    metadata_ = {{"format", "pt"}};
    auto extra = params.get_optional<std::map<std::string, std::string>>("metadata");
    for (const auto& [key, value] : extra.value_or(std::map<std::string, std::string>{})) {
      if (key == "format") {
        metadata_[0].second = value;
      } else {
        metadata_.emplace_back(key, value);
      }
    }
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    const bool first = kinds_.empty();
    Expected<std::vector<Field>> fields =
        first && !listed_ ? tensor_fields(record) : Expected<std::vector<Field>>(fields_);
    if (!fields.ok()) return fields.status();
    std::vector<Tensor> row;
    for (Field f : *fields) {
      Expected<Tensor> t = cpu_tensor(record, f);
      if (!t.ok()) return t.status();
      row.push_back(std::move(*t));
    }
    if (first) {
      Expected<std::vector<Kind>> kinds = kinds_of(*fields, row);
      if (!kinds.ok()) return kinds.status();
      fields_ = std::move(*fields);
      kinds_ = std::move(*kinds);
    } else {
      if (!listed_) SLUICE_RETURN_IF_ERROR(check_no_other_tensors(record));
      for (size_t i = 0; i < row.size(); ++i) SLUICE_RETURN_IF_ERROR(check_kind(i, row[i]));
    }
    pending_.push_back(std::move(row));
    if (records_per_shard_ > 0 && static_cast<int64_t>(pending_.size()) == records_per_shard_) {
      SLUICE_RETURN_IF_ERROR(write_shard());
    }
    return out.emit(record);
  }

  Status close(Emitter&) override {
    if (!pending_.empty()) SLUICE_RETURN_IF_ERROR(write_shard());
    ctx_->metric("shards", static_cast<double>(shard_));
    return {};
  }

 private:
  // What every record's tensor i must be: its dtype and shape after dimension 0.
  struct Kind {
    sluice_dtype dtype;
    std::vector<int64_t> rest;
  };

  static Expected<std::vector<Field>> tensor_fields(const Record& record) {
    std::vector<Field> out;
    sluice_value_view v;
    for (size_t i = 0; i < record.size(); ++i) {
      Field f = record.field_at(i, &v);
      if (v.kind != SLUICE_KIND_TENSOR) continue;
      if (std::string_view(f.name()) == kMetadataKey) {
        return Status::BadRecord("field '__metadata__': expected another name, this one is "
                                 "reserved by the safetensors format");
      }
      out.push_back(f);
    }
    if (out.empty()) {
      return Status::BadRecord("expected a record with tensor fields to write, found none");
    }
    return out;
  }

  Status check_no_other_tensors(const Record& record) const {
    sluice_value_view v;
    for (size_t i = 0; i < record.size(); ++i) {
      Field f = record.field_at(i, &v);
      if (v.kind == SLUICE_KIND_TENSOR &&
          std::find(fields_.begin(), fields_.end(), f) == fields_.end()) {
        return Status::BadRecord(std::string("field '") + f.name() +
                                 "': expected the tensor fields of the first record (" +
                                 names_text(fields_) + "), found this one too");
      }
    }
    return {};
  }

  static Expected<std::vector<Kind>> kinds_of(const std::vector<Field>& fields,
                                               const std::vector<Tensor>& row) {
    std::vector<Kind> out;
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].ndim() == 0) {
        return Status::BadRecord(std::string("field '") + fields[i].name() +
                                 "': expected a tensor with a batch dimension, found a 0-d "
                                 "tensor (batch records with core.batch first)");
      }
      std::vector<int64_t> shape = row[i].shape();
      out.push_back({row[i].dtype(), {shape.begin() + 1, shape.end()}});
    }
    return out;
  }

  Status check_kind(size_t i, const Tensor& t) const {
    std::vector<int64_t> shape = t.shape();
    const Kind& k = kinds_[i];
    if (t.dtype() == k.dtype && !shape.empty() &&
        std::equal(shape.begin() + 1, shape.end(), k.rest.begin(), k.rest.end())) {
      return {};
    }
    std::vector<int64_t> expected = k.rest;
    expected.insert(expected.begin(), -1);
    return Status::BadRecord(std::string("field '") + fields_[i].name() + "': expected dtype " +
                             dtype_name(k.dtype) + " and shape " + shape_text(expected) +
                             " (any first dimension) like the first record's, found dtype " +
                             dtype_name(t.dtype()) + " and shape " + shape_text(shape));
  }

  Status write_shard() {
    std::vector<SafetensorsTensor> tensors(fields_.size());
    for (size_t i = 0; i < fields_.size(); ++i) {
      SafetensorsTensor& out = tensors[i];
      out.name = fields_[i].name();
      out.dtype = kinds_[i].dtype;
      int64_t rows = 0;
      for (const auto& row : pending_) {
        rows += row[i].dim(0);
        out.chunks.push_back(bytes_of(row[i]));
      }
      out.shape = kinds_[i].rest;
      out.shape.insert(out.shape.begin(), rows);
    }
    char index[24];
    std::snprintf(index, sizeof(index), "%05d", shard_);
    Expected<std::string> name = path_.render([&](const std::string&) -> Expected<std::string> {
      return std::string(index);
    });
    if (!name.ok()) return name.status();
    OutputFile file;
    SLUICE_RETURN_IF_ERROR(file.open(ctx_->output_path(*name)));
    SLUICE_RETURN_IF_ERROR(write_safetensors(file, tensors, metadata_));
    SLUICE_RETURN_IF_ERROR(file.close());
    pending_.clear();
    ++shard_;
    return {};
  }

  const Context* ctx_ = nullptr;
  PathTemplate path_;
  int64_t records_per_shard_ = 0;
  bool listed_ = false;
  std::vector<Field> fields_;
  std::vector<Kind> kinds_;
  SafetensorsMetadata metadata_;
  std::vector<std::vector<Tensor>> pending_;  // per record, per field
  int shard_ = 0;
};

}  // namespace

void add_write_safetensors(PluginBuilder& plugin) { plugin.op<WriteSafetensors>(); }

}  // namespace sluice::io
