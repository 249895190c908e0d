#include "train/ops.h"

SLUICE_PLUGIN("train", "0.1.0",
              "Training and inference of nn.model resources: train.fit (loss, backward pass, "
              "SGD/Adam/AdamW with learning-rate schedules and gradient clipping), "
              "train.cross_validate (k-fold cross-validation), train.predict (classes and "
              "probabilities) and train.evaluate (held-out loss).") {
  sluice::train::add_fit(plugin);
  sluice::train::add_cross_validate(plugin);
  sluice::train::add_predict(plugin);
  sluice::train::add_evaluate(plugin);
}
