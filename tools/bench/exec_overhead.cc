// bench_exec_overhead: what the executor costs per record and op. Runs, in one process, the same
// work two ways: a sluice pipeline (bench.count -> 8 x bench.inc, each adding 1 to an int field)
// and two hand-written oneTBB flow graphs (input_node -> 8 function_nodes doing the same): one
// passing single records, one passing vectors of records as large as sluice's packets. Same
// record count and threads; prints the median nanoseconds per record per op of each and the
// ratios.
//
//   bench_exec_overhead [--records N] [--threads T] [--reps R]
#include "engine/config/pipeline.h"
#include "engine/exec/node_step.h"
#include "engine/exec/executor.h"
#include "engine/plugin/registry.h"

#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kOps = 8;

struct Args {
  int64_t records = 1'000'000;
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  int reps = 5;
};

bool parse_args(int argc, char** argv, Args* a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    long long v = std::atoll(argv[i + 1]);
    if (v <= 0) return false;
    if (std::strcmp(argv[i], "--records") == 0) {
      a->records = v;
    } else if (std::strcmp(argv[i], "--threads") == 0) {
      a->threads = static_cast<int>(v);
    } else if (std::strcmp(argv[i], "--reps") == 0) {
      a->reps = static_cast<int>(v);
    } else {
      return false;
    }
  }
  return argc % 2 == 1;
}

double median_seconds(int reps, const std::function<void()>& run) {
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::string pipeline_yaml(int64_t records) {
  std::string yaml = "sluice: 1\nname: exec-overhead\nstages:\n  - name: main\n    nodes:\n";
  yaml += "      - {id: src, op: bench.count, params: {count: " + std::to_string(records) + "}}\n";
  for (int i = 0; i < kOps; ++i)
    yaml += "      - {id: inc" + std::to_string(i) + ", op: bench.inc}\n";
  return yaml;
}

// The same work as a oneTBB flow graph written by hand: a record is a small struct passed by
// value from node to node.
struct RawRecord {
  int64_t index = 0;
  int64_t v = 0;
};

// input_node -> kOps function_nodes applying `step` -> a sink node applying `sink`, run to the
// end in an arena of `threads` threads.
template <class Msg, class Produce, class Step, class Sink>
void run_chain(int threads, Produce produce, Step step, Sink sink) {
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::flow::graph g;
    tbb::flow::input_node<Msg> source(g, produce);
    std::vector<std::unique_ptr<tbb::flow::function_node<Msg, Msg>>> ops;
    for (int i = 0; i < kOps; ++i) {
      ops.push_back(
          std::make_unique<tbb::flow::function_node<Msg, Msg>>(g, tbb::flow::unlimited, step));
      if (i == 0) {
        tbb::flow::make_edge(source, *ops[0]);
      } else {
        tbb::flow::make_edge(*ops[i - 1], *ops[i]);
      }
    }
    tbb::flow::function_node<Msg> last(g, tbb::flow::unlimited, sink);
    tbb::flow::make_edge(*ops.back(), last);
    source.activate();
    g.wait_for_all();
  });
}

// One record per message.
int64_t run_raw_graph(int64_t records, int threads) {
  std::atomic<int64_t> sum{0};
  int64_t next = 0;
  run_chain<RawRecord>(
      threads,
      [&](tbb::flow_control& fc) {
        if (next == records) {
          fc.stop();
          return RawRecord{};
        }
        return RawRecord{next++, 0};
      },
      [](RawRecord r) {
        ++r.v;
        return r;
      },
      [&](const RawRecord& r) { sum.fetch_add(r.v, std::memory_order_relaxed); });
  return sum.load();
}

