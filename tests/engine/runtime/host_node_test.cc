// Params, node contexts, field sets and emitters as plugins see them, through the C++ SDK.
#include "engine/runtime/emitter.h"
#include "engine/runtime/field_set.h"
#include "engine/runtime/host.h"
#include "engine/runtime/node_context.h"
#include "engine/runtime/params.h"
#include "engine/runtime/record.h"
#include "engine/runtime/resources.h"

#include <sluice/op.hpp>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

using sluice::Context;
using sluice::Field;
using sluice::Params;

namespace {

const sluice_host& h() { return *sluice::engine_host(); }

sluice::ParamTree tree(const std::string& yaml) {
  return sluice::param_from_yaml(YAML::Load(yaml));
}

struct CollectingEmitter : sluice_emitter_s {
  std::vector<sluice::RecordPtr> records;
  sluice_status accept(sluice_record* r) override {
    records.emplace_back(r);
    return nullptr;
  }
};

sluice_status make_int(const sluice_host*, const sluice_param*, void** out) {
  *out = new int(5);
  return nullptr;
}
void delete_int(void* p) { delete static_cast<int*>(p); }

struct Counter {
  static constexpr const char* kType = "test.counter";
  int value;
};
struct Vocab {
  static constexpr const char* kType = "text.vocabulary";
};

}  // namespace

TEST_CASE("params read through the SDK", "[runtime][host][params]") {
  sluice::engine_host();
  sluice::ParamTree p = tree(
      "{n: 3, x: 2.5, whole: 4, name: abc, on: true, ids: [1, 2, 3],"
      " weights: {a: 0.5, b: 1}, nothing: ~}");
  Params params(&p);
  CHECK(params.get<int>("n") == 3);
  CHECK(params.get<int64_t>("n") == 3);
  CHECK(params.get<double>("x") == 2.5);
  CHECK(params.get<double>("whole") == 4.0);  // INT converts to float
  CHECK(params.get<std::string>("name") == "abc");
  CHECK(params.get<bool>("on"));
  CHECK(params.get<std::vector<int64_t>>("ids") == std::vector<int64_t>{1, 2, 3});
  CHECK(params.get<std::map<std::string, double>>("weights") ==
        std::map<std::string, double>{{"a", 0.5}, {"b", 1.0}});
  CHECK_FALSE(params.has("nothing"));
  CHECK_FALSE(params.get_optional<int>("nothing").has_value());
  CHECK_THROWS_WITH(params.get<int>("missing"), "param 'missing' is not set");
  CHECK_THROWS_WITH(params.get<int>("name"), "param 'name': param: expected int");
  // An int the asked-for type cannot hold is refused, not wrapped.
  sluice::ParamTree big = tree("{n: 1000000000000, minus: -1}");
  Params wide(&big);
  CHECK(wide.get<int64_t>("n") == 1000000000000);
  CHECK_THROWS_WITH(wide.get<int>("n"),
                    "param 'n': expected an int in [-2147483648, 2147483647], found 1000000000000");
  CHECK_THROWS_WITH(wide.get<uint32_t>("minus"),
                    "param 'minus': expected an int in [0, 4294967295], found -1");
  CHECK_THROWS_WITH(params.get<std::vector<int64_t>>("weights"),
                    "param 'weights': param: expected list");

  sluice::Param map = params.raw("weights");
  CHECK(map.size() == 2);
  CHECK(map.key_at(1) == "b");
  CHECK(map.at(0).as<double>() == 0.5);
}

