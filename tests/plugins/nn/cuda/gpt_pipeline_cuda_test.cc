// [cuda] pipelines/tinyshakespeare_gpt.yaml with its model on `device: cuda`, through the sluice
// CLI: train.fit trains it on the GPU for a few steps, train.evaluate and train.generate run after
// it (the first on the device, the second on the CPU model train.fit brought up to date), and the
// train and validation losses are the CPU run's within 1e-3 relative (the same batches, seeds and
// initial weights).
#include "nn/device_model.h"
#include "support/command.h"
#include "support/cuda_device.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <string>

namespace {

using sluice::test::read_file;
using sluice::test::shell_quote;

// The pipeline's file with `device: <device>` added to its model resource.
std::string gpt_pipeline(const std::string& device) {
  std::string text = read_file(sluice::test::source_dir() + "/pipelines/tinyshakespeare_gpt.yaml");
  const std::string model = "    type: nn.model\n";
  const size_t at = text.find(model);
  REQUIRE(at != std::string::npos);
  text.insert(at + model.size(), "    device: " + device + "\n");
  const std::string path = sluice::test::temp_dir() + "/gpt_" + device + ".yaml";
  sluice::test::write_file(path, text);
  return path;
}

boost::json::object run(const std::string& device) {
  const std::string out = sluice::test::temp_dir() + "/run";
  auto r = sluice::test::run_command(shell_quote(sluice::test::sluice_binary()) + " run " +
                                     shell_quote(gpt_pipeline(device)) + " --out " +
                                     shell_quote(out) + " --set steps=8 --set warmup_steps=2");
  INFO(device << ":\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return boost::json::parse(read_file(out + "/report.json")).as_object();
}

}  // namespace

TEST_CASE("tinyshakespeare_gpt trains, evaluates and samples with its model on device: cuda",
          "[cuda][nn][integration]") {
  SLUICE_REQUIRE_CUDA_DEVICE();
  const boost::json::object gpu = run("cuda"), cpu = run("cpu");
  REQUIRE(gpu.at("status").as_string() == "ok");
  const auto& g = gpu.at("metrics").as_object();
  const auto& c = cpu.at("metrics").as_object();
  CHECK(g.at("fit.steps").to_number<double>() == 8);
  for (const char* metric : {"fit.loss", "fit.loss_mean", "validate.loss"}) {
    const double a = g.at(metric).to_number<double>(), b = c.at(metric).to_number<double>();
    INFO(metric << ": cuda " << a << ", cpu " << b);
    CHECK(std::fabs(a - b) <= 1e-3 * std::fabs(b));
    std::cout << "tinyshakespeare_gpt " << metric << ": cuda " << a << ", cpu " << b << "\n";
  }
}