// Runs of up to kMaxPacketRecords records per message, as sluice's packets hold.
int64_t run_raw_batched_graph(int64_t records, int threads) {
  using Batch = std::shared_ptr<std::vector<RawRecord>>;
  const auto batch_size = static_cast<int64_t>(sluice::kMaxPacketRecords);
  std::atomic<int64_t> sum{0};
  int64_t next = 0;
  run_chain<Batch>(
      threads,
      [&](tbb::flow_control& fc) {
        if (next == records) {
          fc.stop();
          return Batch();
        }
        auto batch = std::make_shared<std::vector<RawRecord>>();
        const int64_t end = std::min(records, next + batch_size);
        batch->reserve(static_cast<size_t>(end - next));
        for (; next < end; ++next) batch->push_back(RawRecord{next, 0});
        return batch;
      },
      [](Batch b) {
        for (RawRecord& r : *b) ++r.v;
        return b;
      },
      [&](const Batch& b) {
        int64_t total = 0;
        for (const RawRecord& r : *b) total += r.v;
        sum.fetch_add(total, std::memory_order_relaxed);
      });
  return sum.load();
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse_args(argc, argv, &args) || args.threads <= 0) {
    std::fprintf(stderr, "usage: %s [--records N] [--threads T] [--reps R] (all positive)\n",
                 argv[0]);
    return 2;
  }
  sluice::Registry registry;
  if (sluice::Status s = registry.load_file(std::string(SLUICE_BENCH_PLUGIN_DIR) + "/bench.so");
      !s.ok()) {
    std::fprintf(stderr, "bench_exec_overhead: error: %s\n", s.message().c_str());
    return 1;
  }
  sluice::Diagnostics diags("exec-overhead.yaml");
  std::optional<sluice::Pipeline> p =
      sluice::load_pipeline_text(pipeline_yaml(args.records), diags.file(), {}, diags);
  if (p) sluice::validate_pipeline(*p, registry, diags);
  if (!p || diags.has_errors()) {
    std::fprintf(stderr, "bench_exec_overhead: invalid pipeline:\n%s\n", diags.format().c_str());
    return 1;
  }
  std::filesystem::path run_dir = std::filesystem::temp_directory_path() / "sluice-bench-run";
  std::filesystem::create_directories(run_dir);
  sluice::RunOptions options;
  options.threads = args.threads;
  options.run_dir = run_dir.string();
  options.progress = sluice::ProgressMode::kNone;

  // More threads than cores (to compare at a given count) needs TBB's permission, as in sluice.
  std::optional<tbb::global_control> allow_threads;
  if (args.threads > tbb::info::default_concurrency()) {
    allow_threads.emplace(tbb::global_control::max_allowed_parallelism,
                          static_cast<size_t>(args.threads));
  }
  bool ok = true;
  double sluice_s = median_seconds(args.reps, [&] {
    sluice::RunReport r = sluice::run_pipeline(*p, registry, options);
    if (r.status != "ok" || r.stages[0].nodes.back().records_out != args.records) {
      std::fprintf(stderr, "bench_exec_overhead: sluice run failed: %s\n", r.error.c_str());
      ok = false;
    }
  });
  double raw_s = median_seconds(args.reps, [&] {
    if (run_raw_graph(args.records, args.threads) != kOps * args.records) {
      std::fprintf(stderr, "bench_exec_overhead: the raw graph lost records\n");
      ok = false;
    }
  });
  double batched_s = median_seconds(args.reps, [&] {
    if (run_raw_batched_graph(args.records, args.threads) != kOps * args.records) {
      std::fprintf(stderr, "bench_exec_overhead: the batched raw graph lost records\n");
      ok = false;
    }
  });
  std::filesystem::remove_all(run_dir);
  if (!ok) return 1;

  double per = 1e9 / (static_cast<double>(args.records) * kOps);
  std::printf("records %lld, ops %d, threads %d, median of %d runs\n",
              static_cast<long long>(args.records), kOps, args.threads, args.reps);
  std::printf("sluice pipeline:   %8.1f ns per record per op (%.3f s)\n", sluice_s * per, sluice_s);
  std::printf("raw oneTBB graph:  %8.1f ns per record per op (%.3f s)\n", raw_s * per, raw_s);
  std::printf("raw oneTBB graph, batches of %zu: %8.1f ns per record per op (%.3f s)\n",
              sluice::kMaxPacketRecords, batched_s * per, batched_s);
  std::printf("ratio sluice/raw:  %8.2f\n", sluice_s / raw_s);
  std::printf("ratio sluice/raw batched:  %8.2f\n", sluice_s / batched_s);
  return 0;
}
