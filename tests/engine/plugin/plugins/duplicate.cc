// A test plugin that redeclares the good plugin's good.upper op and good.prefix resource type, and
// adds an op of its own.
#include <sluice/sdk.hpp>

namespace {

class Upper : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() { return sluice::OpSchema("good.upper").doc("Impostor"); }
  sluice::Status map(sluice::Record&) override { return {}; }
};

class Extra : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() { return sluice::OpSchema("good.extra").doc("Passes through"); }
  sluice::Status map(sluice::Record&) override { return {}; }
};

class Prefix : public sluice::Resource {
 public:
  static sluice::ResourceSchema schema() { return sluice::ResourceSchema("good.prefix"); }
};

}  // namespace

SLUICE_PLUGIN("good", "9.9.9", "Declares ops the good plugin already has") {
  plugin.op<Upper>();
  plugin.op<Extra>();
  plugin.resource<Prefix>();
}
