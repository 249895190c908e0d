#include "audio/sound_file.h"

#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace sluice::audio {
namespace {

// A file in memory for sf_open_virtual: read from `data`, or written to `out`.
struct MemoryFile {
  const char* data = nullptr;
  sf_count_t size = 0;
  sf_count_t pos = 0;
  std::string* out = nullptr;
};

sf_count_t mem_length(void* user) { return static_cast<MemoryFile*>(user)->size; }
sf_count_t mem_tell(void* user) { return static_cast<MemoryFile*>(user)->pos; }

sf_count_t mem_seek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : f->size;
  sf_count_t to = base + offset;
  if (to < 0) return -1;
  f->pos = to;
  return f->pos;
}

sf_count_t mem_read(void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  if (f->pos >= f->size || count <= 0) return 0;
  sf_count_t n = std::min(count, f->size - f->pos);
  std::memcpy(ptr, f->data + f->pos, static_cast<size_t>(n));
  f->pos += n;
  return n;
}

sf_count_t mem_write(const void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  if (f->out == nullptr || count < 0) return 0;
  auto end = static_cast<size_t>(f->pos + count);
  if (f->out->size() < end) f->out->resize(end);
  std::memcpy(&(*f->out)[static_cast<size_t>(f->pos)], ptr, static_cast<size_t>(count));
  f->pos += count;
  f->size = static_cast<sf_count_t>(f->out->size());
  f->data = f->out->data();
  return count;
}

SF_VIRTUAL_IO memory_io() {
  SF_VIRTUAL_IO io{};
  io.get_filelen = mem_length;
  io.seek = mem_seek;
  io.read = mem_read;
  io.write = mem_write;
  io.tell = mem_tell;
  return io;
}

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

Status bad(const std::string& name, const std::string& why) {
  return Status::BadRecord("'" + name + "': " + why);
}

// libsndfile shortens a data chunk that claims more bytes than the file holds, and logs it as
// "data : <claimed> (should be <real>)"; such a file is truncated (or its size header absurd).
bool log_reports_truncation(SNDFILE* f) {
  char log[8192] = {0};
  sf_command(f, SFC_GET_LOG_INFO, log, sizeof(log) - 1);
  for (const char* line = log; line != nullptr && *line != '\0';) {
    const char* end = std::strchr(line, '\n');
    const std::string_view l(line, end ? static_cast<size_t>(end - line) : std::strlen(line));
    if ((l.rfind("data", 0) == 0 || l.rfind("SSND", 0) == 0) &&
        l.find("should be") != std::string_view::npos) {
      return true;
    }
    line = end ? end + 1 : nullptr;
  }
  return false;
}

