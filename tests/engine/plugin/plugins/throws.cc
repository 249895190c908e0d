// A test plugin whose ops throw from process: a std::exception and a type that is not one.
#include <sluice/sdk.hpp>

#include <stdexcept>

namespace {

struct NotAnException {
  int code;
};

class ThrowsStd : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() { return sluice::OpSchema("throws.std").doc("Throws"); }
  sluice::Status map(sluice::Record&) override { throw std::runtime_error("boom"); }
};

class ThrowsOther : public sluice::MapOp {
 public:
  static sluice::OpSchema schema() { return sluice::OpSchema("throws.other").doc("Throws"); }
  sluice::Status map(sluice::Record&) override { throw NotAnException{42}; }
};

}  // namespace

SLUICE_PLUGIN("throws", "0.1.0", "Ops that throw") {
  plugin.op<ThrowsStd>();
  plugin.op<ThrowsOther>();
}
