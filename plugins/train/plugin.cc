#include "train/ops.h"

SLUICE_PLUGIN("train", "0.1.0",
              "Training and inference of nn.model resources: train.fit (loss, backward pass, "
              "SGD/Adam/AdamW with learning-rate schedules and gradient clipping) and "
              "train.predict (classes and probabilities).") {
  sluice::train::add_fit(plugin);
  sluice::train::add_predict(plugin);
}
