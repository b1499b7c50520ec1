#include "render/meshes.hpp"

#include <vtkFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkImageGaussianSmooth.h>
#include <vtkImageResample.h>
#include <vtkMatrix4x4.h>
#include <vtkPointData.h>
#include <vtkPolyDataConnectivityFilter.h>
#include <vtkPolyDataNormals.h>
#include <vtkQuadricDecimation.h>
#include <vtkTransform.h>
#include <vtkTransformPolyDataFilter.h>
#include <vtkTriangleFilter.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowedSincPolyDataFilter.h>
#include <vtkXMLPolyDataReader.h>
#include <vtkXMLPolyDataWriter.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/output_file.hpp"
#include "render/mesh_decimation.hpp"
#include "render/vtk_messages.hpp"

namespace foci {

namespace fs = std::filesystem;

// Bump when the way meshes are built changes, so old cached meshes are not reused.
constexpr const char* kMeshVersion = "m8";

namespace {

/// A cached mesh file: this line, then the mesh as VTK XML (raw appended data, zlib) of the
/// stated length and content hash. A file cut short by a full disk or a kill, or zeroed by a
/// crash, fails the check and is rebuilt.
constexpr const char* kCacheMagic = "foci-mesh 1 ";

/// One warning per process that meshes are not being cached; after it, no more tries (a
/// full disk fails every one).
std::atomic<bool> g_cache_off{false};

std::string cache_path(const std::string& directory, const std::string& key) {
  return (fs::path(directory) / (key + ".foci-mesh")).string();
}

/// The mesh in a cache file's bytes, or null when the file is not a whole, intact one.
vtkSmartPointer<vtkPolyData> parse_cached(const std::string& bytes) {
  const std::size_t line_end = bytes.find('\n');
  if (bytes.rfind(kCacheMagic, 0) != 0 || line_end == std::string::npos) return nullptr;
  const std::size_t start = std::strlen(kCacheMagic);
  std::istringstream header(bytes.substr(start, line_end - start));
  std::size_t length = 0;
  std::string hash;
  if (!(header >> length >> hash) || bytes.size() - line_end - 1 != length) return nullptr;
  const std::string_view body(bytes.data() + line_end + 1, length);
  if (content_hash(body) != hash) return nullptr;
  // VTK's complaints about a file it cannot parse are collected, not printed: a damaged
  // cache entry is rebuilt without a word.
  ScopedVtkMessages quiet;
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->ReadFromInputStringOn();
  reader->SetInputString(std::string(body));
  reader->Update();
  vtkSmartPointer<vtkPolyData> mesh = reader->GetOutput();
  if (!quiet.errors().empty() || !mesh || mesh->GetNumberOfPoints() == 0) return nullptr;
  // Read back, a mesh's triangles are 64-bit indices and offsets; no mesh has 2^31 points,
  // and 32-bit storage halves what each holds for as long as the figure is drawn.
  if (mesh->GetPolys()->CanConvertTo32BitStorage()) mesh->GetPolys()->ConvertTo32BitStorage();
  return mesh;
}

}  // namespace

MeshCache::MeshCache(std::string directory, std::ostream* log)
    : directory_(std::move(directory)), log_(log) {}

vtkSmartPointer<vtkPolyData> MeshCache::load(const std::string& key) const {
  if (const auto held = held_.find(key); held != held_.end()) return held->second;
  const std::string path = cache_path(directory_, key);
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto mesh = parse_cached(bytes.str());
  if (!mesh) {
    // Damaged: removed so the rebuilt mesh takes its place.
    std::error_code ec;
    fs::remove(path, ec);
    return mesh;
  }
  held_.emplace(key, mesh);
  return mesh;
}

void MeshCache::store(const std::string& key, vtkPolyData* mesh) const {
  held_.emplace(key, mesh);
  if (g_cache_off) return;
  try {
    std::string body;
    {
      ScopedVtkMessages quiet;
      vtkNew<vtkXMLPolyDataWriter> writer;
      writer->SetInputData(mesh);
      // Raw appended data at zlib's fastest level: no base64 to encode or decode, and the
      // mesh's floats hardly compress at higher levels (1% smaller at the default, 5, for
      // twice the time).
      writer->SetDataModeToAppended();
      writer->EncodeAppendedDataOff();
      writer->SetCompressorTypeToZLib();
      writer->SetCompressionLevel(1);
      writer->WriteToOutputStringOn();
      if (writer->Write() != 1 || !quiet.errors().empty()) {
        throw Error(ExitCode::internal, "VTK could not encode a mesh");
      }
      body = writer->GetOutputString();
    }
    std::error_code ec;
    fs::create_directories(directory_, ec);
    if (ec) throw output_error("cannot create '" + directory_ + "': " + ec.message());
    TemporaryFile file(cache_path(directory_, key));
    file.write(kCacheMagic + std::to_string(body.size()) + " " + content_hash(body) + "\n");
    file.write(body);
    file.commit(true);
  } catch (const Error& e) {
    if (!g_cache_off.exchange(true) && log_) {
      *log_ << "foci: [WARNING] meshes are not being cached (" << e.lines().back()
            << "); drawing without the cache\n";
    }
  }
}

namespace {

/// A uchar image over voxel indices [lo, hi], values from `value`.
template <typename ValueOf>
vtkSmartPointer<vtkImageData> image_of(std::array<int, 3> lo, std::array<int, 3> hi,
                                       ValueOf value) {
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetExtent(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]);
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  auto* out = static_cast<unsigned char*>(image->GetScalarPointer());
  std::size_t n = 0;
  for (int k = lo[2]; k <= hi[2]; ++k)
    for (int j = lo[1]; j <= hi[1]; ++j)
      for (int i = lo[0]; i <= hi[0]; ++i) out[n++] = value(i, j, k);
  return image;
}

/// The contour of `image` at `level`, smoothed, in voxel index space (the filter that gives
/// it; not yet updated). The image is smoothed with a Gaussian of `sigma_voxels`; when
/// `contour_step` is above 1, the smoothed image is sampled every `contour_step` voxels
/// before it is contoured: the Gaussian has already removed the detail a finer grid would
/// add. Otherwise the contour is decimated by `decimate` (a fraction of its triangles).
vtkSmartPointer<vtkAlgorithm> smoothed_contour(vtkImageData* image, double sigma_voxels,
                                               double level, bool largest_only, double contour_step,
                                               double decimate, int sinc_iterations,
                                               double pass_band) {
  vtkNew<vtkImageGaussianSmooth> smooth;
  smooth->SetInputData(image);
  smooth->SetStandardDeviations(sigma_voxels, sigma_voxels, sigma_voxels);
  smooth->SetRadiusFactors(2.5, 2.5, 2.5);
  vtkSmartPointer<vtkAlgorithm> last = smooth;
  vtkNew<vtkImageResample> coarse;
  if (contour_step > 1) {
    // Output spacing is the step, origin unchanged: contour points stay in voxel index space.
    coarse->SetInputConnection(last->GetOutputPort());
    for (int axis = 0; axis < 3; ++axis) coarse->SetAxisOutputSpacing(axis, contour_step);
    coarse->SetInterpolationModeToLinear();
    last = coarse;
  }
  vtkNew<vtkFlyingEdges3D> contour;
  contour->SetInputConnection(last->GetOutputPort());
  contour->SetValue(0, level);
  contour->ComputeNormalsOff();
  contour->ComputeGradientsOff();
  last = contour;
  vtkNew<vtkPolyDataConnectivityFilter> connectivity;
  if (largest_only) {
    connectivity->SetInputConnection(last->GetOutputPort());
    connectivity->SetExtractionModeToLargestRegion();
    last = connectivity;
  }
  vtkNew<vtkQuadricDecimation> decimation;
  if (decimate > 0) {
    decimation->SetInputConnection(last->GetOutputPort());
    decimation->SetTargetReduction(decimate);
    last = decimation;
  }
  // The pipeline upstream stays alive through the connections.
  auto sinc = vtkSmartPointer<vtkWindowedSincPolyDataFilter>::New();
  sinc->SetInputConnection(last->GetOutputPort());
  sinc->SetNumberOfIterations(sinc_iterations);
  sinc->SetPassBand(pass_band);
  sinc->NonManifoldSmoothingOn();
  sinc->NormalizeCoordinatesOn();
  return sinc;
}

/// A smoothed contour (smoothed_contour) placed in MNI mm through the volume's voxel-to-world
/// map (vtkImageData stays in index space; the affine is applied here, once).
vtkSmartPointer<vtkPolyData> surface(vtkImageData* image, const LabelVolume& volume,
                                     double sigma_voxels, double level, bool largest_only,
                                     double contour_step, double decimate, int sinc_iterations,
                                     double pass_band) {
  const auto smoothed = smoothed_contour(image, sigma_voxels, level, largest_only, contour_step,
                                         decimate, sinc_iterations, pass_band);
  return place_in_world(smoothed->GetOutputPort(), volume.voxel_to_world);
}

}  // namespace

