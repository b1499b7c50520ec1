#include "render/mesh_decimation.hpp"

#include <vtkCellArray.h>
#include <vtkCellArrayIterator.h>
#include <vtkPoints.h>
#include <vtkSmartPointer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"

namespace foci {

namespace {

using Vec3 = std::array<double, 3>;

Vec3 operator-(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 unit(const Vec3& a) {
  const double length = std::sqrt(dot(a, a));
  return length > 0 ? Vec3{a[0] / length, a[1] / length, a[2] / length} : Vec3{0, 0, 0};
}

/// The symmetric 4x4 matrix of a sum of squared distances to planes: a², ab, ac, ad, b², bc,
/// bd, c², cd, d² of each plane ax + by + cz + d = 0, summed.
struct Quadric {
  std::array<double, 10> m{};
  static Quadric of_plane(const Vec3& n, double d) {
    return {{n[0] * n[0], n[0] * n[1], n[0] * n[2], n[0] * d, n[1] * n[1], n[1] * n[2], n[1] * d,
             n[2] * n[2], n[2] * d, d * d}};
  }
  Quadric& operator+=(const Quadric& other) {
    for (std::size_t i = 0; i < m.size(); ++i) m[i] += other.m[i];
    return *this;
  }
  /// The summed squared distance of point `p` to the planes.
  double error_at(const Vec3& p) const {
    const double x = p[0], y = p[1], z = p[2];
    return m[0] * x * x + 2 * m[1] * x * y + 2 * m[2] * x * z + 2 * m[3] * x + m[4] * y * y +
           2 * m[5] * y * z + 2 * m[6] * y + m[7] * z * z + 2 * m[8] * z + m[9];
  }
};

double determinant(const Vec3& c0, const Vec3& c1, const Vec3& c2) {
  return dot(c0, cross(c1, c2));
}

struct Vertex {
  Vec3 p;
  Quadric q;
  int first_ref = 0;  ///< where this vertex's triangles start in `refs`
  int ref_count = 0;
  bool border = false;
};

struct Triangle {
  std::array<int, 3> v;
  std::array<double, 4> error;  ///< of collapsing edge (v[j], v[j+1]); [3] the least
  Vec3 normal;
  bool deleted = false;
  int changed_in = -1;  ///< the round that last moved one of its corners
};

/// A triangle that uses a vertex, and at which corner.
struct Ref {
  int triangle;
  int corner;
};

class Decimation {
 public:
  explicit Decimation(vtkPolyData* mesh) {
    vtkPoints* points = mesh->GetPoints();
    const vtkIdType point_count = points ? points->GetNumberOfPoints() : 0;
    vertices_.resize(static_cast<std::size_t>(point_count));
    for (vtkIdType i = 0; i < point_count; ++i) points->GetPoint(i, vertices_[i].p.data());
    vtkCellArray* polys = mesh->GetPolys();
    triangles_.reserve(static_cast<std::size_t>(polys->GetNumberOfCells()));
    const auto cells = vtk::TakeSmartPointer(polys->NewIterator());
    for (cells->GoToFirstCell(); !cells->IsDoneWithTraversal(); cells->GoToNextCell()) {
      vtkIdType size = 0;
      const vtkIdType* ids = nullptr;
      cells->GetCurrentCell(size, ids);
      if (size != 3) throw Error(ExitCode::internal, "decimation needs a mesh of triangles");
      Triangle t;
      for (int j = 0; j < 3; ++j) t.v[j] = static_cast<int>(ids[j]);
      triangles_.push_back(t);
    }
  }

  void run(std::size_t target) {
    const std::size_t start = triangles_.size();
    std::size_t deleted = 0;
    start_quadrics();
    std::vector<char> gone0, gone1;
    // The bound on a collapse's error (mm²) rises steeply round by round: 2e-6 in the first,
    // 0.06 in the tenth, 3.4 in the twentieth. A mesh of bumps a millimetre or two deep
    // reaches its target in the first dozen.
    for (int round = 0; round < 100 && start - deleted > target; ++round) {
      if (round % 5 == 0) rebuild_refs(round > 0);
      const double bound = 1e-9 * std::pow(round + 3.0, 7.0);
      for (std::size_t i = 0; i < triangles_.size() && start - deleted > target; ++i) {
        const Triangle& t = triangles_[i];
        // A triangle changed in this round waits for the next: its errors are for points that
        // have just moved.
        if (t.deleted || t.changed_in == round || t.error[3] > bound) continue;
        for (int j = 0; j < 3; ++j) {
          if (triangles_[i].error[j] >= bound) continue;
          const int i0 = triangles_[i].v[j], i1 = triangles_[i].v[(j + 1) % 3];
          Vertex& v0 = vertices_[i0];
          const Vertex& v1 = vertices_[i1];
          if (v0.border != v1.border || !keeps_surface_manifold(i0, i1)) continue;
          Vec3 p;
          collapse_error(i0, i1, p);
          gone0.assign(static_cast<std::size_t>(v0.ref_count), 0);
          gone1.assign(static_cast<std::size_t>(v1.ref_count), 0);
          if (turns_over(p, i0, i1, gone0) || turns_over(p, i1, i0, gone1)) continue;
          v0.p = p;
          v0.q += v1.q;
          const int first = static_cast<int>(refs_.size());
          deleted += move_triangles(i0, i0, gone0, round);
          deleted += move_triangles(i0, i1, gone1, round);
          const int count = static_cast<int>(refs_.size()) - first;
          if (count <= vertices_[i0].ref_count) {
            // Reuse the vertex's old slot, so `refs_` grows only when a vertex gains triangles.
            std::copy(refs_.begin() + first, refs_.end(), refs_.begin() + vertices_[i0].first_ref);
            refs_.resize(static_cast<std::size_t>(first));
          } else {
            vertices_[i0].first_ref = first;
          }
          vertices_[i0].ref_count = count;
          break;
        }
      }
    }
  }

  vtkSmartPointer<vtkPolyData> result() const {
    std::vector<int> new_id(vertices_.size(), -1);
    auto points = vtkSmartPointer<vtkPoints>::New();
    points->SetDataTypeToFloat();
    auto polys = vtkSmartPointer<vtkCellArray>::New();
    for (const auto& t : triangles_) {
      if (t.deleted) continue;
      vtkIdType ids[3];
      for (int j = 0; j < 3; ++j) {
        int& id = new_id[static_cast<std::size_t>(t.v[j])];
        if (id < 0) id = static_cast<int>(points->InsertNextPoint(vertices_[t.v[j]].p.data()));
        ids[j] = id;
      }
      polys->InsertNextCell(3, ids);
    }
    auto out = vtkSmartPointer<vtkPolyData>::New();
    out->SetPoints(points);
    out->SetPolys(polys);
    return out;
  }

 private:
  void start_quadrics() {
    for (auto& t : triangles_) {
      const Vec3& p0 = vertices_[t.v[0]].p;
      t.normal = unit(cross(vertices_[t.v[1]].p - p0, vertices_[t.v[2]].p - p0));
      const Quadric plane = Quadric::of_plane(t.normal, -dot(t.normal, p0));
      for (int j = 0; j < 3; ++j) vertices_[t.v[j]].q += plane;
    }
    rebuild_refs(false);
    mark_borders();
    for (auto& t : triangles_) update_errors(t);
  }

  /// Drops deleted triangles (when `compact`) and lists each vertex's triangles again.
  void rebuild_refs(bool compact) {
    if (compact) {
      triangles_.erase(std::remove_if(triangles_.begin(), triangles_.end(),
                                      [](const Triangle& t) { return t.deleted; }),
                       triangles_.end());
    }
    for (auto& v : vertices_) v.ref_count = 0;
    for (const auto& t : triangles_)
      for (int j = 0; j < 3; ++j) ++vertices_[t.v[j]].ref_count;
    int first = 0;
    for (auto& v : vertices_) {
      v.first_ref = first;
      first += v.ref_count;
      v.ref_count = 0;
    }
    refs_.resize(static_cast<std::size_t>(first));
    for (std::size_t i = 0; i < triangles_.size(); ++i)
      for (int j = 0; j < 3; ++j) {
        Vertex& v = vertices_[triangles_[i].v[j]];
        refs_[static_cast<std::size_t>(v.first_ref + v.ref_count++)] = {static_cast<int>(i), j};
      }
  }

  /// A vertex on an edge that only one triangle uses (the rim of an open mesh) stays on it.
  void mark_borders() {
    // How many of a vertex's triangles each neighbour shares, counted in `uses` and reset
    // before the next vertex.
    std::vector<int> uses(vertices_.size(), 0);
    for (std::size_t i = 0; i < vertices_.size(); ++i) {
      const auto count = [&](int delta) {
        for_each_triangle(static_cast<int>(i), [&](const Triangle& t, int) {
          for (const int id : t.v) uses[static_cast<std::size_t>(id)] += delta;
        });
      };
      count(1);
      for_each_triangle(static_cast<int>(i), [&](const Triangle& t, int) {
        for (const int id : t.v)
          if (uses[static_cast<std::size_t>(id)] == 1) vertices_[id].border = true;
      });
      count(-1);
    }
  }

  template <typename Visit>
  void for_each_triangle(int vertex, Visit visit) const {
    const Vertex& v = vertices_[vertex];
    for (int k = 0; k < v.ref_count; ++k) {
      const Ref& r = refs_[static_cast<std::size_t>(v.first_ref + k)];
      visit(triangles_[r.triangle], k);
    }
  }

  /// An edge whose ends share more neighbours than the two triangles on it would fold the
  /// surface onto itself when collapsed (a seam shared by four triangles, a pinched tunnel).
  bool keeps_surface_manifold(int i0, int i1) {
    // Stamps instead of sets: a neighbour of i0 carries `ring`, and once counted as shared,
    // `ring + 1`; no clearing between edges.
    if (stamps_.empty()) stamps_.assign(vertices_.size(), 0);
    const std::uint32_t ring = next_stamp_;
    next_stamp_ += 2;
    for_each_triangle(i0, [&](const Triangle& t, int) {
      if (t.deleted) return;
      for (const int id : t.v)
        if (id != i0 && id != i1) stamps_[static_cast<std::size_t>(id)] = ring;
    });
    int shared = 0;
    for_each_triangle(i1, [&](const Triangle& t, int) {
      if (t.deleted) return;
      for (const int id : t.v)
        if (stamps_[static_cast<std::size_t>(id)] == ring) {
          stamps_[static_cast<std::size_t>(id)] = ring + 1;
          ++shared;
        }
    });
    return shared <= 2;
  }

  /// The error of collapsing (i0, i1) to the point that minimises it, put in `p`; the best
  /// of the ends and the middle when that point is ill-defined (a flat or straight patch) or
  /// lies farther from the edge than its length.
  double collapse_error(int i0, int i1, Vec3& p) const {
    Quadric q = vertices_[i0].q;
    q += vertices_[i1].q;
    const Vec3& a = vertices_[i0].p;
    const Vec3& b = vertices_[i1].p;
    const Vec3 mid{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2};
    const Vec3 edge = b - a;
    const double length2 = dot(edge, edge);
    const auto& m = q.m;
    const Vec3 c0{m[0], m[1], m[2]}, c1{m[1], m[4], m[5]}, c2{m[2], m[5], m[7]};
    const Vec3 rhs{-m[3], -m[6], -m[8]};
    const double det = determinant(c0, c1, c2);
    if (!(vertices_[i0].border && vertices_[i1].border) && det != 0) {
      const Vec3 best{determinant(rhs, c1, c2) / det, determinant(c0, rhs, c2) / det,
                      determinant(c0, c1, rhs) / det};
      const Vec3 off = best - mid;
      if (std::isfinite(best[0]) && std::isfinite(best[1]) && std::isfinite(best[2]) &&
          dot(off, off) <= length2) {
        p = best;
        return q.error_at(p);
      }
    }
    double least = q.error_at(mid);
    p = mid;
    for (const Vec3* end : {&a, &b}) {
      const double error = q.error_at(*end);
      if (error < least) least = error, p = *end;
    }
    return least;
  }

  void update_errors(Triangle& t) const {
    Vec3 unused;
    for (int j = 0; j < 3; ++j) t.error[j] = collapse_error(t.v[j], t.v[(j + 1) % 3], unused);
    t.error[3] = std::min({t.error[0], t.error[1], t.error[2]});
  }

  /// Whether moving `vertex` to `p` (collapsing it with `other`) turns one of its triangles
  /// over or squeezes it into a sliver; marks in `gone` the triangles on the edge, which the
  /// collapse removes.
  bool turns_over(const Vec3& p, int vertex, int other, std::vector<char>& gone) const {
    bool bad = false;
    for_each_triangle(vertex, [&](const Triangle& t, int k) {
      if (bad || t.deleted) return;
      const int corner = refs_[static_cast<std::size_t>(vertices_[vertex].first_ref + k)].corner;
      const int id1 = t.v[(corner + 1) % 3], id2 = t.v[(corner + 2) % 3];
      if (id1 == other || id2 == other) {
        gone[static_cast<std::size_t>(k)] = 1;
        return;
      }
      const Vec3 d1 = unit(vertices_[id1].p - p), d2 = unit(vertices_[id2].p - p);
      if (std::abs(dot(d1, d2)) > 0.999) {
        bad = true;
        return;
      }
      if (dot(unit(cross(d1, d2)), t.normal) < 0.2) bad = true;
    });
    return bad;
  }

  /// Moves `from`'s triangles to vertex `to` (deleting those marked in `gone`), appending
  /// the kept ones to `refs_`. Returns how many were deleted.
  std::size_t move_triangles(int to, int from, const std::vector<char>& gone, int round) {
    std::size_t deleted = 0;
    const Vertex v = vertices_[from];
    for (int k = 0; k < v.ref_count; ++k) {
      const Ref r = refs_[static_cast<std::size_t>(v.first_ref + k)];
      Triangle& t = triangles_[r.triangle];
      if (t.deleted) continue;
      if (gone[static_cast<std::size_t>(k)]) {
        t.deleted = true;
        ++deleted;
        continue;
      }
      t.v[r.corner] = to;
      t.changed_in = round;
      const Vec3& p0 = vertices_[t.v[0]].p;
      t.normal = unit(cross(vertices_[t.v[1]].p - p0, vertices_[t.v[2]].p - p0));
      // The edge opposite the moved corner keeps its ends, their points and quadrics.
      Vec3 unused;
      const int c = r.corner, before = (c + 2) % 3;
      t.error[c] = collapse_error(t.v[c], t.v[(c + 1) % 3], unused);
      t.error[before] = collapse_error(t.v[before], t.v[c], unused);
      t.error[3] = std::min({t.error[0], t.error[1], t.error[2]});
      refs_.push_back(r);
    }
    return deleted;
  }

  std::vector<Vertex> vertices_;
  std::vector<Triangle> triangles_;
  std::vector<Ref> refs_;
  std::vector<std::uint32_t> stamps_;
  std::uint32_t next_stamp_ = 1;
};

}  // namespace

vtkSmartPointer<vtkPolyData> decimate_by_quadric_rounds(vtkPolyData* mesh, double keep) {
  Decimation decimation(mesh);
  const auto triangles = static_cast<double>(mesh->GetNumberOfPolys());
  decimation.run(static_cast<std::size_t>(std::llround(triangles * std::clamp(keep, 0.0, 1.0))));
  return decimation.result();
}

}  // namespace foci
