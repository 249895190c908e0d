// bench_tokenize: encode throughput of sluice's tokenizers (text/tokenizer.h), for
// tools/bench/bench_tokenizers.py to set beside the reference tokenizers. Encodes every line of
// FILE (as separate texts, as a pipeline does with records; with --whole 1 the whole file as one
// text) `reps` times on `threads` threads and
// prints one line: "sluice <tokenizer> <threads> <MB/s median> <ids> <checksum>", the checksum
// being the sum over lines i and their ids j of (i + 1) * (j + 1) * id, modulo 2^64.
//
//   bench_tokenize --tokenizer bert-base-uncased --file F [--threads T] [--reps R] [--whole 1]
#include "text/tokenizer.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Args {
  std::string tokenizer, file;
  int threads = 1;
  int reps = 5;
  bool whole = false;
};

bool parse_args(int argc, char** argv, Args* a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--tokenizer") == 0) {
      a->tokenizer = argv[i + 1];
    } else if (std::strcmp(argv[i], "--file") == 0) {
      a->file = argv[i + 1];
    } else if (std::strcmp(argv[i], "--threads") == 0) {
      a->threads = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--reps") == 0) {
      a->reps = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--whole") == 0) {
      a->whole = std::atoi(argv[i + 1]) != 0;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !a->tokenizer.empty() && !a->file.empty() && a->threads > 0 &&
         a->reps > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse_args(argc, argv, &args)) {
    std::fprintf(stderr, "usage: %s --tokenizer SPEC --file F [--threads T] [--reps R] [--whole 1]\n",
                 argv[0]);
    return 2;
  }
  auto tokenizer = sluice::text::load_tokenizer(args.tokenizer);
  if (!tokenizer.ok()) {
    std::fprintf(stderr, "bench_tokenize: error: %s\n", tokenizer.status().message().c_str());
    return 1;
  }
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_tokenize: error: cannot open '%s'\n", args.file.c_str());
    return 1;
  }
  std::vector<std::string> lines;
  size_t bytes = 0;
  if (args.whole) {
    std::ostringstream text;
    text << in.rdbuf();
    lines.push_back(text.str());
    bytes = lines.back().size();
  } else {
    for (std::string line; std::getline(in, line);) {
      bytes += line.size() + 1;
      lines.push_back(std::move(line));
    }
  }
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                              static_cast<size_t>(args.threads));
  tbb::task_arena arena(args.threads);
  std::vector<double> seconds;
  std::atomic<int64_t> ids{0};
  std::atomic<uint64_t> checksum{0};
  for (int rep = 0; rep < args.reps; ++rep) {
    ids = 0;
    checksum = 0;
    auto start = std::chrono::steady_clock::now();
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, lines.size(), 256),
                        [&](const tbb::blocked_range<size_t>& range) {
                          std::vector<int32_t> out;
                          int64_t count = 0;
                          uint64_t sum = 0;
                          for (size_t i = range.begin(); i < range.end(); ++i) {
                            out.clear();
                            (*tokenizer)->encode(lines[i], out);
                            count += static_cast<int64_t>(out.size());
                            for (size_t j = 0; j < out.size(); ++j) {
                              sum += (i + 1) * (j + 1) * static_cast<uint64_t>(out[j]);
                            }
                          }
                          ids += count;
                          checksum += sum;
                        });
    });
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  std::printf("sluice %s %d %.2f %lld %llu\n", args.tokenizer.c_str(), args.threads,
              static_cast<double>(bytes) / 1e6 / median, static_cast<long long>(ids.load()),
              static_cast<unsigned long long>(checksum.load()));
  return 0;
}
