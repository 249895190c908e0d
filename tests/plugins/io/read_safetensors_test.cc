// open_safetensors: the tensors of a file safetensors.torch wrote and of one write_safetensors
// wrote, read back; and every malformed file refused naming it, what was expected and found.
#include "io/safetensors.h"
#include "support/paths.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>

namespace sluice::io {
namespace {

// A safetensors file of `header` (JSON, unpadded) and `data`, its length prefix `claimed` (or the
// header's length).
std::string file_of(const std::string& header, const std::string& data, int64_t claimed = -1) {
  const uint64_t n = claimed < 0 ? header.size() : static_cast<uint64_t>(claimed);
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string written(const std::string& bytes) {
  const std::string path = test::temp_dir() + "/t.safetensors";
  test::write_file(path, bytes);
  return path;
}

std::string open_error(const std::string& bytes) {
  const std::string path = written(bytes);
  Expected<SafetensorsFile> f = open_safetensors(path);
  REQUIRE(!f.ok());
  const std::string prefix = "'" + path + "': ";
  REQUIRE(f.status().message().rfind(prefix, 0) == 0);
  return f.status().message().substr(prefix.size());
}

}  // namespace

TEST_CASE("open_safetensors reads the tensors a PyTorch script saved", "[plugins][io]") {
  // tools/refgen/nn_parity.py wrote it with safetensors.torch.save_file.
  const std::string path = test::source_dir() + "/tests/data/nn/mlp_adamw.safetensors";
  Expected<SafetensorsFile> f = open_safetensors(path);
  INFO(f.status().message());
  REQUIRE(f.ok());
  const SafetensorsEntry* w = f->find("0.weight");
  REQUIRE(w != nullptr);
  CHECK(w->dtype == SLUICE_DTYPE_FLOAT32);
  REQUIRE(w->shape.size() == 2);
  CHECK(w->bytes == static_cast<uint64_t>(w->shape[0] * w->shape[1]) * sizeof(float));
  CHECK(f->find("no.such.tensor") == nullptr);
  // The bytes read are those at the entry's offset in the file.
  std::vector<float> values(w->bytes / sizeof(float));
  REQUIRE(f->read(*w, values.data()).ok());
  const std::string whole = test::read_file(path);
  CHECK(std::memcmp(values.data(), whole.data() + w->offset, w->bytes) == 0);
}

TEST_CASE("open_safetensors reads back what write_safetensors wrote", "[plugins][io]") {
  const int32_t ids[6] = {1, 2, 3, 4, 5, 6};
  const double x[2] = {0.5, -2.25};
  SafetensorsTensor a{"ids",
                      SLUICE_DTYPE_INT32,
                      {2, 3},
                      {std::string_view(reinterpret_cast<const char*>(ids), sizeof(ids))}};
  SafetensorsTensor b{"x",
                      SLUICE_DTYPE_FLOAT64,
                      {2},
                      {std::string_view(reinterpret_cast<const char*>(x), sizeof(x))}};
  Expected<std::string> header = safetensors_header({a, b}, {{"format", "pt"}});
  REQUIRE(header.ok());
  const std::string path = written(*header + std::string(a.chunks[0]) + std::string(b.chunks[0]));
  Expected<SafetensorsFile> f = open_safetensors(path);
  REQUIRE(f.ok());
  REQUIRE(f->entries().size() == 2);  // the metadata is no tensor
  CHECK(f->entries()[0].name == "ids");
  CHECK(f->entries()[0].shape == std::vector<int64_t>{2, 3});
  CHECK(f->entries()[1].dtype == SLUICE_DTYPE_FLOAT64);
  double back[2] = {};
  REQUIRE(f->read(*f->find("x"), back).ok());
  CHECK(back[0] == 0.5);
  CHECK(back[1] == -2.25);

  // A file that shrinks after it was opened fails the read, naming the tensor.
  std::filesystem::resize_file(path, header->size() + 4);
  Status s = f->read(*f->find("x"), back);
  CHECK_THAT(s.message(),
             Catch::Contains("'" + path + "': expected 16 bytes of tensor 'x' at byte " +
                             std::to_string(header->size() + 24) + ", read 0"));
}

TEST_CASE("open_safetensors refuses malformed files, naming what it expected and found",
          "[plugins][io]") {
  CHECK(open_error("") ==
        "expected an 8-byte header length and that many bytes of header, "
        "found a file of 0 bytes");
  CHECK(open_error(file_of("{}", "", 1'000'000)) ==
        "expected an 8-byte header length and that many bytes of header, found a file of 10 "
        "bytes");
  CHECK_THAT(open_error(file_of("{\"a\": ", "")), Catch::StartsWith("expected a JSON object as "
                                                                    "header, found "));
  CHECK(open_error(file_of("[1]", "")) ==
        "expected a JSON object as header, found another JSON "
        "value");
  CHECK(
      open_error(file_of(R"({"a": {"dtype": "F32"}})", "")) ==
      R"(tensor 'a': expected {dtype, shape, data_offsets: [begin, end]}, found {"dtype":"F32"})");
  CHECK(open_error(file_of(R"({"a": {"dtype": "F17", "shape": [1], "data_offsets": [0, 4]}})",
                           "abcd")) == "tensor 'a': expected a dtype such as F32, found 'F17'");
  CHECK(open_error(file_of(R"({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})",
                           "abcd")) == "tensor 'a': expected dimensions >= 0, found [-1]");
  // A header that claims 60000 x 60000 floats of a 4-byte file.
  CHECK(open_error(file_of(
            R"({"a": {"dtype": "F32", "shape": [60000, 60000], "data_offsets": [0, 14400000000]}})",
            "abcd")) ==
        "tensor 'a': expected data_offsets spanning 14400000000 bytes within the "
        "4 bytes of data, found [0,14400000000]");
  CHECK(open_error(file_of(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}})",
                           "abcdefgh")) ==
        "tensor 'a': expected data_offsets spanning 8 bytes "
        "within the 8 bytes of data, found [0,4]");

  const std::string dir = test::temp_dir();
  Expected<SafetensorsFile> f = open_safetensors(dir);
  CHECK(f.status().message() == "'" + dir +
                                    "': expected a readable file, found another kind of "
                                    "file");
}

}  // namespace sluice::io