vtkSmartPointer<vtkPolyData> place_in_world(vtkAlgorithmOutput* voxel_mesh,
                                            const Affine& voxel_to_world) {
  vtkNew<vtkMatrix4x4> matrix;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) matrix->SetElement(r, c, voxel_to_world.m[r][c]);
  vtkNew<vtkTransform> transform;
  transform->SetMatrix(matrix);
  vtkNew<vtkTransformPolyDataFilter> place;
  place->SetInputConnection(voxel_mesh);
  place->SetTransform(transform);
  vtkNew<vtkPolyDataNormals> normals;
  normals->SetInputConnection(place->GetOutputPort());
  normals->ConsistencyOn();
  normals->AutoOrientNormalsOn();  // a left-handed voxel grid would turn them inwards
  normals->SplittingOff();
  normals->Update();
  vtkSmartPointer<vtkPolyData> mesh = normals->GetOutput();
  return mesh;
}

vtkSmartPointer<vtkPolyData> brain_surface(const LabelVolume& brain, const std::string& key,
                                           std::optional<Hemisphere> side, const MeshCache& cache) {
  return brain_surface([&brain]() -> const LabelVolume& { return brain; }, key, side, cache);
}

vtkSmartPointer<vtkPolyData> brain_surface(const VolumeSource& brain_source, const std::string& key,
                                           std::optional<Hemisphere> side, const MeshCache& cache) {
  const bool one_side = side == Hemisphere::left || side == Hemisphere::right;
  const std::string mesh_key = std::string(kMeshVersion) + "-brain-" + key +
                               (one_side ? "-" + to_string(*side) : std::string());
  if (auto mesh = cache.load(mesh_key)) return mesh;
  const LabelVolume& brain = brain_source();
  // A margin of empty voxels round the volume, so the surface closes where the brain
  // touches the volume's edge (the brainstem at its lowest slice). Within that, only the
  // brain's bounding box and kBoxMargin voxels round it are smoothed and contoured (two
  // thirds of the voxels): the Gaussian (2.5 x 1.2 voxels across) sees the same zeros beyond
  // the box, so the mesh is the same.
  constexpr int kBoxMargin = 8;
  std::array<int, 3> lo{brain.size[0], brain.size[1], brain.size[2]}, hi{-1, -1, -1};
  for (int k = 0; k < brain.size[2]; ++k)
    for (int j = 0; j < brain.size[1]; ++j)
      for (int i = 0; i < brain.size[0]; ++i) {
        if (brain.at(i, j, k) <= 0) continue;
        lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
        hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
      }
  if (hi[0] < 0) lo = {0, 0, 0}, hi = {brain.size[0] - 1, brain.size[1] - 1, brain.size[2] - 1};
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max(-2, lo[a] - kBoxMargin);
    hi[a] = std::min(brain.size[a] + 1, hi[a] + kBoxMargin);
  }
  // A hemisphere is contoured from the brain with the other side blanked, so its surface
  // closes along the midline instead of leaving a hollow shell open to a medial view. The
  // intensities fade to nothing over the last kMedialRampMm before the midline: bright grey
  // and white matter reach the contour level nearer the midline than the dark sulci of the
  // medial wall (cingulate, calcarine, parieto-occipital), which the surface follows inwards,
  // so the medial surface has the hemisphere's own shape instead of a flat cut.
  constexpr double kMedialRampMm = 8.0;
  const auto image = image_of(lo, hi, [&](int i, int j, int k) {
    if (!brain.contains(i, j, k)) return static_cast<unsigned char>(0);
    const double value = std::clamp(brain.at(i, j, k), 0, 255);
    if (!one_side) return static_cast<unsigned char>(value);
    const double x = brain.voxel_centre(i, j, k).x;
    const double inside_mm = side == Hemisphere::left ? -x : x;
    const double weight = std::clamp(inside_mm / kMedialRampMm, 0.0, 1.0);
    return static_cast<unsigned char>(std::lround(value * weight));
  });
  // ch2bet holds tissue intensities of 60-130, 20-50 in the sulci's CSF and 0 outside: 45
  // after a light smoothing traces the brain's outer surface into the sulci, so the gyri
  // stay readable.
  // Contoured every 1.25 voxels (195 k triangles; every 1.5 voxels loses the sulci's depth)
  // and smoothed, then decimated to 45%: every figure draws this mesh in each view, and 88 k
  // triangles draw a fifth faster than 195 k with no difference to see. Decimating a smooth
  // surface (not the voxel staircase) gives even triangles, which a light pass relaxes. Our
  // own decimation, not vtkQuadricDecimation: the same look in a sixth of the time (0.2 s
  // instead of 1.2 s of CPU on a busy machine). Normals are made once, at the end.
  const auto smoothed = smoothed_contour(image, 1.2, 45.0, true, 1.25, 0.0, 25, 0.035);
  smoothed->Update();
  vtkNew<vtkWindowedSincPolyDataFilter> relax;
  relax->SetInputData(decimate_by_quadric_rounds(
      vtkPolyData::SafeDownCast(smoothed->GetOutputDataObject(0)), 0.45));
  relax->SetNumberOfIterations(10);
  relax->SetPassBand(0.1);
  relax->NonManifoldSmoothingOn();
  relax->NormalizeCoordinatesOn();
  auto mesh = place_in_world(relax->GetOutputPort(), brain.voxel_to_world);
  cache.store(mesh_key, mesh);
  return mesh;
}

