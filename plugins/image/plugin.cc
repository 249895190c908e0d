#include "image/ops.h"

SLUICE_PLUGIN("image", "0.1.0",
              "Images: decoding (JPEG, PNG, BMP, WebP, TIFF), geometry and colour augmentation "
              "with torchvision's semantics, normalisation to float CHW tensors, encoding, and "
              "cutting sheets into labelled cells.") {
  using namespace sluice::image;
  add_decode(plugin);
  add_resize(plugin);
  add_center_crop(plugin);
  add_random_resized_crop(plugin);
  add_random_crop(plugin);
  add_flip(plugin);
  add_rotate(plugin);
  add_affine(plugin);
  add_color_jitter(plugin);
  add_grayscale(plugin);
  add_gaussian_blur(plugin);
  add_normalize(plugin);
  add_encode(plugin);
  add_grid_cells(plugin);
}
