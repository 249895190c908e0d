// core.batch and core.unbatch.
#include "plugins/support/plugin_test.h"

#include <catch2/catch.hpp>

using sluice::test::run_op;
using Lines = std::vector<std::string>;

namespace {

std::string encoded(int label, const std::string& ids, int n) {
  return "{\"text\": \"t\", \"label\": " + std::to_string(label) +
         ", \"ids\": {\"dtype\": \"int32\", \"shape\": [" + std::to_string(n) + "], \"data\": [" +
         ids + "]}, \"w\": 0.5}";
}

}  // namespace

TEST_CASE("core.batch stacks tensors and turns scalars into 1-D tensors", "[plugins][core]") {
  auto r = run_op("core", "core.batch", "{batch_size: 2, drop: [text]}",
                  {encoded(0, "1, 2", 2), encoded(1, "3, 4", 2), encoded(1, "5, 6", 2)});
  CHECK(r.outputs ==
        Lines{R"({"label": {"dtype": "int64", "shape": [2], "data": [0, 1]}, )"
              R"("ids": {"dtype": "int32", "shape": [2, 2], "data": [1, 2, 3, 4]}, )"
              R"("w": {"dtype": "float64", "shape": [2], "data": [0.5, 0.5]}})",
              R"({"label": {"dtype": "int64", "shape": [1], "data": [1]}, )"
              R"("ids": {"dtype": "int32", "shape": [1, 2], "data": [5, 6]}, )"
              R"("w": {"dtype": "float64", "shape": [1], "data": [0.5]}})"});
  auto dropped = run_op("core", "core.batch", "{batch_size: 2, drop_last: true, drop: [text]}",
                        {encoded(0, "1, 2", 2), encoded(1, "3, 4", 2), encoded(1, "5, 6", 2)});
  CHECK(dropped.outputs.size() == 1);
}

TEST_CASE("core.batch pads the first dimension with pad: true", "[plugins][core]") {
  auto r = run_op("core", "core.batch",
                  "{batch_size: 3, pad: true, pad_value: -1, drop: [text, label, w]}",
                  {encoded(0, "1, 2", 2), encoded(1, "3", 1), encoded(1, "", 0)});
  CHECK(r.outputs == Lines{R"({"ids": {"dtype": "int32", "shape": [3, 2], )"
                           R"("data": [1, 2, 3, -1, -1, -1]}})"});
}

TEST_CASE("core.batch rejects strings and records unlike the batch's first", "[plugins][core]") {
  auto r = run_op("core", "core.batch", "{batch_size: 4, drop: [w]}",
                  {encoded(0, "1", 1), R"({"label": 1, "ids": {"dtype": "int32", "shape": [1], )"
                                       R"("data": [1]}})"});
  CHECK(r.rejected == Lines{"0: field 'text': expected a tensor or a number to batch, found "
                            "string (list it in `drop` to leave it out)"});
  auto unlike = run_op("core", "core.batch", "{batch_size: 4, drop: [text, w]}",
                       {encoded(0, "1, 2", 2), encoded(1, "3", 1), R"({"label": 1.5})",
                        R"({"label": 1, "ids": {"dtype": "int32", "shape": [2], "data": [1, 2]}, )"
                        R"("more": 1})"});
  CHECK(unlike.rejected ==
        Lines{"1: field 'ids': expected a CPU tensor of dtype int32 and shape (2,) like the "
              "batch's first record, found dtype int32 and shape (1,) (`pad: true` pads the "
              "first dimension)",
              "2: field 'label': expected int like the batch's first record, found float",
              "3: field 'more': expected only the fields of the batch's first record, found "
              "this one too"});
  CHECK(unlike.outputs.size() == 1);
}

TEST_CASE("core.unbatch gives core.batch's records back", "[plugins][core]") {
  const Lines records = {R"({"label": 0, "ids": {"dtype": "int32", "shape": [2], "data": [1, 2]}})",
                         R"({"label": 1, "ids": {"dtype": "int32", "shape": [2], "data": [3, 4]}})"};
  auto batched = run_op("core", "core.batch", "{batch_size: 8}", records);
  auto back = run_op("core", "core.unbatch", "{}", batched.outputs);
  CHECK(back.outputs == records);
}

TEST_CASE("core.unbatch copies other fields and rejects uneven batches", "[plugins][core]") {
  auto r = run_op(
      "core", "core.unbatch", "{}",
      {R"({"split": "a", "x": {"dtype": "float32", "shape": [2, 1], "data": [0.5, 1.5]}})",
       R"({"x": {"dtype": "float32", "shape": [2], "data": [0.5, 1.5]}, )"
       R"("y": {"dtype": "bool", "shape": [3], "data": [true, false, true]}})",
       R"({"split": "b"})"});
  CHECK(r.outputs == Lines{R"({"split": "a", "x": {"dtype": "float32", "shape": [1], "data": [0.5]}})",
                           R"({"split": "a", "x": {"dtype": "float32", "shape": [1], "data": [1.5]}})"});
  CHECK(r.rejected == Lines{"1: field 'y': expected 2 rows like field 'x', found 3",
                            "2: expected a batch record with tensor fields, found none"});
}