vtkSmartPointer<vtkPolyData> region_surface(const SceneRegion& region, const MeshCache& cache) {
  std::string key = std::string(kMeshVersion) + "-region-" + region.volume_key + "-" +
                    (region.side ? to_string(*region.side) : "both");
  for (const auto label : region.labels) key += "-" + std::to_string(label);
  if (auto mesh = cache.load(key)) return mesh;

  const LabelVolume& v = region.volume();
  if (region.labels.empty()) return vtkSmartPointer<vtkPolyData>::New();
  // The scan below visits every voxel of the volume once per region: a table over the labels'
  // range answers membership, where the set's lookups were a sixth of a cold figure's time.
  const std::int64_t lowest = *region.labels.begin();
  const std::int64_t range = std::int64_t{*region.labels.rbegin()} - lowest + 1;
  constexpr std::int64_t kMaxTable = std::int64_t{1} << 20;
  std::vector<char> table(static_cast<std::size_t>(range <= kMaxTable ? range : 0), 0);
  if (!table.empty()) {
    for (const auto label : region.labels) table[static_cast<std::size_t>(label - lowest)] = 1;
  }
  const auto has_label = [&](std::int32_t label) {
    if (table.empty()) return region.labels.count(label) > 0;
    const std::int64_t at = std::int64_t{label} - lowest;
    return at >= 0 && at < range && table[static_cast<std::size_t>(at)] != 0;
  };
  const auto inside = [&](int i, int j, int k) {
    if (!has_label(v.at(i, j, k))) return false;
    if (region.side == Hemisphere::left || region.side == Hemisphere::right) {
      const double x = v.voxel_centre(i, j, k).x;
      return region.side == Hemisphere::left ? x < 0 : x > 0;
    }
    return true;
  };
  // The region's bounding box, padded so the smoothed surface closes.
  std::array<int, 3> lo{v.size[0], v.size[1], v.size[2]}, hi{-1, -1, -1};
  for (int k = 0; k < v.size[2]; ++k)
    for (int j = 0; j < v.size[1]; ++j)
      for (int i = 0; i < v.size[0]; ++i) {
        if (!inside(i, j, k)) continue;
        lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
        hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
      }
  if (hi[0] < 0) return vtkSmartPointer<vtkPolyData>::New();
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max(0, lo[a] - 3);
    hi[a] = std::min(v.size[a] - 1, hi[a] + 3);
  }
  const auto image = image_of(lo, hi, [&](int i, int j, int k) {
    return static_cast<unsigned char>(inside(i, j, k) ? 100 : 0);
  });
  const double voxel = v.voxel_to_world.column_norm(0);
  auto mesh = surface(image, v, std::max(0.6, 1.0 / voxel), 50.0, false, 1.0, 0.6, 20, 0.05);
  cache.store(key, mesh);
  return mesh;
}

}  // namespace foci
