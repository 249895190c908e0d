#include "train/folds.h"

#include "core/rng.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <utility>

namespace sluice::train {
namespace {

Status check_counts(int64_t rows, int64_t folds) {
  if (folds < 2)
    return Status::Invalid("expected at least 2 folds, found " + std::to_string(folds));
  if (folds > rows) {
    return Status::Invalid("expected at most as many folds as rows (" + std::to_string(rows) +
                           "), found " + std::to_string(folds) + " folds");
  }
  return {};
}

// NumPy's legacy RandomState as its shuffle draws: MT19937 (std::mt19937 is the same generator,
// seeded the same way) and random_interval, a uniform integer in [0, max] from the smallest
// all-ones mask covering max, redrawn while above max (32-bit draws up to 2^32 - 1, 64-bit ones,
// high word first, above).
class NumpyGenerator {
 public:
  explicit NumpyGenerator(uint32_t seed) : mt_(seed) {}
  uint64_t interval(uint64_t max) {
    if (max == 0) return 0;
    uint64_t mask = max;
    for (int shift : {1, 2, 4, 8, 16, 32}) mask |= mask >> shift;
    uint64_t value = 0;
    if (max <= 0xffffffffULL) {
      do {
        value = mt_() & mask;
      } while (value > max);
    } else {
      do {
        const uint64_t high = mt_();
        value = ((high << 32) | mt_()) & mask;
      } while (value > max);
    }
    return value;
  }

 private:
  std::mt19937 mt_;
};

// RandomState.shuffle of a 1-D array: for i from n - 1 down to 1, swap v[i] and v[interval(i)].
void numpy_shuffle(std::vector<int64_t>& v, NumpyGenerator& gen) {
  for (size_t i = v.size(); i-- > 1;) std::swap(v[i], v[static_cast<size_t>(gen.interval(i))]);
}

}  // namespace

void numpy_shuffle(std::vector<int64_t>& v, uint32_t seed) {
  NumpyGenerator gen(seed);
  numpy_shuffle(v, gen);
}

void shuffle(std::vector<int64_t>& v, core::Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[static_cast<size_t>(rng.below(i))]);
  }
}

Expected<std::vector<int32_t>> kfold_assignment(int64_t rows, const FoldOptions& options) {
  SLUICE_RETURN_IF_ERROR(check_counts(rows, options.folds));
  std::vector<int64_t> order(static_cast<size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  if (options.shuffle) numpy_shuffle(order, static_cast<uint32_t>(options.seed));
  std::vector<int32_t> fold_of(order.size());
  const int64_t base = rows / options.folds, larger = rows % options.folds;
  size_t next = 0;
  for (int64_t f = 0; f < options.folds; ++f) {
    const int64_t size = base + (f < larger ? 1 : 0);
    for (int64_t i = 0; i < size; ++i) fold_of[order[next++]] = static_cast<int32_t>(f);
  }
  return fold_of;
}

Expected<std::vector<int32_t>> stratified_kfold_assignment(const std::vector<int64_t>& labels,
                                                           const FoldOptions& options,
                                                           std::string* warning) {
  if (warning != nullptr) warning->clear();
  const auto rows = static_cast<int64_t>(labels.size());
  SLUICE_RETURN_IF_ERROR(check_counts(rows, options.folds));
  // Classes in order of first appearance, and their sizes.
  std::map<int64_t, size_t> class_of;
  std::vector<size_t> encoded(labels.size());
  std::vector<int64_t> counts;
  for (size_t i = 0; i < labels.size(); ++i) {
    auto [it, added] = class_of.emplace(labels[i], counts.size());
    if (added) counts.push_back(0);
    encoded[i] = it->second;
    ++counts[it->second];
  }
  const int64_t folds = options.folds;
  const int64_t smallest = *std::min_element(counts.begin(), counts.end());
  const int64_t largest = *std::max_element(counts.begin(), counts.end());
  if (largest < folds) {
    return Status::Invalid("expected at most as many folds as the rows of the largest class (" +
                           std::to_string(largest) + "), found " + std::to_string(folds) +
                           " folds");
  }
  if (smallest < folds && warning != nullptr) {
    *warning = "the least populated class has only " + std::to_string(smallest) +
               " members, which is less than folds=" + std::to_string(folds);
  }
  // allocation[f][c]: rows of class c in fold f, dealing the rows sorted by class round-robin.
  const size_t classes = counts.size();
  std::vector<std::vector<int64_t>> allocation(static_cast<size_t>(folds),
                                               std::vector<int64_t>(classes, 0));
  int64_t position = 0;
  for (size_t c = 0; c < classes; ++c) {
    for (int64_t i = 0; i < counts[c]; ++i, ++position) ++allocation[position % folds][c];
  }
  NumpyGenerator gen(static_cast<uint32_t>(options.seed));
  std::vector<std::vector<int64_t>> fold_labels(classes);
  for (size_t c = 0; c < classes; ++c) {
    for (int64_t f = 0; f < folds; ++f) {
      fold_labels[c].insert(fold_labels[c].end(), static_cast<size_t>(allocation[f][c]), f);
    }
    if (options.shuffle) numpy_shuffle(fold_labels[c], gen);
  }
  std::vector<int32_t> fold_of(labels.size());
  std::vector<size_t> next(classes, 0);
  for (size_t i = 0; i < labels.size(); ++i) {
    fold_of[i] = static_cast<int32_t>(fold_labels[encoded[i]][next[encoded[i]]++]);
  }
  return fold_of;
}

}  // namespace sluice::train