// Checks the header of an opened file, then reads its frames into (channels, frames) planes.
Expected<Decoded> read_opened(SNDFILE* f, const SF_INFO& info, const std::string& name,
                              const DecodeOptions& options) {
  if (info.channels < 1 || info.channels > kMaxChannels) {
    return bad(name, "expected 1 to " + std::to_string(kMaxChannels) + " channels, found " +
                         std::to_string(info.channels));
  }
  if (info.samplerate < 1 || info.samplerate > kMaxSampleRate) {
    return bad(name, "expected a sample rate of 1 to " + std::to_string(kMaxSampleRate) +
                         " Hz, found " + std::to_string(info.samplerate));
  }
  if (info.frames <= 0) return bad(name, "no audio frames");
  if (options.max_seconds > 0 &&
      static_cast<double>(info.frames) > options.max_seconds * info.samplerate) {
    return bad(name, "header says " + std::to_string(info.frames) + " frames at " +
                         std::to_string(info.samplerate) + " Hz (" +
                         std::to_string(static_cast<double>(info.frames) / info.samplerate) +
                         " s), more than max_seconds " + std::to_string(options.max_seconds));
  }
  if (info.frames > kMaxSamples / info.channels) {
    return bad(name, "header says " + std::to_string(info.frames) + " frames of " +
                         std::to_string(info.channels) + " channels, more than the limit of " +
                         std::to_string(kMaxSamples) + " samples");
  }
  if (log_reports_truncation(f)) {
    return bad(name, "truncated: its data chunk claims more bytes than the file holds");
  }
  const int channels = info.channels;
  const int64_t frames = info.frames;
  Decoded out;
  out.sample_rate = info.samplerate;
  out.audio.channels = options.mono ? 1 : channels;
  out.audio.frames = frames;
  out.audio.samples.assign(static_cast<size_t>(out.audio.channels * frames), 0.0f);
  int64_t done = 0;
  if (channels == 1) {  // mono: straight into the output, no interleaved chunk to copy from
    while (done < frames) {
      const sf_count_t got = sf_readf_float(f, out.audio.samples.data() + done, frames - done);
      if (got <= 0) break;
      done += got;
    }
  }
  constexpr int64_t kChunk = 4096;
  std::vector<float> chunk(channels == 1 ? 0 : static_cast<size_t>(kChunk * channels));
  while (done < frames) {
    const sf_count_t want = std::min(kChunk, frames - done);
    const sf_count_t got = sf_readf_float(f, chunk.data(), want);
    if (got <= 0) break;
    for (sf_count_t t = 0; t < got; ++t) {
      const float* frame = chunk.data() + t * channels;
      if (options.mono) {
        float sum = 0.0f;
        for (int c = 0; c < channels; ++c) sum += frame[c];
        out.audio.samples[static_cast<size_t>(done + t)] = sum / static_cast<float>(channels);
      } else {
        for (int c = 0; c < channels; ++c) out.audio.channel(c)[done + t] = frame[c];
      }
    }
    done += got;
  }
  if (done < frames) {
    return bad(name, "truncated: header says " + std::to_string(frames) + " frames, " +
                         std::to_string(done) + " could be read (" + sf_strerror(f) + ")");
  }
  return out;
}

Expected<SF_INFO> write_info(const Waveform& audio, int sample_rate, const EncodeFormat& format) {
  if (audio.channels < 1 || audio.channels > kMaxChannels) {
    return Status::BadRecord("cannot encode " + std::to_string(audio.channels) + " channels");
  }
  if (sample_rate < 1 || sample_rate > kMaxSampleRate) {
    return Status::BadRecord("cannot encode a sample rate of " + std::to_string(sample_rate));
  }
  if (format.container == FileFormat::kFlac && format.samples == SampleFormat::kFloat) {
    return Status::Invalid("FLAC holds integer samples only (pcm16 or pcm24)");
  }
  if (!(format.vorbis_quality >= 0.0 && format.vorbis_quality <= 1.0)) {
    return Status::Invalid("expected a Vorbis quality in [0, 1], found " +
                           std::to_string(format.vorbis_quality));
  }
  SF_INFO info{};
  info.channels = audio.channels;
  info.samplerate = sample_rate;
  const int sub = format.samples == SampleFormat::kPcm16   ? SF_FORMAT_PCM_16
                  : format.samples == SampleFormat::kPcm24 ? SF_FORMAT_PCM_24
                                                           : SF_FORMAT_FLOAT;
  switch (format.container) {
    case FileFormat::kWav:
      info.format = SF_FORMAT_WAV | sub;
      break;
    case FileFormat::kFlac:
      info.format = SF_FORMAT_FLAC | sub;
      break;
    case FileFormat::kOggVorbis:
      info.format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
      break;
  }
  if (!sf_format_check(&info)) {
    return Status::Invalid("libsndfile cannot write this format (" +
                           std::to_string(audio.channels) + " channels at " +
                           std::to_string(sample_rate) + " Hz)");
  }
  return info;
}

// Settings that must be made after opening and before the first write.
void configure_writer(SNDFILE* f, const EncodeFormat& format) {
  if (format.container != FileFormat::kOggVorbis) return;
  double quality = format.vorbis_quality;
  sf_command(f, SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof quality);
}

// Vorbis codes floats but libsndfile expects them in [-1, 1]; PCM clips there too.
bool clips(const EncodeFormat& format) {
  return format.container == FileFormat::kOggVorbis || format.samples != SampleFormat::kFloat;
}

