// One node of a running stage: its op, its node context and its op instance. create() and
// destroy() bracket the stage; between them the executor calls the op through the call_*
// helpers, which turn a returned status or an escaping exception into a Status.
#pragma once

#include "engine/config/pipeline.h"
#include "engine/exec/run_context.h"
#include "engine/runtime/host.h"
#include "engine/runtime/node_context.h"

#include <sluice/plugin.h>
#include <sluice/status.hpp>

#include <memory>
#include <string>

namespace sluice {

class NodeInstance {
 public:
  NodeInstance(const NodeDecl& decl, RunContext& run);
  ~NodeInstance();  // destroys the op instance if created
  NodeInstance(const NodeInstance&) = delete;
  NodeInstance& operator=(const NodeInstance&) = delete;

  // Calls the op's create; fails when the op lacks a callback it needs, saying which.
  Status create();
  // Calls the op's destroy once, if create succeeded.
  void destroy();

  // Inline: it runs once per record and node.
  Status call_process(sluice_record* record, sluice_emitter* out) {
    return guarded([&] { return def_->process(instance_, ctx_.get(), record, out); });
  }
  Status call_produce(sluice_emitter* out, bool* done);
  Status call_finish(sluice_emitter* out);  // OK when the op has no finish
  int64_t size_hint();                      // -1 when unknown
  // Where the source said its last rejected input is, or `fallback` when it did not say.
  int64_t take_reject_position(int64_t fallback) { return ctx_->take_reject_position(fallback); }

  const std::string& id() const { return decl_.id; }
  const std::string& op() const { return decl_.op; }
  bool regroup() const { return (def_->flags & SLUICE_OP_REGROUP) != 0; }
  bool skip_errors() const { return decl_.on_error == OnError::kSkip; }

 private:
  // Runs a plugin callback returning a C status. Exceptions (which a C ABI op must not throw, but
  // a C++ one built without the SDK might) become INTERNAL errors.
  template <class F>
  static Status guarded(F&& call) {
    sluice_status s = nullptr;
    try {
      s = call();
    } catch (...) {
      return current_exception_status();
    }
    return s == nullptr ? Status() : take_status(s);
  }
  // The status for the exception being handled; call it inside a catch block.
  static Status current_exception_status();

  const NodeDecl& decl_;
  const sluice_op_def* def_;
  std::unique_ptr<sluice_node_context_s> ctx_;
  void* instance_ = nullptr;
  bool created_ = false;
};

}  // namespace sluice
