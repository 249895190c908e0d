// io.write_safetensors: files parsed back here, header and data, as safetensors.torch reads them.
#include "io/safetensors.h"
#include "plugins/support/plugin_test.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>

using sluice::test::read_file;
using Lines = std::vector<std::string>;

namespace {

struct Safetensors {
  boost::json::object header;
  std::string data;
};

// Parses a safetensors file, checking the length prefix, the padding and that the tensors'
// offsets cover the data exactly, in order.
Safetensors parse_safetensors(const std::string& bytes) {
  REQUIRE(bytes.size() >= 8);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  CHECK(n % 8 == 0);
  REQUIRE(bytes.size() >= 8 + n);
  Safetensors out{boost::json::parse(bytes.substr(8, n)).as_object(), bytes.substr(8 + n)};
  uint64_t end = 0;
  for (const auto& [name, t] : out.header) {
    if (name == "__metadata__") continue;
    const auto& offsets = t.at("data_offsets").as_array();
    CHECK(offsets[0].to_number<uint64_t>() == end);
    end = offsets[1].to_number<uint64_t>();
  }
  CHECK(end == out.data.size());
  return out;
}

template <class T>
std::vector<T> values(const Safetensors& f, const std::string& name) {
  const auto& offsets = f.header.at(name).at("data_offsets").as_array();
  auto begin = offsets[0].to_number<size_t>();
  auto end = offsets[1].to_number<size_t>();
  std::vector<T> out((end - begin) / sizeof(T));
  std::memcpy(out.data(), f.data.data() + begin, end - begin);
  return out;
}

std::vector<int64_t> shape(const Safetensors& f, const std::string& name) {
  std::vector<int64_t> out;
  for (const auto& d : f.header.at(name).at("shape").as_array()) out.push_back(d.as_int64());
  return out;
}

std::string batch(int first, int rows) {
  std::string ids, labels;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < 3; ++c) ids += (ids.empty() ? "" : ", ") + std::to_string(first + r * 3 + c);
    labels += (labels.empty() ? "" : ", ") + std::to_string((first + r) % 2);
  }
  return "{\"ids\": {\"dtype\": \"int32\", \"shape\": [" + std::to_string(rows) +
         ", 3], \"data\": [" + ids + "]}, \"label\": {\"dtype\": \"int64\", \"shape\": [" +
         std::to_string(rows) + "], \"data\": [" + labels + "]}, \"note\": \"kept out\"}";
}

std::pair<sluice::OpRunResult, std::string> write(const std::string& params, const Lines& inputs) {
  std::string dir = sluice::test::temp_dir();
  sluice::OpRunner run(sluice::test::plugin_registry("io"), "io.write_safetensors", params);
  INFO(run.status().message());
  REQUIRE(run.status().ok());
  run.set_run_dir(dir);
  auto r = run.process_all(inputs);
  INFO(r.error.message());
  REQUIRE(r.error.ok());
  return {r, dir};
}

}  // namespace

TEST_CASE("safetensors headers: dtype names, offsets, metadata, padding", "[plugins][io]") {
  int32_t data[6] = {1, 2, 3, 4, 5, 6};
  std::string_view bytes(reinterpret_cast<const char*>(data), sizeof(data));
  sluice::io::SafetensorsTensor t{"ids", SLUICE_DTYPE_INT32, {2, 3}, {bytes}};
  auto header = sluice::io::safetensors_header({t}, {{"format", "pt"}});
  REQUIRE(header.ok());
  Safetensors parsed = parse_safetensors(*header + std::string(bytes));
  CHECK(parsed.header.at("__metadata__").at("format").as_string() == "pt");
  CHECK(parsed.header.at("ids").at("dtype").as_string() == "I32");
  CHECK(values<int32_t>(parsed, "ids") == std::vector<int32_t>{1, 2, 3, 4, 5, 6});
  t.shape = {4, 3};
  CHECK(sluice::io::safetensors_header({t}, {}).status().message() ==
        "tensor 'ids': expected 48 bytes for its shape, found 24");
  CHECK(std::string(sluice::io::safetensors_dtype(SLUICE_DTYPE_BFLOAT16)) == "BF16");
}

