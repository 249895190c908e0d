#include "engine/exec/stage_graph.h"

#include "engine/exec/handover.h"
#include "engine/exec/node_step.h"
#include "engine/exec/packet.h"
#include "engine/exec/seeds.h"

#include <chrono>
#include <exception>
#include <string>

namespace sluice {
namespace {

using Clock = std::chrono::steady_clock;
using Receiver = tbb::flow::receiver<PacketPtr>;

int64_t nanoseconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

// Runs a graph node's body; an escaping exception fails the stage instead of reaching TBB.
template <class F>
void guarded_body(StageContext& sc, F&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    sc.fail(-1,
            Status::Internal(std::string("executor: expected no exception, found: ") + e.what()));
  } catch (...) {
    sc.fail(-1, Status::Internal("executor: expected no exception, found one of unknown type"));
  }
}

}  // namespace

class StageGraph::SourceRunner {
 public:
  SourceRunner(StageContext& sc, const SourcePlan& plan, tbb::flow::graph& g)
      : sc_(sc),
        plan_(plan),
        input_(g, [this](tbb::flow_control& fc) { return next(fc); }),
        limiter_(g, static_cast<size_t>(sc.run.max_in_flight)) {
    cursor_.node = plan.node;
    cursor_.seed = node_seed(sc.run.options.seed, sc.nodes[plan.node]->id());
    progress.size_hint = sc.nodes[plan.node]->size_hint();
    cursor_.max_records = packet_records(progress.size_hint, sc.run.threads);
    tbb::flow::make_edge(input_, limiter_);
  }

  void connect(Receiver& entry) { tbb::flow::make_edge(limiter_, entry); }
  void start() {
    handover_release(this);
    input_.activate();
  }

  // A leaf of the tree is done with `p`.
  void release(const Packet& p) {
    if (p.leaves_left && p.leaves_left->fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    limiter_.decrementer().try_put(tbb::flow::continue_msg());
  }

  SourceProgress progress;

 private:
  // input_node calls this one call at a time, maybe each time on another thread.
  PacketPtr next(tbb::flow_control& fc) {
    handover_acquire(this);
    PacketPtr p;
    guarded_body(sc_, [&] {
      if (cursor_.done || sc_.cancelled()) return;
      auto packet = std::make_shared<Packet>();
      packet->seq = seq_++;
      if (plan_.leaves > 1) packet->leaves_left = std::make_shared<std::atomic<int>>(plan_.leaves);
      NodeStats& stats = sc_.local_stats()[plan_.node];
      Clock::time_point start = Clock::now();
      bool ok = produce_packet(sc_, cursor_, *packet, stats);
      Clock::time_point end = Clock::now();
      stats.busy_ns += nanoseconds(start, end);
      sc_.run.trace.record(sc_.trace_ids[plan_.node], start, end);
      progress.records.store(cursor_.next, std::memory_order_relaxed);
      if (ok) p = std::move(packet);
    });
    handover_release(this);
    if (!p) {
      fc.stop();
      return p;
    }
    handover_release(p.get());
    return p;
  }

  StageContext& sc_;
  const SourcePlan& plan_;
  SourceCursor cursor_;
  int64_t seq_ = 0;
  tbb::flow::input_node<PacketPtr> input_;
  tbb::flow::limiter_node<PacketPtr> limiter_;
};

class StageGraph::SegmentRunner {
 public:
  SegmentRunner(StageContext& sc, const Segment& seg, tbb::flow::graph& g, SourceRunner& source)
      : sc_(sc),
        seg_(seg),
        source_(source),
        // The packet handle is taken by value: TBB copies it out of its own task or buffer, so
        // the executor never reads TBB's storage, whose hand-over between threads happens inside
        // libtbb (see the ThreadSanitizer notes in tests/engine/exec/tsan_suppressions.cc).
        node_(g, seg.serial ? tbb::flow::serial : tbb::flow::unlimited, [this](PacketPtr p) {
          guarded_body(sc_, [&] { on_packet(p); });
          return tbb::flow::continue_msg();
        }) {
    if (seg.serial) {
      sequencer_ = std::make_unique<tbb::flow::sequencer_node<PacketPtr>>(
          g, [](const PacketPtr& p) { return static_cast<size_t>(p->seq); });
      tbb::flow::make_edge(*sequencer_, node_);
    }
  }

  Receiver& entry() { return sequencer_ ? static_cast<Receiver&>(*sequencer_) : node_; }
  void add_child(SegmentRunner* child) { children_.push_back(child); }

