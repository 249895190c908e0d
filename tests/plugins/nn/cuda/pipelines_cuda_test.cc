// [cuda] Example pipelines with their model on `device: cuda`, through the sluice CLI, against the
// same pipeline on the CPU (the same batches, seeds and initial weights): their training and
// validation losses agree within 1e-3 relative, their test accuracies within 0.02.
// - tinyshakespeare_gpt: train.fit trains the GPT on the GPU for a few steps, train.evaluate runs
//   after it there and text.generate on the CPU model train.fit brought up to date.
// - sentence_polarity_classifier (embedding, masked_mean, dropout): 1 epoch.
// (digits_cnn is not here: it reads its images with the image plugin, which the GPU bundle of
// these checks does not carry; device_model_cuda_test.cc trains its kind of net.)
#include "nn/device_model.h"
#include "support/command.h"
#include "support/cuda_device.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

namespace {

using sluice::test::read_file;
using sluice::test::shell_quote;

// pipelines/<name>.yaml with `device: <device>` added to its model resource.
std::string pipeline_on(const std::string& name, const std::string& device) {
  std::string text = read_file(sluice::test::source_dir() + "/pipelines/" + name + ".yaml");
  const std::string model = "    type: nn.model\n";
  const size_t at = text.find(model);
  REQUIRE(at != std::string::npos);
  text.insert(at + model.size(), "    device: " + device + "\n");
  const std::string path = sluice::test::temp_dir() + "/" + name + "_" + device + ".yaml";
  sluice::test::write_file(path, text);
  return path;
}

// The report's metrics of the pipeline run on `device` with `options`.
boost::json::object run_metrics(const std::string& name, const std::string& device,
                                const std::string& options) {
  const std::string out = sluice::test::temp_dir() + "/run_" + device;
  auto r = sluice::test::run_command(shell_quote(sluice::test::sluice_binary()) + " run " +
                                     shell_quote(pipeline_on(name, device)) + " --out " +
                                     shell_quote(out) + " " + options);
  INFO(name << " on " << device << ":\n" << r.err);
  REQUIRE(r.exit_code == 0);
  boost::json::object report = boost::json::parse(read_file(out + "/report.json")).as_object();
  REQUIRE(report.at("status").as_string() == "ok");
  return report.at("metrics").as_object();
}

struct Compared {
  const char* metric;
  double rtol, atol;  // |cuda - cpu| <= atol + rtol · |cpu|
};

void compare_devices(const std::string& name, const std::string& options,
                     const std::vector<Compared>& metrics) {
  const boost::json::object gpu = run_metrics(name, "cuda", options);
  const boost::json::object cpu = run_metrics(name, "cpu", options);
  for (const Compared& m : metrics) {
    const double a = gpu.at(m.metric).to_number<double>(), b = cpu.at(m.metric).to_number<double>();
    INFO(name << " " << m.metric << ": cuda " << a << ", cpu " << b);
    CHECK(std::fabs(a - b) <= m.atol + m.rtol * std::fabs(b));
    std::cout << name << " " << m.metric << ": cuda " << a << ", cpu " << b << "\n";
  }
}

}  // namespace

TEST_CASE("tinyshakespeare_gpt trains, evaluates and samples with its model on device: cuda",
          "[cuda][nn][integration]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  compare_devices("tinyshakespeare_gpt", "--set steps=8 --set warmup_steps=2",
                  {{"fit.steps", 0, 0},
                   {"fit.loss", 1e-3, 0},
                   {"fit.loss_mean", 1e-3, 0},
                   {"validate.loss", 1e-3, 0}});
}

TEST_CASE("sentence_polarity_classifier trains and evaluates with its model on device: cuda",
          "[cuda][nn][integration]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  compare_devices("sentence_polarity_classifier", "--set epochs=1",
                  {{"fit.loss_mean", 1e-3, 0}, {"evaluate.accuracy", 0, 0.02}});
}
