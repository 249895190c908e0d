// Ops and resources for the pipeline loader and validator tests (plugin "schema"). Only their
// schemas matter; they do no real work.
//   schema.read        source: fields text, label (string)
//   schema.read_any    source whose fields come from the data (an open field set)
//   schema.map_all     one param of every type, with ranges, choices, defaults; a check callback:
//                      mode exact allows count <= 10. text (string) -> length (int)
//   schema.split_words text (string) -> words (tensor)
//   schema.encode      words (tensor) -> ids (int64 tensor), with a schema.vocab resource
//   schema.tag         infer_fields: adds the field bound to port `tag` (string) and
//                      `<node id>_seen` (int); fails when fail_infer is set
//   schema.square      value (float) -> square (float)
//   schema.write       sink: text (string), optional label
//   resources schema.vocab, schema.model
#include <sluice/sdk.hpp>

#include <string>

namespace {

using sluice::Context;
using sluice::Emitter;
using sluice::FieldSet;
using sluice::OpSchema;
using sluice::Params;
using sluice::ParamSpec;
using sluice::Record;
using sluice::ResourceSchema;
using sluice::Status;

class Vocab : public sluice::Resource {
 public:
  static constexpr const char* kType = "schema.vocab";
  static ResourceSchema schema() {
    return ResourceSchema(kType)
        .doc("A vocabulary.")
        .param(ParamSpec::Int("min_count", "Minimum count").default_value(1).min(0))
        .param(ParamSpec::Int("max_size", "Maximum size").default_value(1000).min(1));
  }
};

class Model : public sluice::Resource {
 public:
  static constexpr const char* kType = "schema.model";
  static ResourceSchema schema() {
    return ResourceSchema(kType)
        .doc("A model.")
        .param(ParamSpec::Int("dim", "Width").default_value(8).min(1));
  }
};

class EmptySource : public sluice::Source {
 public:
  Status produce(Emitter& out, bool& done) override {
    (void)out;
    done = true;
    return Status();
  }
};

class PassOn : public sluice::MapOp {
 public:
  Status map(Record& record) override {
    (void)record;
    return Status();
  }
};

class Read : public EmptySource {
 public:
  static OpSchema schema() {
    return OpSchema("schema.read")
        .doc("Reads labelled text.")
        .source()
        .output("text", SLUICE_KIND_STRING, "Text")
        .output("label", SLUICE_KIND_STRING, "Label")
        .param(ParamSpec::String("path", "File to read"))
        .param(ParamSpec::Int("limit", "Records to read, -1 for all").default_value(-1).min(-1));
  }
};

class ReadAny : public EmptySource {
 public:
  static OpSchema schema() {
    return OpSchema("schema.read_any").doc("Reads records whose fields come from data.").source();
  }
  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    (void)params;
    (void)ctx;
    fields.set_open(true);
    return Status();
  }
};

class MapAll : public PassOn {
 public:
  static OpSchema schema() {
    return OpSchema("schema.map_all")
        .doc("Has a param of every type.")
        .input("text", SLUICE_KIND_STRING, "Text")
        .output("length", SLUICE_KIND_INT, "Length of the text")
        .param(ParamSpec::Float("ratio", "A fraction").range(0, 1))
        .param(ParamSpec::Int("count", "A count").default_value(1).range(1, 100))
        .param(ParamSpec::String("mode", "A mode").choices({"fast", "exact"}).default_value("fast"))
        .param(ParamSpec::Bool("flag", "A flag").default_value(false))
        .param(ParamSpec::List("sizes", SLUICE_PTYPE_INT, "Sizes").default_yaml("[1, 2]").min(1))
        .param(ParamSpec::Map("weights", SLUICE_PTYPE_FLOAT, "Weights")
                   .default_yaml("{}")
                   .range(0, 10))
        .param(ParamSpec::List("tags", SLUICE_PTYPE_STRING, "Tags")
                   .choices({"red", "green", "blue"})
                   .optional())
        .param(ParamSpec::Resource("vocabulary", Vocab::kType, "A vocabulary").optional())
        .param(ParamSpec::Any("extra", "Anything").optional())
        .param(ParamSpec::String("note", "A note").default_value(""));
  }
  static Status check(const Params& params) {
    auto count = params.get<int64_t>("count");
    if (params.get<std::string>("mode") == "exact" && count > 10) {
      return Status::Invalid("mode 'exact': expected count <= 10, found " + std::to_string(count));
    }
    return Status();
  }
};

class SplitWords : public PassOn {
 public:
  static OpSchema schema() {
    return OpSchema("schema.split_words")
        .doc("Splits text into words.")
        .input("text", SLUICE_KIND_STRING, "Text")
        .output("words", SLUICE_KIND_TENSOR, "Words");
  }
};

class Encode : public PassOn {
 public:
  static OpSchema schema() {
    return OpSchema("schema.encode")
        .doc("Maps words to ids.")
        .input("words", SLUICE_KIND_TENSOR, "Words")
        .output("ids", SLUICE_KIND_TENSOR, "Ids", SLUICE_DTYPE_INT64)
        .param(ParamSpec::Resource("vocabulary", Vocab::kType, "The vocabulary"));
  }
};

class Tag : public PassOn {
 public:
  static OpSchema schema() {
    return OpSchema("schema.tag")
        .doc("Tags text.")
        .input("text", SLUICE_KIND_STRING, "Text")
        .output("tag", SLUICE_KIND_STRING, "Tag")
        .param(ParamSpec::Bool("fail_infer", "Make infer_fields fail").default_value(false));
  }
  static Status infer_fields(const Params& params, const Context& ctx, FieldSet& fields) {
    if (params.get<bool>("fail_infer")) {
      return Status::Invalid("expected fail_infer false, found true");
    }
    fields.put(ctx.port("tag"), SLUICE_KIND_STRING);
    fields.put(sluice::Field::named(std::string(ctx.node_id()) + "_seen"), SLUICE_KIND_INT);
    return Status();
  }
};

class Square : public PassOn {
 public:
  static OpSchema schema() {
    return OpSchema("schema.square")
        .doc("Squares a number.")
        .input("value", SLUICE_KIND_FLOAT, "Number")
        .output("square", SLUICE_KIND_FLOAT, "Its square");
  }
};

class Write : public PassOn {
 public:
  static OpSchema schema() {
    return OpSchema("schema.write")
        .doc("Writes text.")
        .sink()
        .input("text", SLUICE_KIND_STRING, "Text")
        .optional_input("label", SLUICE_KIND_STRING, "Label")
        .param(ParamSpec::String("path", "File to write"));
  }
};

}  // namespace

SLUICE_PLUGIN("schema", "0.0.1", "Schemas for the loader and validator tests.") {
  plugin.op<Read>();
  plugin.op<ReadAny>();
  plugin.op<MapAll>();
  plugin.op<SplitWords>();
  plugin.op<Encode>();
  plugin.op<Tag>();
  plugin.op<Square>();
  plugin.op<Write>();
  plugin.resource<Vocab>();
  plugin.resource<Model>();
}