TEST_CASE("param calls survive NULL, wrong kinds and out-of-range indices",
          "[runtime][host][params]") {
  const sluice_host& host = h();
  sluice::ParamTree p = tree("{l: [1], s: str, i: 3}");
  const sluice_param* l = host.param_get(&p, "l");
  CHECK(host.param_kind(nullptr) == SLUICE_PARAM_NULL);
  CHECK(host.param_get(nullptr, "l") == nullptr);
  CHECK(host.param_get(&p, nullptr) == nullptr);
  CHECK(host.param_at(l, 1) == nullptr);
  CHECK(host.param_at(&p, 3) == nullptr);
  CHECK(host.param_key_at(l, 0) == nullptr);
  CHECK(host.param_key_at(&p, 3) == nullptr);
  CHECK(host.param_string(host.param_get(&p, "i")) == nullptr);
  CHECK(host.param_int(host.param_get(&p, "s")) == 0);
  CHECK(host.param_float(host.param_get(&p, "i")) == 3.0);
  CHECK(host.param_bool(nullptr) == 0);
  CHECK(host.param_size(host.param_get(&p, "s")) == 0);
  CHECK(std::string(host.param_key_at(&p, 2)) == "i");
}

TEST_CASE("node context through the SDK", "[runtime][host][context]") {
  sluice::engine_host();
  sluice_resource_def counter_def{};
  counter_def.struct_size = sizeof(counter_def);
  counter_def.type = "test.counter";
  counter_def.create = &make_int;
  counter_def.destroy = &delete_int;
  sluice::ResourceTable resources;
  sluice::ParamTree none;
  REQUIRE(resources.create("hits", &counter_def, &none).ok());

  sluice::MetricSink metrics;
  std::atomic<bool> cancelled{false};
  sluice_node_context_s node;
  node.node_id = "count";
  node.op_name = "test.count";
  node.port_fields["text"] = Field::named("body").id();
  node.seed = 1234;
  node.threads = 4;
  node.run_dir = "/tmp/run";
  node.resources = &resources;
  node.metrics = &metrics;
  node.cancelled = &cancelled;

  Context ctx(&node);
  CHECK(ctx.node_id() == "count");
  CHECK(ctx.port("text") == Field::named("body"));
  CHECK(ctx.port("label") == Field::named("label"));
  CHECK(ctx.seed() == 1234);
  CHECK(ctx.threads() == 4);
  CHECK(ctx.run_dir() == "/tmp/run");
  CHECK(ctx.output_path("out/a.jsonl") == "/tmp/run/out/a.jsonl");
  CHECK(ctx.output_path("/abs/b.jsonl") == "/abs/b.jsonl");
  const char* kept = h().node_output_path(&node, "c.txt");
  ctx.output_path("d.txt");
  CHECK(std::string(kept) == "/tmp/run/c.txt");  // earlier strings stay valid

  auto found = ctx.resource<Counter>("hits");
  REQUIRE(found.ok());
  CHECK(reinterpret_cast<int*>(*found) != nullptr);
  CHECK(*reinterpret_cast<int*>(*found) == 5);

  auto wrong = ctx.resource<Vocab>("hits");
  CHECK(wrong.status().message() ==
        "resource 'hits' is of type test.counter, expected text.vocabulary");
  auto missing = ctx.resource<Counter>("nope");
  CHECK(missing.status().message() == "resource 'nope' is not declared; declared resources: hits");

  ctx.metric("accuracy", 0.5);
  ctx.metric("accuracy", 0.75);
  CHECK(metrics.snapshot() == std::map<std::string, double>{{"count.accuracy", 0.75}});

  CHECK_FALSE(ctx.cancelled());
  cancelled = true;
  CHECK(ctx.cancelled());
}

