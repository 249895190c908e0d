#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UndefinedBehaviorSanitizer, CPU only) in
# build-fuzz/ and runs each for SECONDS seconds (default 60) from a seed corpus of the repository's
# test data, its corpus growing in build-fuzz/corpus/<target>/. A crash leaves its input in
# build-fuzz/crashes/<target>/ and makes the script exit non-zero after the other targets ran.
# Usage: tools/fuzz/run.sh [SECONDS] [target...]   (targets: the *_fuzz.cc names, default all)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(image_decode_fuzz pretokenize_fuzz safetensors_fuzz
                                    json_record_fuzz pipeline_fuzz csv_fuzz hf_tokenizer_fuzz
                                    audio_decode_fuzz vocab_files_fuzz)
if ! command -v clang++ >/dev/null || ! dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1; then
  echo "fuzz: installing clang and libFuzzer (clang, libclang-rt-14-dev)"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-14-dev
fi

cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_FUZZ=ON -DSLUICE_SANITIZE=address,undefined \
  -DSLUICE_CUDA=OFF -DSLUICE_BUILD_TESTS=OFF -DSLUICE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

# The seeds of each target: files of the kind it reads.
seed() {
  local dir=build-fuzz/seeds/$1
  rm -rf "$dir" && mkdir -p "$dir"
  case $1 in
    image_decode_fuzz)
      cp tests/data/image/*_61x37.png ../shared/data/image/photos/*.jpg "$dir"/ ;;
    pretokenize_fuzz)
      head -c 4000 ../shared/data/text/tinyshakespeare.txt >"$dir"/shakespeare
      cut -c 1-2000 tests/data/tokenizers/cases.jsonl | split -l 1 - "$dir"/case- ;;
    safetensors_fuzz)
      cp tests/data/nn/*.safetensors "$dir"/ ;;
    json_record_fuzz)
      cut -c 1-4000 tests/data/tokenizers/cases.jsonl | head -20 | split -l 1 - "$dir"/line- ;;
    pipeline_fuzz)
      cp pipelines/*.yaml "$dir"/ ;;
    csv_fuzz)
      head -c 3000 ../shared/data/text/sms_spam.tsv >"$dir"/sms_spam.tsv
      printf 'a,"b ""q""",c\r\n"multi\nline",,"x"\n\n1,2\n' >"$dir"/quoted.csv ;;
    audio_decode_fuzz)
      cp ../shared/data/audio/fsdd/0_george_0.wav ../shared/data/audio/fsdd/7_jackson_12.wav \
        tests/data/audio/ogg/george_0.ogg "$dir"/ ;;
    vocab_files_fuzz)  # the first byte picks the loader: 0 tiktoken, 1 GPT-2's pair, 2 vocab.txt
      local vocab=../shared/data/vocab
      { printf '\0'; head -n 400 "$vocab"/tiktoken/r50k_base.tiktoken; } >"$dir"/r50k_head
      { printf '\2'; head -n 3000 "$vocab"/bert-base-uncased/vocab.txt; } >"$dir"/bert_vocab_head
      # GPT-2's 256 byte tokens and first 200 merges: encoder.json, a NUL byte, vocab.bpe
      python3 - "$vocab"/gpt2 "$dir"/gpt2_head <<'PY'
import json, sys
encoder = json.load(open(sys.argv[1] + "/encoder.json", encoding="utf-8"))
lines = open(sys.argv[1] + "/vocab.bpe", encoding="utf-8").read().split("\n")
small = {t: i for t, i in encoder.items() if i < 256 + 200}
with open(sys.argv[2], "wb") as f:
    f.write(b"\1" + json.dumps(small).encode() + b"\0" + "\n".join(lines[:201]).encode() + b"\n")
PY
      ;;
    hf_tokenizer_fuzz)
      cp tests/data/tokenizers/*.json tools/fuzz/seeds/wordpiece_tokenizer.json "$dir"/ ;;
  esac
  echo "$dir"
}

failed=()
for t in "${targets[@]}"; do
  mkdir -p build-fuzz/corpus/"$t" build-fuzz/crashes/"$t"
  echo "== $t, ${seconds} s"
  if ! ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=tools/fuzz/lsan.supp \
      UBSAN_OPTIONS=print_stacktrace=1 \
      build-fuzz/bin/"$t" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=4096 \
      -artifact_prefix=build-fuzz/crashes/"$t"/ -print_final_stats=1 \
      build-fuzz/corpus/"$t" "$(seed "$t")" 2>&1 | tail -25; then
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in build-fuzz/crashes/)"
  exit 1
fi
echo "fuzz: no crash in ${targets[*]}"
