#include "engine/exec/node_step.h"

#include "engine/exec/collecting_emitter.h"
#include "engine/exec/seeds.h"

#include <algorithm>
#include <variant>

namespace sluice {
namespace {

size_t record_bytes(const sluice_record_s& r) {
  size_t bytes = 0;
  for (const auto& [field, value] : r.fields) {
    if (const auto* t = std::get_if<TensorRef>(&value)) {
      bytes += (*t) ? (*t)->nbytes : 0;
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      bytes += s->size();
    } else if (const auto* b = std::get_if<Bytes>(&value)) {
      bytes += b->data.size();
    }
  }
  return bytes;
}

// Gives records [from, end) of `records` their seeds and default positions; returns their bytes.
size_t stamp(SourceCursor& c, std::vector<RecordPtr>& records, size_t from) {
  size_t bytes = 0;
  for (size_t i = from; i < records.size(); ++i) {
    sluice_record_s& r = *records[i];
    r.seed = record_seed(c.seed, c.next);
    if (r.position == 0) r.position = c.next;
    ++c.next;
    bytes += record_bytes(r);
  }
  return bytes;
}

}  // namespace

size_t packet_records(int64_t size_hint, int threads) {
  if (size_hint < 0 || threads < 1) return kMaxPacketRecords;
  const int64_t per_packet = size_hint / (4 * static_cast<int64_t>(threads));
  return static_cast<size_t>(
      std::clamp<int64_t>(per_packet, 1, static_cast<int64_t>(kMaxPacketRecords)));
}

bool produce_packet(StageContext& sc, SourceCursor& c, Packet& p, NodeStats& stats) {
  NodeInstance& n = *sc.nodes[c.node];
  CollectingEmitter emitter(&p.records);
  size_t bytes = 0;
  RejectOrder order{c.node, p.seq, c.node, 0};
  while (!c.done && p.records.size() < c.max_records && bytes < kMaxPacketBytes) {
    if (sc.cancelled()) return false;
    size_t before = p.records.size();
    bool done = false;
    Status s = n.call_produce(&emitter, &done);
    bytes += stamp(c, p.records, before);
    const auto emitted = static_cast<int64_t>(p.records.size() - before);
    stats.records_in += emitted;
    stats.records_out += emitted;
    if (!s.ok()) {
      if (s.code() != SLUICE_BAD_RECORD || !n.skip_errors()) {
        sc.fail(c.node, s);
        return false;
      }
      ++stats.records_in;
      ++stats.rejected;
      sc.reject(order, n.take_reject_position(c.next), s.message());
      ++order.index;
      ++c.next;
    }
    c.done = done;
  }
  if (c.done) {
    size_t before = p.records.size();
    Status s = n.call_finish(&emitter);
    stamp(c, p.records, before);
    const auto emitted = static_cast<int64_t>(p.records.size() - before);
    stats.records_in += emitted;
    stats.records_out += emitted;
    if (!s.ok()) {
      sc.fail(c.node, s);
      return false;
    }
    p.end = true;
  }
  return true;
}

bool run_node(StageContext& sc, int node, int source, Packet& p, std::vector<RecordPtr>& spare,
              NodeStats& stats) {
  NodeInstance& n = *sc.nodes[node];
  const bool regroup = n.regroup();
  spare.clear();
  spare.swap(p.records);  // spare: this node's input; p.records: its output
  p.records.reserve(spare.size());
  CollectingEmitter emitter(&p.records);
  RejectOrder order{source, p.seq, node, 0};
  for (RecordPtr& in : spare) {
    const int64_t position = in->position;
    const size_t before = p.records.size();
    emitter.expect_input(in.get());
    Status s = n.call_process(in.get(), &emitter);
    if (emitter.input_emitted()) static_cast<void>(in.release());  // now owned by p.records
    ++stats.records_in;
    if (!s.ok()) {
      p.records.erase(p.records.begin() + static_cast<std::ptrdiff_t>(before), p.records.end());
      if (!n.skip_errors()) {
        sc.fail(node, s);
        return false;
      }
      ++stats.rejected;
      sc.reject(order, position, s.message());
      ++order.index;
      continue;
    }
    const size_t emitted = p.records.size() - before;
    stats.records_out += static_cast<int64_t>(emitted);
    if (emitted == 0 && !regroup) ++stats.filtered;
  }
  spare.clear();
  if (p.end) {
    emitter.expect_input(nullptr);
    const size_t before = p.records.size();
    Status s = n.call_finish(&emitter);
    stats.records_out += static_cast<int64_t>(p.records.size() - before);
    if (!s.ok()) {
      sc.fail(node, s);
      return false;
    }
  }
  return true;
}

}  // namespace sluice
