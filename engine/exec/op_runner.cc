#include "engine/exec/op_runner.h"

#include "engine/config/diagnostics.h"
#include "engine/config/pipeline.h"
#include "engine/exec/collecting_emitter.h"
#include "engine/exec/seeds.h"
#include "engine/runtime/host.h"
#include "engine/runtime/node_context.h"
#include "engine/runtime/params.h"
#include "engine/runtime/record.h"

#include "common/json_record.h"

#include <sluice/record.hpp>

#include <atomic>
#include <utility>

namespace sluice {
namespace {

// Calls a plugin callback that returns a C status; an exception escaping it becomes INTERNAL.
template <class F>
Status call(F&& f) {
  try {
    return take_status(f());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("an exception escaped across the C ABI: ") + e.what());
  } catch (...) {
    return Status::Internal("an exception of unknown type escaped across the C ABI");
  }
}

Status prefixed(const std::string& prefix, const Status& s) {
  return s.ok() ? s : Status(s.code(), prefix + ": " + s.message());
}

SourceLoc loc_of(const YAML::Mark& m) { return {m.line + 1, m.column + 1}; }

// `yaml` (a map) checked against a param schema, with defaults applied; `what` names the owner.
Expected<ParamTree> resolve_yaml(const sluice_param_def* const* defs, size_t count,
                                 const std::string& yaml, const std::string& what) {
  YAML::Node node;
  try {
    node = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Status::Invalid(what + " params: expected a YAML map, found invalid YAML: " + e.msg);
  }
  if (!node.IsNull() && !node.IsMap()) {
    return Status::Invalid(what + " params: expected a YAML map, found " +
                           (node.IsSequence() ? "a sequence" : "'" + yaml + "'"));
  }
  std::vector<std::pair<std::string, ParamDecl>> given;
  for (const auto& kv : node) {
    given.emplace_back(kv.first.Scalar(),
                       ParamDecl{kv.second, loc_of(kv.second.Mark()), loc_of(kv.first.Mark())});
  }
  Diagnostics diags("<params>");
  ParamTree tree = resolve_params(defs, count, given, what, SourceLoc{1, 1}, diags);
  if (!diags.has_errors()) return tree;
  std::string errors;
  for (const Diagnostic& d : diags.items()) {
    if (d.severity != Diagnostic::Severity::kError) continue;
    if (!errors.empty()) errors += "; ";
    errors += d.message;
  }
  return Status::Invalid(errors);
}

// The op's params, resolved and passed through its own check.
Expected<ParamTree> resolve_op(const Registry& registry, const std::string& op,
                               const std::string& yaml) {
  const OpInfo* info = registry.find_op(op);
  if (info == nullptr) {
    return Status::NotFound("unknown op '" + op + "'" + did_you_mean(op, registry.op_names()));
  }
  const sluice_op_def& def = *info->def;
  std::string what = "op '" + op + "'";
  Expected<ParamTree> params = resolve_yaml(def.params, def.param_count, yaml, what);
  if (!params.ok() || def.check == nullptr) return params;
  Status checked = call([&] { return def.check(engine_host(), &*params); });
  if (!checked.ok()) return prefixed(what, checked);
  return params;
}

// One create..destroy cycle of an op, with what it emits written to `result` as JSON lines.
class OpSession {
 public:
  OpSession(const sluice_op_def& def, sluice_node_context_s& ctx, OpRunResult& result)
      : def_(def), ctx_(ctx), result_(result), what_("op '" + ctx.op_name + "'"), out_(&emitted_) {}
  OpSession(const OpSession&) = delete;
  OpSession& operator=(const OpSession&) = delete;
  ~OpSession() {
    if (!created_) return;
    try {
      def_.destroy(instance_);
    } catch (...) {
      fail(Status::Internal("an exception escaped across the C ABI"), "destroy");
    }
  }

  // False (with the error in the result) when create fails.
  bool create(const ParamTree& params) {
    Status s = call([&] { return def_.create(engine_host(), &params, &ctx_, &instance_); });
    created_ = s.ok();
    if (!created_) fail(s, "create");
    return created_;
  }

  // Calls produce until the source is done; BAD_RECORD rejects one record, other errors stop it.
  void produce_all() {
    for (int done = 0; !done;) {
      out_.expect_input(nullptr);
      Status s = call([&] { return def_.produce(instance_, &ctx_, &out_, &done); });
      drain();
      if (s.ok()) continue;
      if (s.code() != SLUICE_BAD_RECORD) {
        fail(s, "produce");
        return;
      }
      reject(result_.outputs.size(), s);
    }
  }

