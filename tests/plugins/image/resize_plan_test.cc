// The GPU resize's plans, checked on the CPU: nearest's source indices are cv::resize
// INTER_NEAREST's (what the CPU path calls), the filters' taps are resample()'s, and the cache
// hands out one plan per pair of sizes.
#include "image/resize_plan.h"
#include "image/geometry.h"
#include "plugins/image/image_test_util.h"
#include "support/paths.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace img = sluice::image;

TEST_CASE("nearest plans pick cv::resize's source pixels", "[plugins][image][image_gpu]") {
  const cv::Mat photo =
      cv::imread(sluice::test::shared_data_dir() + "/image/photos/china.jpg", cv::IMREAD_COLOR);
  REQUIRE(!photo.empty());
  const cv::Mat small = sluice::test::reference_image("china_input.png");
  for (const cv::Mat* src : {&photo, &small}) {
    for (const cv::Size out :
         {cv::Size(61, 37), cv::Size(120, 80), cv::Size(224, 224), cv::Size(7, 5),
          cv::Size(1000, 3), cv::Size(333, 1001), cv::Size(src->cols * 3, src->rows * 2)}) {
      INFO(src->cols << "x" << src->rows << " -> " << out.width << "x" << out.height);
      const img::ResizePlan plan =
          img::make_resize_plan(src->size(), out, img::Interpolation::kNearest);
      REQUIRE(plan.x.width == 1);
      REQUIRE(plan.y.width == 1);
      cv::Mat gathered(out, src->type());
      for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
          REQUIRE(plan.x.weight[x] == 1.0f);
          gathered.at<cv::Vec3b>(y, x) = src->at<cv::Vec3b>(plan.y.start[y], plan.x.start[x]);
        }
      }
      cv::Mat want;
      cv::resize(*src, want, out, 0, 0, cv::INTER_NEAREST);
      CHECK(sluice::test::pixel_diff(gathered, want).max_abs == 0);
    }
  }
}

TEST_CASE("filter plans are resample()'s taps over the whole image, and the cache keeps them",
          "[plugins][image][image_gpu]") {
  CHECK(img::gpu_resizes(img::Interpolation::kNearest, false));
  CHECK(img::gpu_resizes(img::Interpolation::kBilinear, true));
  CHECK(img::gpu_resizes(img::Interpolation::kLanczos, true));
  CHECK_FALSE(img::gpu_resizes(img::Interpolation::kBilinear, false));
  CHECK_FALSE(img::gpu_resizes(img::Interpolation::kArea, true));
  const img::ResizePlan p =
      img::make_resize_plan({640, 427}, {224, 150}, img::Interpolation::kBicubic);
  const img::Taps x = img::make_taps(640, 0, 640, 224, img::ResampleFilter::kCubic);
  CHECK(p.x.width == x.width);
  CHECK(p.x.start == x.start);
  CHECK(p.x.weight == x.weight);
  CHECK(p.y.start.size() == 150);
  CHECK(p.y.start.back() + p.y.width <= 427);

  img::ResizePlanCache cache(img::Interpolation::kBilinear);
  auto a = cache.get({640, 427}, {224, 150});
  CHECK(cache.get({640, 427}, {224, 150}) == a);
  CHECK(cache.get({427, 640}, {150, 224}) != a);
  for (int i = 1; i <= 70; ++i) {
    auto q = cache.get({100 + i, 100}, {50, 50});
    CHECK(q->in == cv::Size(100 + i, 100));
    CHECK(q->x.start.size() == 50);
  }
}
