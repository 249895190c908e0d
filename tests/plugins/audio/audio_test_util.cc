#include "audio_test_util.h"

#include <charconv>
#include <cmath>

namespace sluice::audio::test {

Waveform tone(int rate, double seconds, const std::vector<double>& freqs,
              const std::vector<double>& amps, bool quantize, double noise) {
  Waveform w;
  w.channels = 1;
  w.frames = static_cast<int64_t>(std::llround(rate * seconds));
  w.samples.resize(static_cast<size_t>(w.frames));
  uint64_t state = 12345;
  for (int64_t n = 0; n < w.frames; ++n) {
    double x = 0;
    if (noise > 0) {
      state = (1103515245 * state + 12345) & 0x7FFFFFFF;
      x += noise * (static_cast<double>(state) / 2147483648.0 * 2.0 - 1.0);
    }
    for (size_t i = 0; i < freqs.size(); ++i) {
      x += amps[i] * std::sin(2.0 * M_PI * freqs[i] * static_cast<double>(n) / rate);
    }
    w.samples[n] = quantize ? static_cast<float>(std::nearbyint(32767.0 * x) / 32768.0)
                            : static_cast<float>(x);
  }
  return w;
}

std::string audio_record(const Waveform& audio, int rate) {
  std::string out = "{\"audio\": {\"dtype\": \"float32\", \"shape\": [" +
                    std::to_string(audio.channels) + ", " + std::to_string(audio.frames) +
                    "], \"data\": [";
  char buf[32];
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    if (i) out += ',';
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), audio.samples[i]);
    out.append(buf, end);
  }
  return out + "]}, \"sample_rate\": " + std::to_string(rate) + "}";
}

JsonTensor tensor_of(const boost::json::object& record, const std::string& field) {
  const auto& t = record.at(field).as_object();
  JsonTensor out;
  for (const auto& d : t.at("shape").as_array()) out.shape.push_back(d.to_number<int64_t>());
  for (const auto& v : t.at("data").as_array()) out.data.push_back(v.to_number<double>());
  return out;
}

Waveform waveform_of(const boost::json::object& record, const std::string& field) {
  JsonTensor t = tensor_of(record, field);
  Waveform w;
  w.channels = static_cast<int>(t.shape.at(0));
  w.frames = t.shape.at(1);
  w.samples.assign(t.data.begin(), t.data.end());
  return w;
}

double amplitude_at(const float* x, int64_t begin, int64_t end, double freq, int rate) {
  double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0;
  for (int64_t n = begin; n < end; ++n) {
    const double ph = 2.0 * M_PI * freq * static_cast<double>(n) / rate;
    const double s = std::sin(ph), c = std::cos(ph);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    xs += x[n] * s;
    xc += x[n] * c;
  }
  const double det = ss * cc - sc * sc;
  const double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
  return std::hypot(a, b);
}

namespace {
void put16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string& s, uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}
}  // namespace

std::string wav_bytes(int channels, uint32_t rate, int bits, uint32_t data_size,
                      const std::string& data) {
  std::string s = "RIFF";
  put32(s, static_cast<uint32_t>(36 + data.size()));
  s += "WAVEfmt ";
  put32(s, 16);
  put16(s, 1);  // PCM
  put16(s, static_cast<uint32_t>(channels));
  put32(s, rate);
  const uint32_t block = static_cast<uint32_t>(channels * bits / 8);
  put32(s, rate * block);
  put16(s, block);
  put16(s, static_cast<uint32_t>(bits));
  s += "data";
  put32(s, data_size);
  return s + data;
}

}  // namespace sluice::audio::test
