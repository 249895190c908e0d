// core.batch: groups consecutive records into batch records of stacked tensors.
#include "core/field_checks.h"
#include "core/ops.h"
#include "core/stacking.h"
#include "shape_text.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace sluice::core {
namespace {

sluice_dtype scalar_dtype(sluice_kind kind) {
  switch (kind) {
    case SLUICE_KIND_INT: return SLUICE_DTYPE_INT64;
    case SLUICE_KIND_FLOAT: return SLUICE_DTYPE_FLOAT64;
    default: return SLUICE_DTYPE_BOOL;
  }
}

class Batch : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.batch")
        .doc("Groups each `batch_size` consecutive records into one batch record. A tensor field "
             "of shape S becomes a tensor of shape (B, *S); an int, float or bool field becomes "
             "an int64, float64 or bool tensor of shape (B,). With `pad: true` tensors may "
             "differ in their first dimension and are padded with `pad_value` to the longest in "
             "the batch. A batch takes the position of its first record. Strings and bytes "
             "cannot be stacked: list them in `drop` (at run time a listed field that a record "
             "lacks is fine). A record whose fields differ from the batch's first record's "
             "(names, kinds, dtypes, shapes) is rejected, naming the field. The last batch may "
             "be smaller, unless `drop_last`.")
        .stateful()
        .regroup()
        .param(ParamSpec::Int("batch_size", "Records per batch").default_value(32).min(1))
        .param(ParamSpec::Bool("drop_last", "Drop a last batch smaller than batch_size")
                   .default_value(false))
        .param(ParamSpec::Bool("pad",
                               "Pad tensors along their first dimension to the batch's longest")
                   .default_value(false))
        .param(ParamSpec::Float("pad_value",
                                "Value of the padding (converted to each tensor's dtype, which "
                                "must hold it exactly for integer dtypes)")
                   .default_value(0))
        .param(ParamSpec::List("drop", SLUICE_PTYPE_STRING, "Fields left out of the batch")
                   .default_yaml("[]"));
  }

  static Status infer_fields(const Params& params, const Context&, FieldSet& fields) {
    for (const auto& name : params.get<std::vector<std::string>>("drop")) {
      SLUICE_RETURN_IF_ERROR(upstream_kind(fields, name, "drop").status());
      fields.remove(Field::named(name));
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      sluice_kind kind = SLUICE_KIND_ANY;
      Field f = fields.at(i, &kind);
      if (kind == SLUICE_KIND_STRING || kind == SLUICE_KIND_BYTES) {
        return Status::Invalid(std::string("param 'drop': expected it to list field '") +
                               f.name() + "', a " + kind_name(kind) + " that cannot be batched, " +
                               "found it missing");
      }
      if (kind != SLUICE_KIND_ANY) fields.put(f, SLUICE_KIND_TENSOR);
    }
    return {};
  }

  Status open(Context&, const Params& params) override {
    batch_size_ = params.get<int64_t>("batch_size");
    drop_last_ = params.get<bool>("drop_last");
    pad_ = params.get<bool>("pad");
    pad_value_ = params.get<double>("pad_value");
    for (const auto& name : params.get<std::vector<std::string>>("drop")) {
      drop_.push_back(Field::named(name));
    }
    return {};
  }

  Status process(Record& record, Emitter& out) override {
    if (count_ == 0) {
      Expected<std::vector<Column>> columns = columns_of(record);
      if (!columns.ok()) return columns.status();
      columns_ = std::move(*columns);
      position_ = record.position();
    } else {
      SLUICE_RETURN_IF_ERROR(check_like_first(record));
    }
    for (Column& c : columns_) c.add(record);
    if (++count_ == batch_size_) return emit_batch(out);
    return {};
  }

  Status close(Emitter& out) override {
    if (count_ == 0 || drop_last_) return {};
    return emit_batch(out);
  }

 private:
  // One field of the batch being gathered.
  struct Column {
    Field field;
    sluice_kind kind;
    sluice_dtype dtype;
    std::vector<int64_t> shape;  // tensors: the first record's
    std::string fill;            // tensors with `pad`: one element of padding
    std::vector<Tensor> tensors;
    std::string scalars;  // scalar fields: their values as elements of `dtype`

    void add(const Record& r) {
      sluice_value_view v = r.view(field);
      if (kind == SLUICE_KIND_TENSOR) {
        tensors.push_back(Tensor::borrow(v.tensor));
      } else if (kind == SLUICE_KIND_FLOAT) {
        scalars.append(reinterpret_cast<const char*>(&v.f), sizeof(v.f));
      } else if (kind == SLUICE_KIND_INT) {
        scalars.append(reinterpret_cast<const char*>(&v.i), sizeof(v.i));
      } else {
        scalars += static_cast<char>(v.i != 0);
      }
    }
  };

  bool dropped(Field f) const { return std::find(drop_.begin(), drop_.end(), f) != drop_.end(); }

  Expected<std::vector<Column>> columns_of(const Record& record) const {
    std::vector<Column> out;
    sluice_value_view v;
    for (size_t i = 0; i < record.size(); ++i) {
      Field f = record.field_at(i, &v);
      if (dropped(f)) continue;
      if (v.kind == SLUICE_KIND_STRING || v.kind == SLUICE_KIND_BYTES) {
        return Status::BadRecord(std::string("field '") + f.name() +
                                 "': expected a tensor or a number to batch, found " +
                                 kind_name(v.kind) + " (list it in `drop` to leave it out)");
      }
      Column c{f, v.kind, scalar_dtype(v.kind), {}, {}, {}, {}};
      if (v.kind == SLUICE_KIND_TENSOR) {
        Tensor t = Tensor::borrow(v.tensor);
        if (!t.on_cpu()) {
          return Status::BadRecord(std::string("field '") + f.name() +
                                   "': expected a tensor in CPU memory, found one on a device");
        }
        c.dtype = t.dtype();
        c.shape = t.shape();
        if (pad_) {
          Expected<std::string> fill = element_bytes(c.dtype, pad_value_);
          if (!fill.ok()) {
            return Status::Invalid(std::string("param 'pad_value' for field '") + f.name() +
                                   "': " + fill.status().message());
          }
          c.fill = std::move(*fill);
        }
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  Status check_like_first(const Record& record) const {
    sluice_value_view v;
    size_t kept = 0;
    for (size_t i = 0; i < record.size(); ++i) {
      Field f = record.field_at(i, &v);
      if (dropped(f)) continue;
      ++kept;
      auto c = std::find_if(columns_.begin(), columns_.end(),
                            [&](const Column& col) { return col.field == f; });
      if (c == columns_.end()) {
        return Status::BadRecord(std::string("field '") + f.name() +
                                 "': expected only the fields of the batch's first record, "
                                 "found this one too");
      }
      SLUICE_RETURN_IF_ERROR(check_value(*c, v));
    }
    if (kept == columns_.size()) return {};
    for (const Column& c : columns_) {
      if (!record.has(c.field)) {
        return Status::BadRecord(std::string("field '") + c.field.name() +
                                 "': expected it like in the batch's first record, found no "
                                 "such field");
      }
    }
    return {};
  }

  Status check_value(const Column& c, const sluice_value_view& v) const {
    const std::string field = std::string("field '") + c.field.name() + "': expected ";
    if (v.kind != c.kind) {
      return Status::BadRecord(field + kind_name(c.kind) + " like the batch's first record, " +
                               "found " + kind_name(v.kind));
    }
    if (c.kind != SLUICE_KIND_TENSOR) return {};
    Tensor t = Tensor::borrow(v.tensor);
    std::vector<int64_t> shape = t.shape();
    const bool same_rest = shape.size() == c.shape.size() && !shape.empty() &&
                           std::equal(shape.begin() + 1, shape.end(), c.shape.begin() + 1);
    if (t.dtype() == c.dtype && t.on_cpu() && (shape == c.shape || (pad_ && same_rest))) return {};
    std::vector<int64_t> expected = c.shape;
    if (pad_ && !expected.empty()) expected[0] = -1;
    return Status::BadRecord(field + "a CPU tensor of dtype " + dtype_name(c.dtype) +
                             " and shape " + shape_text(expected) +
                             " like the batch's first record, found " +
                             (t.on_cpu() ? "dtype " : "a device tensor of dtype ") +
                             dtype_name(t.dtype()) + " and shape " + shape_text(shape) +
                             (pad_ || shape.size() != c.shape.size() || !same_rest
                                  ? ""
                                  : " (`pad: true` pads the first dimension)"));
  }

  Expected<Tensor> stack(const Column& c) const {
    std::vector<int64_t> shape = c.shape;
    if (pad_ && !shape.empty()) {
      for (const Tensor& t : c.tensors) shape[0] = std::max(shape[0], t.dim(0));
    }
    shape.insert(shape.begin(), count_);
    Expected<Tensor> out = Tensor::zeros(c.dtype, shape);
    if (!out.ok()) return out;
    std::vector<std::string_view> items;
    for (const Tensor& t : c.tensors) items.emplace_back(static_cast<const char*>(t.data()), t.nbytes());
    const size_t slot = out->nbytes() / static_cast<size_t>(count_);
    stack_padded(items, slot, c.fill, static_cast<char*>(out->data()));
    return out;
  }

  Status emit_batch(Emitter& out) {
    OwnedRecord batch;
    for (const Column& c : columns_) {
      Expected<Tensor> t = c.kind == SLUICE_KIND_TENSOR
                               ? stack(c)
                               : Tensor::zeros(c.dtype, std::vector<int64_t>{count_});
      if (!t.ok()) return t.status();
      if (c.kind != SLUICE_KIND_TENSOR) std::memcpy(t->data(), c.scalars.data(), c.scalars.size());
      batch.set_tensor(c.field, *t);
    }
    batch.set_position(position_);
    columns_.clear();
    count_ = 0;
    return out.emit(std::move(batch));
  }

  int64_t batch_size_ = 1;
  bool drop_last_ = false;
  bool pad_ = false;
  double pad_value_ = 0;
  std::vector<Field> drop_;
  std::vector<Column> columns_;
  int64_t count_ = 0;
  int64_t position_ = 0;
};

}  // namespace

void add_batch(PluginBuilder& plugin) { plugin.op<Batch>(); }

}  // namespace sluice::core
