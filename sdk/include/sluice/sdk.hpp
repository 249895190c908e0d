// sluice C++ SDK: everything a plugin author includes.
//
// Header-only, over the C ABI in <sluice/plugin.h>; a plugin built with it never links against
// the engine. Ops: op.hpp; resources: op.hpp; layer types for nn.model: layer.hpp. See
// sdk/examples/ for complete out-of-tree plugins (text_stats: an op; custom_layer: a layer).
#ifndef SLUICE_SDK_HPP_
#define SLUICE_SDK_HPP_

#include <sluice/layer.hpp>
#include <sluice/op.hpp>
#include <sluice/params.hpp>
#include <sluice/plugin.h>
#include <sluice/plugin.hpp>
#include <sluice/record.hpp>
#include <sluice/schema.hpp>
#include <sluice/status.hpp>

#endif  // SLUICE_SDK_HPP_
