// Trainer checkpoints: everything train.fit needs to continue a run exactly as if it had not
// stopped — the model's state_dict (parameters and buffers such as batch_norm's running
// statistics), the optimizer's buffers and step count, and how far into the stream of batches
// it was (the pipeline replays the same stream; the trainer skips the batches it had already
// used). One .safetensors file per checkpoint, "step-<N>.safetensors", written to a temporary
// name and renamed, so a crash never leaves half a checkpoint.
#pragma once

#include "nn/model.h"
#include "nn/optimizer.h"

#include <sluice/status.hpp>

#include <cstdint>
#include <string>

namespace sluice::train {

struct TrainerProgress {
  int64_t batches = 0;  // batches used, including those of steps not yet taken
  int64_t samples = 0;
  double loss_sum = 0;  // of the batches used
};

// Writes dir/step-<optimizer steps>.safetensors (dir is created). Errors name the file.
Status write_checkpoint(const std::string& dir, const nn::Model& model, nn::Optimizer& optimizer,
                        const TrainerProgress& progress);

// The path of the checkpoint with the most steps in `dir`, or "" when there is none.
std::string latest_checkpoint(const std::string& dir);

// Restores what write_checkpoint wrote into a model and optimizer of the same configuration; an
// error names the file and the tensor that is missing or of another shape.
Status read_checkpoint(const std::string& path, nn::Model& model, nn::Optimizer& optimizer,
                       TrainerProgress* progress);

}  // namespace sluice::train
