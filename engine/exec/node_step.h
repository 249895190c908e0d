// The executor's inner loops: a source filling a packet, and a node running over a packet's
// records (then finishing, at the end of the stream). Both count into the caller's NodeStats and
// report failures and rejections through the StageContext; they return false when the run
// failed. Called by one task at a time per packet.
#pragma once

#include "engine/exec/node_stats.h"
#include "engine/exec/packet.h"
#include "engine/exec/stage_context.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sluice {

// A source packet holds at most this many records, and stops growing once its records hold
// this many bytes of tensors, strings and bytes (a produce call may overshoot both).
inline constexpr size_t kMaxPacketRecords = 64;
inline constexpr size_t kMaxPacketBytes = size_t{1} << 20;

// Where a source is in its stream.
struct SourceCursor {
  int node = -1;      // stage node index
  uint64_t seed = 0;  // node_seed() of the source: records' seeds derive from it
  int64_t next = 0;   // index of the next input record (emitted and rejected ones count)
  bool done = false;  // produce said done; finish has run
  size_t max_records = kMaxPacketRecords;  // records per packet (see packet_records)
};

// Records per packet for a source that says it will produce `size_hint` records (< 0: unknown)
// on `threads` threads: kMaxPacketRecords, or fewer for a short stream, so that it still makes
// at least 4 packets per thread (a stream of 100 records on 2 threads: packets of 12) and every
// thread has work when each record is costly (decoding an image).
size_t packet_records(int64_t size_hint, int threads);

// Fills `p` (empty, seq set) with the source's next records, stamping each with the seed of its
// index and, unless the source set one, its index as position. When the source is done, calls
// its finish and marks `p` as the end of the stream.
bool produce_packet(StageContext& sc, SourceCursor& cursor, Packet& p, NodeStats& stats);

// Replaces the records of `p` with what node `node` emits for them (a record it rejects under
// on_error: skip goes to the reject sink), then calls finish when `p` ends the stream.
// `source` is the stage index of the tree's source (for rejected records); `spare` is scratch
// space kept between calls to save allocations.
bool run_node(StageContext& sc, int node, int source, Packet& p, std::vector<RecordPtr>& spare,
              NodeStats& stats);

}  // namespace sluice
