// Random parameters of the augmentation ops, drawn with torchvision's sampling rules from a
// deterministic generator (core::Rng), so they depend only on the seed. Pure; an Rng is used by one
// thread.
#pragma once

#include "core/rng.h"
#include "image/geometry.h"
#include "image/warp.h"

#include <array>
#include <vector>

namespace sluice::image {

// Uniform in [lo, hi).
double uniform(core::Rng& rng, double lo, double hi);

// The generator of one record in one node: the record's seed mixed with the node's.
core::Rng record_rng(uint64_t record_seed, uint64_t node_seed);

// torchvision RandomResizedCrop.get_params: up to 10 tries of area fraction U(scale) and aspect
// exp(U(log ratio)), w = round(sqrt(area * aspect)), h = round(sqrt(area / aspect)), kept when it
// fits, at a uniform position; else the largest centred crop with the aspect clamped to `ratio`.
Box sample_resized_crop(core::Rng& rng, int height, int width, std::array<double, 2> scale,
                        std::array<double, 2> ratio);

// torchvision RandomCrop.get_params: a uniform position of a crop_h x crop_w window
// (crop <= image).
Box sample_crop(core::Rng& rng, int height, int width, int crop_h, int crop_w);

// torchvision RandomAffine.get_params: angle U(degrees); translation round(U(-f * size, f * size))
// per axis when `translate` is set; scale U(scale) when set, else 1; shear x U(shear[0..1]) and
// shear y U(shear[2..3]) for those given (empty: none).
AffineParams sample_affine(core::Rng& rng, int height, int width, std::array<double, 2> degrees,
                           const std::vector<double>& translate, const std::vector<double>& scale,
                           const std::vector<double>& shear);

// A uniform permutation of 0..3 (ColorJitter's order of brightness, contrast, saturation, hue).
std::array<int, 4> sample_order(core::Rng& rng);

}  // namespace sluice::image