Status write_frames(SNDFILE* f, const Waveform& audio, bool clip, const std::string& name) {
  if (clip) sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  constexpr int64_t kChunk = 4096;
  std::vector<float> chunk(static_cast<size_t>(kChunk * audio.channels));
  for (int64_t t0 = 0; t0 < audio.frames; t0 += kChunk) {
    const int64_t n = std::min(kChunk, audio.frames - t0);
    for (int64_t t = 0; t < n; ++t) {
      for (int c = 0; c < audio.channels; ++c) {
        chunk[static_cast<size_t>(t * audio.channels + c)] = audio.channel(c)[t0 + t];
      }
    }
    if (sf_writef_float(f, chunk.data(), n) != n) {
      return Status::IoError("'" + name + "': write failed: " + sf_strerror(f));
    }
  }
  return {};
}

}  // namespace

// Files up to this size are read whole with one read() and decoded from memory: libsndfile reading
// a file itself makes some 25 small reads and seeks for a short WAV.
constexpr off_t kReadWholeBytes = off_t{8} << 20;

Expected<Decoded> decode_file(const std::string& path, const DecodeOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return bad(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= kReadWholeBytes) {
    thread_local std::string contents;  // this thread's file buffer, kept between records
    contents.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    int read_errno = 0;
    while (got < contents.size()) {
      const ssize_t n = ::read(fd, contents.data() + got, contents.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) read_errno = errno;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    ::close(fd);
    if (got < contents.size()) {
      return bad(path, "read " + std::to_string(got) + " of " + std::to_string(contents.size()) +
                           " bytes" +
                           (read_errno != 0 ? std::string(": ") + std::strerror(read_errno) : ""));
    }
    return decode_bytes(contents, path, options);
  }
  ::close(fd);
  SF_INFO info{};
  SndfilePtr f(sf_open(path.c_str(), SFM_READ, &info));
  if (!f) return bad(path, std::string("not a readable sound file: ") + sf_strerror(nullptr));
  return read_opened(f.get(), info, path, options);
}

Expected<Decoded> decode_bytes(std::string_view bytes, const std::string& name,
                               const DecodeOptions& options) {
  if (bytes.empty()) return bad(name, "empty (0 bytes)");
  MemoryFile mem;
  mem.data = bytes.data();
  mem.size = static_cast<sf_count_t>(bytes.size());
  SF_VIRTUAL_IO io = memory_io();
  SF_INFO info{};
  SndfilePtr f(sf_open_virtual(&io, SFM_READ, &info, &mem));
  if (!f) return bad(name, std::string("not a readable sound file: ") + sf_strerror(nullptr));
  return read_opened(f.get(), info, name, options);
}

Status encode_file(const Waveform& audio, int sample_rate, const EncodeFormat& format,
                   const std::string& path) {
  Expected<SF_INFO> info = write_info(audio, sample_rate, format);
  if (!info.ok()) return info.status();
  SndfilePtr f(sf_open(path.c_str(), SFM_WRITE, &*info));
  if (!f) return Status::IoError("'" + path + "': cannot write: " + sf_strerror(nullptr));
  configure_writer(f.get(), format);
  SLUICE_RETURN_IF_ERROR(write_frames(f.get(), audio, clips(format), path));
  if (sf_close(f.release()) != 0) return Status::IoError("'" + path + "': close failed");
  return {};
}

Expected<std::string> encode_bytes(const Waveform& audio, int sample_rate,
                                   const EncodeFormat& format) {
  Expected<SF_INFO> info = write_info(audio, sample_rate, format);
  if (!info.ok()) return info.status();
  std::string out;
  MemoryFile mem;
  mem.out = &out;
  mem.data = out.data();
  SF_VIRTUAL_IO io = memory_io();
  SndfilePtr f(sf_open_virtual(&io, SFM_WRITE, &*info, &mem));
  if (!f) return Status::Internal(std::string("cannot encode: ") + sf_strerror(nullptr));
  configure_writer(f.get(), format);
  SLUICE_RETURN_IF_ERROR(write_frames(f.get(), audio, clips(format), "<bytes>"));
  sf_close(f.release());
  return out;
}

}  // namespace sluice::audio
