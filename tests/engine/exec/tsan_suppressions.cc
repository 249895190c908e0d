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
//   race:std::_Sp_counted_base<...>::_M_add_ref_copy
//                                     TBB copying a PacketPtr it holds into the executor's body
//                                     (the node bodies take the handle by value, so they never
//                                     read TBB's storage): the reference count's first write, in
//                                     make_shared on the source's thread, reached this thread
//                                     through TBB's queues
//   race:tbb::detail::d1::spin_mutex::  a TBB node's lock, first taken by a task on another thread
//   called_from_lib:libtbb.so         libc calls made inside libtbb itself
extern "C" const char* __tsan_default_suppressions() {
  return "race_top:tbb::detail::\n"
         "race:std::__shared_ptr<sluice::Packet\n"
         "race:std::_Sp_counted_base<(__gnu_cxx::_Lock_policy)2>::_M_add_ref_copy\n"
         "race:tbb::detail::d1::spin_mutex::\n"
         "called_from_lib:libtbb.so\n";
}
