// sluice C++ SDK: op and resource base classes, and the node context they see.
//
// An op is a class with
//   static OpSchema schema();                               // what the op is, as data
//   Status open(Context& ctx, const Params& params);        // once per run, before records
//   Status process(Record& record, Emitter& out);           // each record (non-sources)
//   Status produce(Emitter& out, bool& done);               // sources: a few records per call
//   Status close(Emitter& out);                             // end of stream; may emit
// and optionally
//   static Status check(const Params& params);              // extra load-time param checks
//   static Status infer_fields(const Params&, const Context&, FieldSet& fields);
//
// process() of an op without .stateful() in its schema is called from several threads at once on
// one instance: keep it free of unsynchronised writes to members. A record passed to process() is
// passed on only if the op emits it (MapOp does that for you); not emitting it filters it out.
// Returning a non-OK Status rejects the record (BAD_RECORD for bad data) or, under the node's
// `on_error: fail`, stops the run. Exceptions are caught at the boundary and become INTERNAL
// errors, except sluice::Error, which keeps its status.
#ifndef SLUICE_OP_HPP_
#define SLUICE_OP_HPP_

#include <sluice/params.hpp>
#include <sluice/record.hpp>
#include <sluice/schema.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

// The run as a node sees it. Valid from open() until the op is destroyed.
class Context {
 public:
  explicit Context(sluice_node_context* c) : c_(c) {}
  sluice_node_context* raw() const { return c_; }

  std::string_view node_id() const { return host().node_id(c_); }
  // The field a port is bound to in this node (the port's own name unless rebound).
  Field port(const char* name) const { return Field(host().node_port_field(c_, name)); }
  // Run seed mixed with the node id: the seed for a stateful op's own generator.
  uint64_t seed() const { return host().node_seed(c_); }
  int threads() const { return host().node_threads(c_); }
  std::string run_dir() const { return host().node_run_dir(c_); }
  // `path` resolved against the run directory (absolute paths unchanged).
  std::string output_path(const std::string& path) const {
    return host().node_output_path(c_, path.c_str());
  }
  // The pipeline resource named `name`, which must be of type R::kType.
  template <class R>
  Expected<R*> resource(const std::string& name) const {
    void* p = nullptr;
    Status s = from_c(host().node_resource(c_, name.c_str(), R::kType, &p));
    if (!s.ok()) return s;
    return static_cast<R*>(p);
  }
  void metric(const std::string& name, double value) const {
    host().node_metric(c_, name.c_str(), value);
  }
  void log(sluice_log_level level, const std::string& message) const {
    host().node_log(c_, level, message.c_str());
  }
  bool cancelled() const { return host().node_cancelled(c_) != 0; }
  // Whether this run continues an earlier one in its run directory (sluice run --resume), so an
  // op that checkpoints restores its state. False on a host older than ABI 1.1.
  bool resuming() const {
    const sluice_host& h = host();
    const size_t needed = offsetof(sluice_host, node_resuming) + sizeof(h.node_resuming);
    return h.struct_size >= needed && h.node_resuming != nullptr && h.node_resuming(c_) != 0;
  }
  // For a source about to return Status::BadRecord: where the rejected input is.
  void reject_position(int64_t position) const { host().node_reject_position(c_, position); }

 private:
  sluice_node_context* c_;
};

// Field names and kinds known at a point of the pipeline (load-time checks).
class FieldSet {
 public:
  explicit FieldSet(sluice_field_set* s) : s_(s) {}
  size_t size() const { return host().field_set_size(s_); }
  Field at(size_t i, sluice_kind* kind) const {
    sluice_field f = 0;
    host().field_set_at(s_, i, &f, kind);
    return Field(f);
  }
  bool has(Field f) const {
    sluice_kind k;
    return host().field_set_find(s_, f.id(), &k) != 0;
  }
  void put(Field f, sluice_kind kind) { host().field_set_put(s_, f.id(), kind); }
  void remove(Field f) { host().field_set_remove(s_, f.id()); }
  void clear() { host().field_set_clear(s_); }
  // Marks the set as possibly holding fields not listed (sources whose fields come from data).
  void set_open(bool open) { host().field_set_set_open(s_, open ? 1 : 0); }
  bool is_open() const { return host().field_set_is_open(s_) != 0; }

 private:
  sluice_field_set* s_;
};

class Op {
 public:
  virtual ~Op() = default;
  virtual Status open(Context& ctx, const Params& params) {
    (void)ctx;
    (void)params;
    return Status();
  }
  virtual Status process(Record& record, Emitter& out) {
    (void)record;
    (void)out;
    return Status::Unsupported("this op takes no input records");
  }
  virtual Status close(Emitter& out) {
    (void)out;
    return Status();
  }
};

// A one-record-in, one-record-out op: change the record in map(); it is passed on when map()
// returns OK.
class MapOp : public Op {
 public:
  virtual Status map(Record& record) = 0;
  Status process(Record& record, Emitter& out) final {
    SLUICE_RETURN_IF_ERROR(map(record));
    return out.emit(record);
  }
};

class Source : public Op {
 public:
  virtual Status produce(Emitter& out, bool& done) = 0;
  // Records this source will produce, or -1 when unknown.
  virtual int64_t size_hint() const { return -1; }

  // Set by the SDK before each produce call.
  void bind_context(sluice_node_context* ctx) { ctx_ = ctx; }

 protected:
  // From produce: rejects the input at `position` (e.g. its line number) with `message`, which
  // names it and says what was expected and found. Return the result from produce.
  Status reject(int64_t position, const std::string& message) const {
    if (ctx_ != nullptr) host().node_reject_position(ctx_, position);
    return Status::BadRecord(message);
  }

 private:
  sluice_node_context* ctx_ = nullptr;
};

class Resource {
 public:
  virtual ~Resource() = default;
  virtual Status open(const Params& params) {
    (void)params;
    return Status();
  }
};

}  // namespace sluice

#endif  // SLUICE_OP_HPP_
