#include "nn/model_resource.h"

SLUICE_PLUGIN("nn", "0.1.0",
              "Neural-network models: the nn.model resource (sequential layers with forward and "
              "backward passes on the CPU, OpenBLAS for matrix products, weights in .safetensors "
              "with PyTorch's state_dict names).") {
  sluice::nn::add_model_resource(plugin);
}
