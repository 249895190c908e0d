#include "io/ops.h"

SLUICE_PLUGIN("io", "0.1.0",
              "Reading and writing records: text lines, CSV/TSV, JSON lines and file listings in; "
              "JSON lines, CSV, .npy and .safetensors out.") {
  sluice::io::add_read_lines(plugin);
  sluice::io::add_read_csv(plugin);
  sluice::io::add_read_jsonl(plugin);
  sluice::io::add_list_files(plugin);
  sluice::io::add_write_jsonl(plugin);
  sluice::io::add_write_csv(plugin);
  sluice::io::add_write_npy(plugin);
  sluice::io::add_write_safetensors(plugin);
}
