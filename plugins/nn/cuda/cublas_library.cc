#include "nn/cuda/cublas_library.h"

#include <dlfcn.h>

#include <string>

namespace sluice::nn::cuda_kernels {
namespace {

// `name` of `library`, or null with `error` set.
template <class F>
bool resolve(void* library, const char* name, F* out, std::string& error) {
  *out = reinterpret_cast<F>(dlsym(library, name));
  if (*out == nullptr) error = std::string("no symbol ") + name;
  return *out != nullptr;
}

Expected<CublasApi> load() {
  const std::string soname = "libcublas.so." + std::to_string(CUBLAS_VER_MAJOR);
  const std::string in_toolkit = std::string(SLUICE_CUDA_LIBRARY_DIR) + "/" + soname;
  std::string tried;
  void* library = nullptr;
  for (const std::string& file : {soname, in_toolkit}) {
    library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library != nullptr) break;
    const char* why = dlerror();
    tried += (tried.empty() ? "" : "; ") + file + ": " + (why != nullptr ? why : "not loaded");
  }
  if (library == nullptr) {
    return Status::Unsupported("expected cuBLAS " + std::to_string(CUBLAS_VER_MAJOR) +
                               " for the model's CUDA path, found none (" + tried + ")");
  }
  CublasApi api{};
  std::string error;
  const bool ok =
      resolve(library, "cublasCreate_v2", &api.create, error) &&
      resolve(library, "cublasDestroy_v2", &api.destroy, error) &&
      resolve(library, "cublasSetStream_v2", &api.set_stream, error) &&
      resolve(library, "cublasSgemm_v2", &api.sgemm, error) &&
      resolve(library, "cublasSgemmStridedBatched", &api.sgemm_strided_batched, error) &&
      resolve(library, "cublasGemmEx", &api.gemm_ex, error) &&
      resolve(library, "cublasGemmStridedBatchedEx", &api.gemm_strided_batched_ex, error) &&
      resolve(library, "cublasGetStatusString", &api.status_string, error);
  if (!ok) {
    return Status::Unsupported("expected cuBLAS " + std::to_string(CUBLAS_VER_MAJOR) + " in " +
                               soname + ", found " + error);
  }
  return api;
}

}  // namespace

Expected<const CublasApi*> cublas() {
  static const Expected<CublasApi> api = load();
  if (!api.ok()) return api.status();
  return &*api;
}

}  // namespace sluice::nn::cuda_kernels
