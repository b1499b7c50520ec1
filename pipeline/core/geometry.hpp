#pragma once
// Plain geometry values shared by every stage. Unless a declaration says otherwise, a point is
// in MNI RAS millimetres: +x right, +y anterior, +z superior, as papers report coordinates.
#include <array>
#include <cmath>

namespace foci {

struct Vec3 {
  double x = 0, y = 0, z = 0;
};

inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline double norm(Vec3 v) { return std::sqrt(v.x * v.x + v.y * v.y + v.z * v.z); }
inline bool is_finite(Vec3 v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

/// A 3-D affine map: the top three rows of a 4x4 matrix whose last row is (0 0 0 1).
struct Affine {
  std::array<std::array<double, 4>, 3> m{{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}}};

  static Affine identity() { return {}; }
  static Affine from_rows(const std::array<std::array<double, 4>, 3>& rows) {
    Affine a;
    a.m = rows;
    return a;
  }

  Vec3 apply(Vec3 p) const {
    return {m[0][0] * p.x + m[0][1] * p.y + m[0][2] * p.z + m[0][3],
            m[1][0] * p.x + m[1][1] * p.y + m[1][2] * p.z + m[1][3],
            m[2][0] * p.x + m[2][1] * p.y + m[2][2] * p.z + m[2][3]};
  }
  /// Determinant of the linear (3x3) part.
  double determinant() const;
  /// Throws std::domain_error when the linear part is singular.
  Affine inverse() const;
  /// (this * other)(p) == this(other(p)).
  Affine compose(const Affine& other) const;
  /// Length of column c of the linear part: the step in mm of one voxel along axis c.
  double column_norm(int c) const;
  /// Length of row r of the linear part.
  double row_norm(int r) const;
  /// True when every entry differs by at most tolerance.
  bool near(const Affine& other, double tolerance) const;
};

}  // namespace foci
