// What travels on a flow-graph edge: a run of records from one source, numbered so serial nodes
// can restore source order. Every packet of a source visits every segment of its tree, even when
// empty, so sequence numbers stay dense; the last one (`end`) makes each node finish.
#pragma once

#include "engine/runtime/record.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace sluice {

struct Packet {
  int64_t seq = 0;   // 0, 1, 2, ... per source
  bool end = false;  // the source's last packet: nodes call finish after its records
  std::vector<RecordPtr> records;
  // Copies of this packet (one per leaf of the tree) still in the graph; null when the tree has a
  // single leaf. The leaf that takes it to zero frees the packet's slot in the source's limiter.
  std::shared_ptr<std::atomic<int>> leaves_left;
};

// Shared so TBB can copy messages cheaply; a packet is used by one task at a time.
using PacketPtr = std::shared_ptr<Packet>;

}  // namespace sluice