  // Passes each input to process; a record the op does not emit is freed here.
  void process_each(std::vector<RecordPtr>& inputs) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      RecordPtr input = std::move(inputs[i]);
      out_.expect_input(input.get());
      Status s = call([&] { return def_.process(instance_, &ctx_, input.get(), &out_); });
      if (out_.input_emitted()) (void)input.release();  // `emitted_` owns it now
      drain();
      if (!s.ok()) reject(i, s);
    }
  }

  // End of stream, unless the run already failed.
  void finish() {
    if (!result_.error.ok() || def_.finish == nullptr) return;
    out_.expect_input(nullptr);
    Status s = call([&] { return def_.finish(instance_, &ctx_, &out_); });
    drain();
    if (!s.ok()) fail(s, "finish");
  }

 private:
  void drain() {
    for (const RecordPtr& r : emitted_) result_.outputs.push_back(record_to_json(Record(r.get())));
    emitted_.clear();
  }
  void reject(size_t index, const Status& s) {
    result_.rejected.push_back(std::to_string(index) + ": " + s.message());
  }
  void fail(const Status& s, const char* stage) {
    if (result_.error.ok()) result_.error = prefixed(what_ + " " + stage, s);
  }

  const sluice_op_def& def_;
  sluice_node_context_s& ctx_;
  OpRunResult& result_;
  std::string what_;
  std::vector<RecordPtr> emitted_;
  CollectingEmitter out_;
  void* instance_ = nullptr;
  bool created_ = false;
};

}  // namespace

OpRunner::OpRunner(const Registry& registry, const std::string& op, const std::string& params_yaml)
    : registry_(registry), op_(op), params_yaml_(params_yaml) {
  engine_host();
  status_ = resolve_op(registry_, op_, params_yaml_).status();
}

OpRunner::~OpRunner() = default;

Status OpRunner::add_resource(const std::string& name, const std::string& type,
                              const std::string& params_yaml) {
  const ResourceTypeInfo* info = registry_.find_resource_type(type);
  if (info == nullptr) {
    return Status::NotFound("unknown resource type '" + type + "'" +
                            did_you_mean(type, registry_.resource_type_names()));
  }
  const sluice_resource_def& def = *info->def;
  std::string what = "resource '" + name + "' (" + type + ")";
  Expected<ParamTree> params = resolve_yaml(def.params, def.param_count, params_yaml, what);
  if (!params.ok()) return params.status();
  if (def.check != nullptr) {
    Status checked = call([&] { return def.check(engine_host(), &*params); });
    if (!checked.ok()) return prefixed(what, checked);
  }
  if (!resources_) resources_ = std::make_unique<ResourceTable>();
  return resources_->create(name, &def, &*params);
}

OpRunResult OpRunner::process_all(const std::vector<std::string>& input_json_lines) {
  OpRunResult result;
  Expected<ParamTree> params = resolve_op(registry_, op_, params_yaml_);
  if (!params.ok()) {
    result.error = params.status();
    return result;
  }
  const sluice_op_def& def = *registry_.find_op(op_)->def;
  bool source = (def.flags & SLUICE_OP_SOURCE) != 0;
  if (source && !input_json_lines.empty()) {
    result.error =
        Status::Invalid("op '" + op_ + "' is a source: expected no input records, found " +
                        std::to_string(input_json_lines.size()));
    return result;
  }
  if (!resources_) resources_ = std::make_unique<ResourceTable>();
  MetricSink metrics;
  std::atomic<bool> cancelled{false};
  sluice_node_context_s ctx;
  ctx.node_id = op_;
  ctx.op_name = op_;
  ctx.seed = node_seed(seed_, op_);
  ctx.run_dir = run_dir_;
  ctx.resources = resources_.get();
  ctx.metrics = &metrics;
  ctx.cancelled = &cancelled;

  std::vector<RecordPtr> inputs;
  for (size_t i = 0; i < input_json_lines.size(); ++i) {
    RecordPtr r = std::make_unique<sluice_record_s>();
    r->seed = record_seed(ctx.seed, static_cast<int64_t>(i));
    r->position = static_cast<int64_t>(i);
    Record view(r.get());
    Status s = record_from_json(input_json_lines[i], view);
    if (!s.ok()) {
      result.error = Status::Invalid("input record " + std::to_string(i) + ": " + s.message());
      return result;
    }
    inputs.push_back(std::move(r));
  }

  OpSession session(def, ctx, result);
  if (!session.create(*params)) return result;
  if (source) {
    session.produce_all();
  } else {
    session.process_each(inputs);
  }
  session.finish();
  return result;
}

}  // namespace sluice
