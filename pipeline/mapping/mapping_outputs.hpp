#pragma once
// What `foci map` writes: mapped.json, mapped.tsv, summary.md, summary.tsv, and NIfTI maps on
// the grid of the first atlas. Each function returns text (or volumes), so tests need no disk.
#include <map>
#include <string>
#include <vector>

#include "atlas/label_volume.hpp"
#include "mapping/mapping.hpp"

namespace foci {

/// The settings a mapping ran with, written beside its results.
struct MappingRecord {
  std::vector<std::string> inputs;
  std::vector<std::string> atlases;
  TalairachTransform transform = kDefaultTalairachTransform;
  double search_radius_mm = kDefaultSearchRadiusMm;
  bool brain_mask = false;
};

std::string mapped_json(const MappingResult& result, const MappingRecord& record,
                        const RegionLexicon& lexicon);
std::string mapped_tsv(const MappingResult& result, const MappingRecord& record);
std::string summary_markdown(const MappingResult& result, const MappingRecord& record,
                             const RegionLexicon& lexicon);
std::string summary_tsv(const MappingResult& result, const RegionLexicon& lexicon);

/// Radius (mm) of the sphere drawn for a reported coordinate whose cluster volume is unknown.
constexpr double kDefaultSphereRadiusMm = 5.0;

/// NIfTI maps on `grid` (a copy of its geometry, labels replaced): per measure, the signed
/// map of region findings (increase +1, decrease -1, summed); the sphere map of reported
/// coordinates (spheres of the cluster's volume when known, else kDefaultSphereRadiusMm; the
/// value counts overlapping spheres); and the count map (findings touching each voxel).
/// Keyed by file name ("grey-matter-volume_regions.nii.gz", "coordinates_spheres.nii.gz",
/// "count.nii.gz").
std::map<std::string, LabelVolume> mapping_maps(const MappingResult& result,
                                                const std::vector<const Atlas*>& atlases,
                                                const RegionLexicon& lexicon,
                                                double default_sphere_radius_mm);

/// A file-name-safe form of a measure: "grey-matter volume" -> "grey-matter-volume",
/// "R2*" -> "r2".
std::string measure_slug(const std::string& measure);

}  // namespace foci