TEST_CASE("a load-time context has no resources, metrics or run directory",
          "[runtime][host][context]") {
  sluice::engine_host();
  sluice_node_context_s node;
  node.node_id = "check";
  Context ctx(&node);
  auto r = ctx.resource<Counter>("hits");
  CHECK(r.status().code() == SLUICE_NOT_FOUND);
  CHECK(r.status().message() ==
        "resource 'hits' is not available at load time: resources exist only while the "
        "pipeline runs");
  ctx.metric("m", 1);  // dropped, no crash
  CHECK_FALSE(ctx.cancelled());
  CHECK(ctx.output_path("x") == "x");

  const sluice_host& host = h();
  CHECK(std::string(host.node_id(nullptr)) == "");
  CHECK(host.node_port_field(nullptr, "x") == 0);
  CHECK(host.node_port_field(&node, nullptr) == 0);
  CHECK(host.node_output_path(nullptr, "x") == nullptr);
  CHECK(host.node_output_path(&node, nullptr) == nullptr);
  CHECK(host.node_threads(nullptr) == 1);
  CHECK(host.node_cancelled(nullptr) == 0);
  host.node_metric(nullptr, "m", 1);
  void* out = &node;
  CHECK(sluice::from_c(host.node_resource(nullptr, "x", "t", &out)).code() ==
        SLUICE_INVALID_ARGUMENT);
  CHECK(out == nullptr);
  CHECK(sluice::from_c(host.node_resource(&node, "x", "t", nullptr)).code() ==
        SLUICE_INVALID_ARGUMENT);
}

TEST_CASE("node_log writes the node id and message to spdlog", "[runtime][host][context]") {
  sluice::engine_host();
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  spdlog::set_level(spdlog::level::debug);
  sluice_node_context_s node;
  node.node_id = "tok";
  Context(&node).log(SLUICE_LOG_WARN, "vocabulary is small");
  h().node_log(nullptr, static_cast<sluice_log_level>(42), nullptr);
  auto lines = sink->last_formatted();
  spdlog::set_default_logger(previous);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].find("[warning] [tok] vocabulary is small") != std::string::npos);
  CHECK(lines[1].find("[?] ") != std::string::npos);
}

TEST_CASE("field sets through the SDK", "[runtime][host][fields]") {
  sluice::engine_host();
  sluice_field_set_s set;
  sluice::FieldSet fields(&set);
  Field a = Field::named("fs.a"), b = Field::named("fs.b");
  fields.put(a, SLUICE_KIND_STRING);
  fields.put(b, SLUICE_KIND_INT);
  fields.put(a, SLUICE_KIND_TENSOR);
  REQUIRE(fields.size() == 2);
  sluice_kind kind;
  CHECK(fields.at(0, &kind) == a);
  CHECK(kind == SLUICE_KIND_TENSOR);
  CHECK(fields.has(b));
  fields.remove(b);
  CHECK_FALSE(fields.has(b));
  CHECK_FALSE(fields.is_open());
  fields.set_open(true);
  CHECK(fields.is_open());
  fields.clear();
  CHECK(fields.size() == 0);
  CHECK_FALSE(fields.is_open());

  const sluice_host& host = h();
  host.field_set_put(&set, 0, SLUICE_KIND_INT);
  host.field_set_put(&set, a.id(), static_cast<sluice_kind>(17));
  host.field_set_put(nullptr, a.id(), SLUICE_KIND_INT);
  CHECK(set.fields.empty());
  CHECK(host.field_set_at(&set, 0, nullptr, nullptr) == 0);
  CHECK(host.field_set_find(nullptr, a.id(), &kind) == 0);
  CHECK(host.field_set_size(nullptr) == 0);
  CHECK(host.field_set_is_open(nullptr) == 0);
}

TEST_CASE("emit hands records to the engine's emitter", "[runtime][host]") {
  sluice::engine_host();
  CollectingEmitter sink;
  sluice::Emitter out(&sink);
  sluice::OwnedRecord made;
  made.set_int(Field::named("n"), 1);
  sluice_record* raw = made.raw();
  REQUIRE(out.emit(std::move(made)).ok());
  REQUIRE(sink.records.size() == 1);
  CHECK(sink.records[0].get() == raw);
  CHECK_FALSE(out.emitted_input());

  sluice::Record input(h().record_new());
  REQUIRE(out.emit(input).ok());
  CHECK(out.emitted_input());
  CHECK(sink.records.size() == 2);
}
