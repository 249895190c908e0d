#include "eval/ops.h"

SLUICE_PLUGIN("eval", "0.1.0",
              "Evaluation of model outputs into the run report: eval.classification (accuracy, "
              "precision, recall, F1 per class, macro, weighted and micro, confusion matrix) and "
              "eval.regression (MSE, MAE, R2) and eval.perplexity (a language model's mean loss "
              "and perplexity).") {
  sluice::eval::add_classification(plugin);
  sluice::eval::add_regression(plugin);
  sluice::eval::add_perplexity(plugin);
}
