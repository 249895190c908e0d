// Training parity with PyTorch: the same nn.Sequential from the same .safetensors weights,
// trained on the same batches with the same optimizer and schedule, gives the same loss at every
// step, the same final state_dict (batch norm's running statistics too) and, where the case has
// one, the same eval-mode output (tests/data/nn/parity.json, made by tools/refgen/nn_parity.py
// with torch on the CPU).
#include "nn/kernels/loss.h"
#include "nn/model.h"
#include "nn/optimizer.h"
#include "support/paths.h"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

namespace sluice::nn {
namespace {

boost::json::object read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str()).as_object();
}

std::vector<LayerSpec> specs_of(const boost::json::array& layers) {
  std::vector<LayerSpec> specs;
  for (const auto& l : layers) {
    LayerSpec s;
    for (const auto& [key, value] : l.as_object()) {
      if (key == "type") {
        s.type = value.as_string();
      } else if (value.is_array()) {  // residual's body
        s.lists[key] = specs_of(value.as_array());
      } else {
        s.args[key] = value.to_number<double>();
      }
    }
    specs.push_back(s);
  }
  return specs;
}

OptimizerConfig optimizer_of(const boost::json::object& c) {
  OptimizerConfig o;
  o.kind = c.at("optimizer").as_string();
  o.lr = c.at("lr").to_number<double>();
  o.weight_decay = o.kind == "adamw" ? 0.01 : 0.0;  // PyTorch's defaults
  for (const auto& [key, value] : c.at("options").as_object()) {
    if (key == "weight_decay") o.weight_decay = value.to_number<double>();
    if (key == "momentum") o.momentum = value.to_number<double>();
    if (key == "nesterov") o.nesterov = value.as_bool();
  }
  return o;
}

ScheduleConfig schedule_of(const boost::json::array& s) {
  ScheduleConfig c;
  c.kind = s.at(0).as_string();
  c.warmup_steps = s.at(1).to_number<int64_t>();
  c.total_steps = s.at(2).to_number<int64_t>();
  return c;
}

template <class T>
std::vector<T> numbers(const boost::json::value& v) {
  std::vector<T> out;
  for (const auto& x : v.as_array()) out.push_back(x.to_number<T>());
  return out;
}

TEST_CASE("20 optimizer steps give PyTorch's losses from the same weights and batches",
          "[plugins][nn]") {
  const std::string dir = test::source_dir() + "/tests/data/nn/";
  const boost::json::object ref = read_json(dir + "parity.json");
  for (const auto& case_value : ref.at("cases").as_array()) {
    const boost::json::object& c = case_value.as_object();
    const std::string name(c.at("name").as_string());
    SECTION(name) {
      Expected<std::unique_ptr<Model>> model =
          Model::build(specs_of(c.at("layers").as_array()), {0}, 0);
      REQUIRE(model.ok());
      REQUIRE((*model)->load(dir + name + ".safetensors").ok());
      std::vector<Parameter*> params;
      for (const auto& [n, p] : (*model)->parameters()) params.push_back(p);
      Expected<Optimizer> opt = Optimizer::make(optimizer_of(c), params);
      REQUIRE(opt.ok());
      const ScheduleConfig schedule = schedule_of(c.at("schedule").as_array());
      const double clip = c.at("clip_grad_norm").to_number<double>();
      const bool mse_loss = c.at("loss").as_string() == "mse";
      const std::vector<double> losses = numbers<double>(c.at("losses"));
      const std::vector<double> lrs = numbers<double>(c.at("lrs"));
      const auto& batches = c.at("batches").as_array();
      for (size_t step = 0; step < batches.size(); ++step) {
        const boost::json::object& b = batches[step].as_object();
        ModelInput in;
        in.shape = numbers<int64_t>(b.at("shape"));
        std::vector<int32_t> ids;
        std::vector<float> features;
        if ((*model)->takes_ids()) {
          ids = numbers<int32_t>(b.at("input"));
          in.ids = ids.data();
        } else {
          features = numbers<float>(b.at("input"));
          in.features = features.data();
        }
        Workspace ws;
        REQUIRE((*model)->forward(in, true, 0, ws).ok());
        Buffer dout;
        dout.resize(ws.output().shape);
        double loss = 0;
        if (mse_loss) {
          const std::vector<float> target = numbers<float>(b.at("label"));
          loss = mse(ws.output().values.data(), target.data(), static_cast<int64_t>(target.size()),
                     dout.values.data());
        } else {
          const std::vector<int64_t> labels = numbers<int64_t>(b.at("label"));
          const int64_t classes = ws.output().shape.back();  // rows: every leading position
          loss =
              cross_entropy(ws.output().values.data(), labels.data(),
                            static_cast<int64_t>(labels.size()), classes, -100, dout.values.data());
        }
        INFO("step " << step);
        CHECK(loss == Approx(losses[step]).epsilon(1e-4));
        const double lr = scheduled_lr(schedule, optimizer_of(c).lr, static_cast<int64_t>(step));
        CHECK(lr == Approx(lrs[step]).epsilon(1e-12));
        (*model)->backward(ws, dout);
        if (clip > 0) clip_grad_norm(params, clip);
        opt->step(lr);
        (*model)->zero_grad();
      }
      const std::vector<StateTensor> state = (*model)->state_dict();
      CHECK(state.size() == c.at("final").as_object().size());
      for (const StateTensor& t : state) {
        INFO(t.name);
        REQUIRE(c.at("final").as_object().contains(t.name));
        const std::vector<double> expected = numbers<double>(c.at("final").at(t.name));
        for (size_t i = 0; i < expected.size(); ++i) {
          INFO(t.name << "[" << i << "]");
          const double value = t.dtype == SLUICE_DTYPE_INT64
                                   ? static_cast<double>(static_cast<const int64_t*>(t.data)[i])
                                   : static_cast<const float*>(t.data)[i];
          CHECK(value == Approx(expected[i]).epsilon(1e-3).margin(1e-5));
        }
      }
      if (c.contains("eval")) {  // the trained model at inference (batch norm's running stats)
        const boost::json::object& e = c.at("eval").as_object();
        const std::vector<float> features = numbers<float>(e.at("input"));
        Workspace ws;
        REQUIRE(
            (*model)
                ->forward({numbers<int64_t>(e.at("shape")), nullptr, features.data()}, false, 0, ws)
                .ok());
        const std::vector<double> expected = numbers<double>(e.at("output"));
        REQUIRE(ws.output().values.size() == expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
          INFO("eval output " << i);
          CHECK(ws.output().values[i] == Approx(expected[i]).epsilon(1e-4).margin(1e-5));
        }
      }
    }
  }
}

}  // namespace
}  // namespace sluice::nn