TEST_CASE("io.write_safetensors concatenates batches into shards of records_per_shard",
          "[plugins][io]") {
  auto [r, dir] = write("{path: 'train/shard-{shard}.safetensors', records_per_shard: 2, "
                        "metadata: {split: train}}",
                        {batch(0, 2), batch(10, 2), batch(20, 1), batch(30, 2), batch(40, 2)});
  CHECK(r.outputs.size() == 5);
  CHECK(r.rejected.empty());
  Safetensors first = parse_safetensors(read_file(dir + "/train/shard-00000.safetensors"));
  CHECK(shape(first, "ids") == std::vector<int64_t>{4, 3});
  CHECK(shape(first, "label") == std::vector<int64_t>{4});
  CHECK(first.header.at("label").at("dtype").as_string() == "I64");
  CHECK(values<int32_t>(first, "ids") ==
        std::vector<int32_t>{0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15});
  CHECK(values<int64_t>(first, "label") == std::vector<int64_t>{0, 1, 0, 1});
  CHECK_FALSE(first.header.contains("note"));
  CHECK(first.header.at("__metadata__").at("split").as_string() == "train");
  CHECK(shape(parse_safetensors(read_file(dir + "/train/shard-00001.safetensors")), "ids") ==
        std::vector<int64_t>{3, 3});
  Safetensors last = parse_safetensors(read_file(dir + "/train/shard-00002.safetensors"));
  CHECK(values<int64_t>(last, "label") == std::vector<int64_t>{0, 1});
  CHECK_FALSE(std::filesystem::exists(dir + "/train/shard-00003.safetensors"));
}

TEST_CASE("io.write_safetensors rejects records that do not fit the first", "[plugins][io]") {
  const std::string wide =
      R"({"ids": {"dtype": "int32", "shape": [1, 4], "data": [1, 2, 3, 4]}, )"
      R"("label": {"dtype": "int64", "shape": [1], "data": [0]}})";
  const std::string scalar =
      R"({"ids": {"dtype": "int32", "shape": [], "data": [1]}, "label": 3})";
  const std::string extra =
      R"({"ids": {"dtype": "int32", "shape": [1, 3], "data": [1, 2, 3]}, )"
      R"("label": {"dtype": "int64", "shape": [1], "data": [0]}, )"
      R"("mask": {"dtype": "bool", "shape": [1], "data": [true]}})";
  auto [r, dir] = write("{path: all.safetensors}", {scalar, batch(0, 1), wide, extra});
  CHECK(r.rejected ==
        Lines{"0: field 'ids': expected a tensor with a batch dimension, found a 0-d tensor "
              "(batch records with core.batch first)",
              "2: field 'ids': expected dtype int32 and shape (-1, 3) (any first dimension) "
              "like the first record's, found dtype int32 and shape (1, 4)",
              "3: field 'mask': expected the tensor fields of the first record (ids, label), "
              "found this one too"});
  Safetensors all = parse_safetensors(read_file(dir + "/all.safetensors"));
  CHECK(shape(all, "ids") == std::vector<int64_t>{1, 3});
}

TEST_CASE("io.write_safetensors writes only the listed fields and checks `path`",
          "[plugins][io]") {
  auto [r, dir] = write("{path: l.safetensors, fields: [label]}", {batch(0, 2)});
  Safetensors f = parse_safetensors(read_file(dir + "/l.safetensors"));
  CHECK(f.header.contains("label"));
  CHECK_FALSE(f.header.contains("ids"));
  using sluice::test::params_error;
  CHECK(params_error("io", "io.write_safetensors", "{path: x.safetensors, records_per_shard: 4}")
            .message()
            .find("expected {shard} in 'x.safetensors' to name the shards") != std::string::npos);
  CHECK(params_error("io", "io.write_safetensors", "{path: '{split}.safetensors'}")
            .message()
            .find("expected only the {shard} placeholder, found {split}") != std::string::npos);
}
