#include "text/ops.h"

SLUICE_PLUGIN("text", "0.1.0",
              "Text: Unicode normalisation, word splitting, a vocabulary resource and encoding "
              "words to id tensors, model tokenizers (GPT-2, cl100k_base, BERT WordPiece, Hugging "
              "Face tokenizer.json), byte-level BPE training, packing token streams into "
              "training blocks and sampling a language model's continuation of a prompt (Unicode "
              "support from ICU).") {
  sluice::text::add_normalize(plugin);
  sluice::text::add_split_words(plugin);
  sluice::text::add_vocabulary(plugin);
  sluice::text::add_vocabulary_update(plugin);
  sluice::text::add_encode(plugin);
  sluice::text::add_tokenize(plugin);
  sluice::text::add_detokenize(plugin);
  sluice::text::add_tokenizer_resource(plugin);
  sluice::text::add_pack(plugin);
  sluice::text::add_train_bpe(plugin);
  sluice::text::add_generate(plugin);
}
