// ThreadSanitizer suppressions compiled into the executor tests (TSan calls this hook at start-up;
// other builds never do). libtbb.so is not built with ThreadSanitizer, so TSan cannot see the
// synchronisation inside TBB's scheduler: a task built on one thread and run on another looks
// like a race on the task, on the flow-graph node state it touches, and on the message it holds.
// The executor marks its own hand-overs (engine/exec/handover.h); these cover only what happens
// inside TBB:
//   race_top:tbb::detail::            the racing access is TBB's own code
//   race:std::__shared_ptr<sluice::Packet
//                                     TBB copying or reading the PacketPtr handle it stores in a
//                                     task or buffer (the packet's contents stay checked)
//   race:tbb::detail::d1::spin_mutex::  a TBB node's lock, first taken by a task on another thread
//   called_from_lib:libtbb.so         libc calls made inside libtbb itself
extern "C" const char* __tsan_default_suppressions() {
  return "race_top:tbb::detail::\n"
         "race:std::__shared_ptr<sluice::Packet\n"
         "race:tbb::detail::d1::spin_mutex::\n"
         "called_from_lib:libtbb.so\n";
}
