#include "engine/exec/node_instance.h"

#include "engine/exec/seeds.h"
#include "engine/runtime/fields.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace sluice {

Status NodeInstance::current_exception_status() {
  try {
    throw;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("expected no exception from the op, found: ") + e.what());
  } catch (...) {
    return Status::Internal("expected no exception from the op, found one of unknown type");
  }
}

NodeInstance::NodeInstance(const NodeDecl& decl, RunContext& run)
    : decl_(decl), def_(decl.op_info->def), ctx_(std::make_unique<sluice_node_context_s>()) {
  ctx_->node_id = decl.id;
  ctx_->op_name = decl.op;
  // A port bound on both sides (an op reading and writing `text`) takes its input binding.
  for (const auto* bindings : {&decl.input_bindings, &decl.output_bindings}) {
    for (const auto& [port, field] : *bindings)
      ctx_->port_fields.emplace(port, intern_field(field));
  }
  ctx_->seed = node_seed(run.options.seed, decl.id);
  ctx_->threads = run.threads;
  ctx_->run_dir = run.options.run_dir;
  ctx_->resuming = run.options.resume;
  ctx_->resources = &run.resources;
  ctx_->metrics = &run.metrics;
  ctx_->cancelled = &run.cancelled;
}

NodeInstance::~NodeInstance() { destroy(); }

Status NodeInstance::create() {
  bool source = (def_->flags & SLUICE_OP_SOURCE) != 0;
  if (def_->create == nullptr || def_->destroy == nullptr) {
    return Status::Invalid("expected create and destroy callbacks, found NULL");
  }
  if (source ? def_->produce == nullptr : def_->process == nullptr) {
    return Status::Invalid(std::string("expected a ") + (source ? "produce" : "process") +
                           " callback, found NULL");
  }
  void* instance = nullptr;
  Status s =
      guarded([&] { return def_->create(engine_host(), &decl_.resolved, ctx_.get(), &instance); });
  if (!s.ok()) return Status(s.code(), "create: " + s.message());
  instance_ = instance;
  created_ = true;
  return Status();
}

void NodeInstance::destroy() {
  if (!created_) return;
  created_ = false;
  try {
    def_->destroy(instance_);
  } catch (...) {  // destroy runs on every path, failed runs included: log, do not fail
    spdlog::error("node '{}' (op {}): destroy: expected no exception, found one", decl_.id,
                  decl_.op);
  }
}

Status NodeInstance::call_produce(sluice_emitter* out, bool* done) {
  int d = 0;
  Status s = guarded([&] { return def_->produce(instance_, ctx_.get(), out, &d); });
  *done = d != 0;
  return s;
}

Status NodeInstance::call_finish(sluice_emitter* out) {
  if (def_->finish == nullptr) return Status();
  Status s = guarded([&] { return def_->finish(instance_, ctx_.get(), out); });
  if (!s.ok()) return Status(s.code(), "finish: " + s.message());
  return s;
}

int64_t NodeInstance::size_hint() {
  if (def_->size_hint == nullptr) return -1;
  try {
    return def_->size_hint(instance_);
  } catch (...) {
    return -1;
  }
}

}  // namespace sluice