 private:
  void on_packet(const PacketPtr& p) {
    handover_acquire(p.get());
    if (sc_.cancelled()) return;
    if (seg_.serial) {  // one call at a time, maybe each time on another thread
      handover_acquire(this);
      run(p);
      handover_release(this);
      return;
    }
    if (seg_.nodes.empty()) {
      run(p);
      return;
    }
    // Unordered: the end packet waits until every earlier packet is through (balance back to 0).
    if (p->end) {
      end_ = p;
      if (end_balance_.fetch_sub(p->seq, std::memory_order_acq_rel) == p->seq) run(take_end());
      return;
    }
    if (!run(p)) return;
    if (end_balance_.fetch_add(1, std::memory_order_acq_rel) == -1) run(take_end());
  }

  PacketPtr take_end() { return std::move(end_); }

  // Runs the segment's nodes over `p` and hands it on; false when the stage failed.
  bool run(const PacketPtr& p) {
    if (!seg_.nodes.empty()) {
      StageStats& stats = sc_.local_stats();
      std::vector<RecordPtr> spare;
      Clock::time_point start = Clock::now();
      for (int node : seg_.nodes) {
        bool ok = run_node(sc_, node, seg_.source, *p, spare, stats[node]);
        Clock::time_point end = Clock::now();
        stats[node].busy_ns += nanoseconds(start, end);
        sc_.run.trace.record(sc_.trace_ids[node], start, end);
        if (!ok) return false;
        start = end;
      }
    }
    forward(p);
    return true;
  }

  void forward(const PacketPtr& p) {
    if (children_.empty()) {
      p->records.clear();  // free them before the source may make more
      source_.release(*p);
      return;
    }
    // Copies first: the first child gets `p` itself and may change it as soon as it has it.
    for (size_t i = 1; i < children_.size(); ++i) {
      auto copy = std::make_shared<Packet>();
      copy->seq = p->seq;
      copy->end = p->end;
      copy->leaves_left = p->leaves_left;
      copy->records.reserve(p->records.size());
      for (const RecordPtr& r : p->records) {
        copy->records.push_back(std::make_unique<sluice_record_s>(*r));
      }
      put(*children_[i], copy);
    }
    put(*children_[0], p);
  }

  void put(SegmentRunner& child, const PacketPtr& p) {
    handover_release(p.get());
    if (!child.entry().try_put(p)) {
      sc_.fail(-1, Status::Internal("executor: expected the next graph node to accept packet " +
                                    std::to_string(p->seq) + ", found it refused"));
    }
  }

  StageContext& sc_;
  const Segment& seg_;
  SourceRunner& source_;
  tbb::flow::function_node<PacketPtr, tbb::flow::continue_msg> node_;
  std::unique_ptr<tbb::flow::sequencer_node<PacketPtr>> sequencer_;
  std::vector<SegmentRunner*> children_;
  // Parallel segments: packets done minus the end packet's seq once it has arrived.
  std::atomic<int64_t> end_balance_{0};
  PacketPtr end_;
};

StageGraph::StageGraph(StageContext& sc, const StagePlan& plan) : sc_(sc) {
  std::vector<SourceRunner*> by_node(sc.nodes.size(), nullptr);
  for (const SourcePlan& sp : plan.sources) {
    sources_.push_back(std::make_unique<SourceRunner>(sc, sp, graph_));
    by_node[sp.node] = sources_.back().get();
  }
  for (const Segment& seg : plan.segments) {
    segments_.push_back(std::make_unique<SegmentRunner>(sc, seg, graph_, *by_node[seg.source]));
  }
  for (size_t i = 0; i < plan.segments.size(); ++i) {
    for (int child : plan.segments[i].children) segments_[i]->add_child(segments_[child].get());
  }
  for (size_t i = 0; i < plan.sources.size(); ++i) {
    sources_[i]->connect(segments_[plan.sources[i].entry]->entry());
  }
}

StageGraph::~StageGraph() = default;

void StageGraph::run() {
  sc_.set_graph(&graph_);
  for (auto& s : sources_) s->start();
  graph_.wait_for_all();
  handover_acquire_graph(graph_);
  sc_.set_graph(nullptr);
}

std::vector<const SourceProgress*> StageGraph::progress() const {
  std::vector<const SourceProgress*> out;
  for (const auto& s : sources_) out.push_back(&s->progress);
  return out;
}

}  // namespace sluice
