#include "core/geometry.hpp"

#include <stdexcept>

namespace foci {

double Affine::determinant() const {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
         m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
         m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

Affine Affine::inverse() const {
  const double det = determinant();
  if (!std::isfinite(det) || std::abs(det) < 1e-12) {
    throw std::domain_error("affine is singular");
  }
  Affine r;
  auto& a = m;
  r.m[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
  r.m[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
  r.m[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
  r.m[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
  r.m[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
  r.m[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
  r.m[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
  r.m[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
  r.m[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
  for (int i = 0; i < 3; ++i) {
    r.m[i][3] = -(r.m[i][0] * a[0][3] + r.m[i][1] * a[1][3] + r.m[i][2] * a[2][3]);
  }
  return r;
}

Affine Affine::compose(const Affine& o) const {
  Affine r;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 4; ++j) {
      double v = j == 3 ? m[i][3] : 0.0;
      for (int k = 0; k < 3; ++k) v += m[i][k] * o.m[k][j];
      r.m[i][j] = v;
    }
  }
  return r;
}

double Affine::column_norm(int c) const {
  return std::sqrt(m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]);
}

double Affine::row_norm(int r) const {
  return std::sqrt(m[r][0] * m[r][0] + m[r][1] * m[r][1] + m[r][2] * m[r][2]);
}

bool Affine::near(const Affine& other, double tolerance) const {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      if (!(std::abs(m[i][j] - other.m[i][j]) <= tolerance)) return false;
  return true;
}

}  // namespace foci
