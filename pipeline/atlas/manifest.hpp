#pragma once
// Atlas manifests: atlases/<name>.json, one per atlas or template. Documented in
// atlases/README.md.
#include <optional>
#include <string>
#include <vector>

#include "atlas/label_table.hpp"
#include "core/geometry.hpp"

namespace foci {

enum class AtlasKind { labels, template_image };

/// A correction for a file whose header is known to be wrong: applied only when the file's
/// own voxel-to-world matrix equals `when_affine`, so a corrected copy is read as it is.
struct OrientationFix {
  std::string why;
  Affine when_affine;
  Affine use_affine;
};

struct AtlasManifest {
  std::string name;
  AtlasKind kind = AtlasKind::labels;
  std::string title;
  std::string space;
  std::string volume_file;  ///< a file name, searched for in the atlas directories
  std::optional<std::string> labels_file;
  LabelTableFormat labels_format = LabelTableFormat::tsv;
  int labels_value_offset = 0;
  /// True when the atlas has separate labels for the two hemispheres.
  bool lateralised = false;
  std::string citation;
  std::string licence;
  std::optional<OrientationFix> orientation_fix;
  std::string manifest_path;  ///< where it was read from
};

/// Reads and checks a manifest; unknown keys are errors. Throws Error (input) with the file
/// and JSON pointer of the problem.
AtlasManifest read_atlas_manifest(const std::string& path);

/// Where manifests live: $FOCI_MANIFEST_DIR, else the atlases/ folder of the source tree
/// foci was built from.
std::string manifest_directory();
/// Where atlas volumes and MRIcron label tables are looked for, in order: $FOCI_ATLAS_DIR
/// (if set), then /usr/share/mricron/templates.
std::vector<std::string> atlas_directories();

/// Every manifest in manifest_directory(), sorted by name.
std::vector<AtlasManifest> list_atlas_manifests();
/// `name_or_path` is a manifest name ("aal") or a path to a manifest file. Throws Error
/// (usage) with suggestions for an unknown name.
AtlasManifest find_atlas_manifest(const std::string& name_or_path);

/// The first existing file among `file` next to the manifest and in atlas_directories().
/// Throws Error (input) listing the places searched.
std::string locate_atlas_file(const AtlasManifest& manifest, const std::string& file);

}  // namespace foci
