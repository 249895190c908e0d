# CUDA kernels, per SLUICE_CUDA:
#   auto  on when nvcc is found ($CUDACXX, PATH, or /usr/local/cuda/bin/nvcc) and the build has no
#         sanitizers (they cannot see into the CUDA runtime and driver, and AddressSanitizer's
#         shadow memory gets in the way of the driver's mappings);
#   on    as auto, but a missing nvcc or a sanitizer build is a configuration error;
#   off   plain C++ only.
# Sets SLUICE_WITH_CUDA (ON/OFF) for the plugins and tests. Kernels are built for
# CMAKE_CUDA_ARCHITECTURES (default 90: H100/H200, real code plus PTX, so newer GPUs JIT it).
string(TOLOWER "${SLUICE_CUDA}" sluice_cuda_mode)
if(NOT sluice_cuda_mode MATCHES "^(auto|on|off)$")
  message(FATAL_ERROR "SLUICE_CUDA: expected auto, on or off, found '${SLUICE_CUDA}'")
endif()

set(SLUICE_WITH_CUDA OFF)
if(sluice_cuda_mode STREQUAL "off")
  message(STATUS "CUDA kernels: off (SLUICE_CUDA=off)")
elseif(SLUICE_SANITIZE)
  if(sluice_cuda_mode STREQUAL "on")
    message(FATAL_ERROR "SLUICE_CUDA=on with SLUICE_SANITIZE=${SLUICE_SANITIZE}: sanitizer builds "
                        "are CPU-only; use SLUICE_CUDA=off or auto there")
  endif()
  message(STATUS "CUDA kernels: off (sanitizer build)")
else()
  if(NOT DEFINED CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX}
     AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc CACHE FILEPATH "CUDA compiler")
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    set(CMAKE_CUDA_ARCHITECTURES 90 CACHE STRING "CUDA architectures (90: H100/H200, + PTX)")
    # Device line tables only, as -g1 for the host code (full device debug info is -G).
    set(CMAKE_CUDA_FLAGS_RELWITHDEBINFO "-O2 -lineinfo -DNDEBUG" CACHE STRING
        "CUDA flags, RelWithDebInfo")
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    # C++17: CMake 3.25 knows no C++20 flag for nvcc (the kernels need nothing newer).
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    set(CMAKE_CUDA_EXTENSIONS OFF)
    set(SLUICE_WITH_CUDA ON)
    message(STATUS "CUDA kernels: on (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, "
                   "architectures ${CMAKE_CUDA_ARCHITECTURES})")
  elseif(sluice_cuda_mode STREQUAL "on")
    message(FATAL_ERROR "SLUICE_CUDA=on but no nvcc was found (set CUDACXX or "
                        "CMAKE_CUDA_COMPILER, or install CUDA in /usr/local/cuda)")
  else()
    message(STATUS "CUDA kernels: off (no nvcc found)")
  endif()
endif()
