// core.unbatch: splits batch records back into one record per row.
#include "core/ops.h"
#include "float16.h"

#include <cstring>
#include <vector>

namespace sluice::core {
namespace {

// Sets `f` to element i of the 1-D CPU tensor `t` as an int, float or bool field.
void set_element(Record& r, Field f, const Tensor& t, int64_t i) {
  const char* p = static_cast<const char*>(t.data()) + i * static_cast<int64_t>(dtype_size(t.dtype()));
  auto load = [p](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (t.dtype()) {
    case SLUICE_DTYPE_BOOL: return r.set_bool(f, load(uint8_t{}) != 0);
    case SLUICE_DTYPE_UINT8: return r.set_int(f, load(uint8_t{}));
    case SLUICE_DTYPE_INT8: return r.set_int(f, load(int8_t{}));
    case SLUICE_DTYPE_UINT16: return r.set_int(f, load(uint16_t{}));
    case SLUICE_DTYPE_INT16: return r.set_int(f, load(int16_t{}));
    case SLUICE_DTYPE_INT32: return r.set_int(f, load(int32_t{}));
    case SLUICE_DTYPE_INT64: return r.set_int(f, load(int64_t{}));
    case SLUICE_DTYPE_FLOAT16: return r.set_float(f, float16_to_float(load(uint16_t{})));
    case SLUICE_DTYPE_BFLOAT16: return r.set_float(f, bfloat16_to_float(load(uint16_t{})));
    case SLUICE_DTYPE_FLOAT32: return r.set_float(f, load(float{}));
    case SLUICE_DTYPE_FLOAT64: return r.set_float(f, load(double{}));
    case SLUICE_DTYPE_ANY: return;
  }
}

// Row i of the CPU tensor `t` (shape (B, *S)) as a new tensor of shape S.
Expected<Tensor> row_of(const Tensor& t, int64_t i) {
  std::vector<int64_t> shape = t.shape();
  shape.erase(shape.begin());
  Expected<Tensor> row = Tensor::zeros(t.dtype(), shape);
  if (!row.ok() || row->nbytes() == 0) return row;
  std::memcpy(row->data(), static_cast<const char*>(t.data()) + i * row->nbytes(), row->nbytes());
  return row;
}

class Unbatch : public Op {
 public:
  static OpSchema schema() {
    return OpSchema("core.unbatch")
        .doc("Splits each batch record into one record per row: every tensor field of shape "
             "(B, *S) gives each of the B records its row, of shape S; a 1-D tensor gives an int, "
             "float or bool field (so core.batch then core.unbatch gives the records back, "
             "except that padding stays). Other fields are copied to every record. All tensor "
             "fields must have the same first dimension; a record where they differ, or with a "
             "0-d or device tensor, is rejected, naming the field.")
        .regroup();
  }

  static Status infer_fields(const Params&, const Context&, FieldSet& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      sluice_kind kind = SLUICE_KIND_ANY;
      Field f = fields.at(i, &kind);
      // A tensor may come out as a scalar (from 1-D) or a tensor: its kind is known at run time.
      if (kind == SLUICE_KIND_TENSOR) fields.put(f, SLUICE_KIND_ANY);
    }
    return {};
  }

  // Called from several threads at once: no members.
  Status process(Record& record, Emitter& out) override {
    std::vector<std::pair<Field, Tensor>> tensors;
    int64_t rows = -1;
    Field first;
    sluice_value_view v;
    for (size_t i = 0; i < record.size(); ++i) {
      Field f = record.field_at(i, &v);
      if (v.kind != SLUICE_KIND_TENSOR) continue;
      Tensor t = Tensor::borrow(v.tensor);
      if (t.ndim() == 0 || !t.on_cpu()) {
        return Status::BadRecord(std::string("field '") + f.name() +
                                 "': expected a CPU tensor with a batch dimension, found " +
                                 (t.on_cpu() ? "a 0-d tensor" : "a device tensor"));
      }
      if (rows < 0) {
        rows = t.dim(0);
        first = f;
      } else if (t.dim(0) != rows) {
        return Status::BadRecord(std::string("field '") + f.name() + "': expected " +
                                 std::to_string(rows) + " rows like field '" + first.name() +
                                 "', found " + std::to_string(t.dim(0)));
      }
      tensors.emplace_back(f, std::move(t));
    }
    if (tensors.empty()) {
      return Status::BadRecord("expected a batch record with tensor fields, found none");
    }
    for (int64_t r = 0; r < rows; ++r) {
      OwnedRecord row(record);
      for (const auto& [f, t] : tensors) {
        if (t.ndim() == 1) {
          set_element(row, f, t, r);
          continue;
        }
        Expected<Tensor> slice = row_of(t, r);
        if (!slice.ok()) return slice.status();
        row.set_tensor(f, *slice);
      }
      SLUICE_RETURN_IF_ERROR(out.emit(std::move(row)));
    }
    return {};
  }
};

}  // namespace

void add_unbatch(PluginBuilder& plugin) { plugin.op<Unbatch>(); }

}  // namespace sluice::core
