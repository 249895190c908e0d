// An augmentation pipeline over the photos writes byte-identical outputs on 1 and 2 threads.
#include "support/command.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

using sluice::test::read_file;
using sluice::test::run_command;
using sluice::test::shell_quote;

TEST_CASE("augmented records are identical for any thread count", "[integration][image]") {
  const std::string dir = sluice::test::temp_dir();
  const std::string photos = sluice::test::shared_data_dir() + "/image/photos";
  const std::string pipeline = dir + "/augment.yaml";
  sluice::test::write_file(pipeline, R"(sluice: 1
name: augment
seed: 3
stages:
  - name: augment
    nodes:
      - {id: list, op: io.list_files, params: {pattern: ")" +
                                         photos + R"(/*.*g"}}
      - {id: repeat, op: core.repeat, params: {count: 8}}
      - {id: decode, op: image.decode}
      - {id: crop, op: image.random_resized_crop, params: {width: 32, report: true}}
      - {id: flip, op: image.flip, params: {report: true}}
      - {id: jitter, op: image.color_jitter, params: {brightness: 0.3, hue: 0.05, report: true}}
      - {id: rotate, op: image.rotate, params: {degrees: [-10, 10], report: true}}
      - {id: norm, op: image.normalize}
      - {id: out, op: io.write_jsonl, params: {path: out.jsonl}}
)");
  std::string outputs[2];
  for (int threads : {1, 2}) {
    const std::string out = dir + "/run" + std::to_string(threads);
    auto r = run_command(shell_quote(sluice::test::sluice_binary()) + " run " +
                         shell_quote(pipeline) + " --progress none --threads " +
                         std::to_string(threads) + " --out " + shell_quote(out));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    outputs[threads - 1] = read_file(out + "/out.jsonl");
  }
  CHECK(outputs[0].size() > 1000);
  CHECK(outputs[0] == outputs[1]);
}
