#include "overlay/projection.hpp"

#include <cmath>
#include <limits>

#include "core/enum_names.hpp"
#include "core/error.hpp"

namespace foci {

namespace {
constexpr NameTable<OverlayProjection, 4> kProjectionNames{
    {{OverlayProjection::extremum, "extremum"},
     {OverlayProjection::nearest, "nearest"},
     {OverlayProjection::average, "average"},
     {OverlayProjection::trilinear, "trilinear"}}};
}  // namespace

std::string to_string(OverlayProjection projection) {
  return name_in(kProjectionNames, projection);
}
std::vector<std::string> overlay_projection_names() { return names_in(kProjectionNames); }

std::vector<float> project_to_surface(const OverlayMap& map, const std::vector<Vec3>& points,
                                      const std::vector<Vec3>& outward_normals,
                                      OverlayProjection projection, ProjectionDepth depth) {
  if (points.size() != outward_normals.size()) {
    throw Error(ExitCode::internal, "project_to_surface: " + std::to_string(points.size()) +
                                        " points but " + std::to_string(outward_normals.size()) +
                                        " normals");
  }
  if (map.kind == OverlayKind::labels) projection = OverlayProjection::nearest;
  const auto sampling = projection == OverlayProjection::trilinear ? OverlayMap::Sampling::trilinear
                                                                   : OverlayMap::Sampling::nearest;
  const int samples = 1 + static_cast<int>(std::floor(depth.depth_mm / depth.step_mm + 1e-9));
  constexpr float kNone = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> out(points.size(), kNone);
  for (std::size_t v = 0; v < points.size(); ++v) {
    const Vec3 n = outward_normals[v];
    const double length = norm(n);
    if (!(length > 0)) continue;
    const Vec3 inward{-n.x / length, -n.y / length, -n.z / length};
    double sum = 0, best = 0;
    int counted = 0;
    bool found = false;
    for (int s = 0; s < samples; ++s) {
      const double d = s * depth.step_mm;
      const Vec3 p{points[v].x + inward.x * d, points[v].y + inward.y * d,
                   points[v].z + inward.z * d};
      const float value = map.value_at(p, sampling);
      if (!std::isfinite(value)) continue;
      ++counted;
      sum += value;
      if (projection == OverlayProjection::nearest && value != 0) {
        best = value;
        found = true;
        break;
      }
      // Strictly larger: of two samples of equal magnitude the shallower is kept.
      if (std::abs(value) > std::abs(best)) best = value;
    }
    if (counted == 0) continue;
    switch (projection) {
      case OverlayProjection::extremum:
        out[v] = static_cast<float>(best);
        break;
      case OverlayProjection::nearest:
        out[v] = found ? static_cast<float>(best) : 0.0f;
        break;
      case OverlayProjection::average:
      case OverlayProjection::trilinear:
        out[v] = static_cast<float>(sum / counted);
        break;
    }
  }
  return out;
}

}  // namespace foci
