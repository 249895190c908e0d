# sluice_add_plugin(NAME SOURCES...): builds a sluice plugin as a shared module named NAME.so,
# with hidden symbols (only the entry point is exported) against Sluice::sdk.
function(sluice_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE Sluice::sdk)
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden
                                           VISIBILITY_INLINES_HIDDEN ON)
endfunction()
