// How the model's CUDA path computes its matrix products (nn.model's `matmul` param): float32
// throughout (cuBLAS sgemm, the default) or bf16 (cuBLAS on float32 data with its
// CUBLAS_COMPUTE_32F_FAST_16BF compute type: the operands rounded to bfloat16 on the tensor
// cores, the products summed in float32). The CPU always computes in float32.
#pragma once

namespace sluice::nn {

enum class MatmulPrecision { kFloat32, kBf16 };

}  // namespace sluice::nn
