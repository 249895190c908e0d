# The build targets of the GPU checks, per part, sourced by run_cuda_checks.sh and
# make_gpu_bundle.sh: the test binaries (and benchmark) each part runs and the plugins they load.
# shellcheck shell=bash
# shellcheck disable=SC2034  # used by the scripts that source this file
nn_tests=(plugins_common_cuda_tests plugins_common_cuda_device_tests plugins_nn_cuda_tests
          plugins_nn_gpu_math_tests plugins_nn_device_cuda_tests plugins_nn_device_plan_tests
          plugins_nn_tests bench_nn_kernels)
nn_plugins=(io core text nn train eval)
image_tests=(plugins_common_cuda_tests plugins_common_cuda_device_tests plugins_image_cuda_tests
             plugins_image_tests)
image_plugins=(io core image)
