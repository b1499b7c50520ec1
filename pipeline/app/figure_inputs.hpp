#pragma once
// What figures are drawn from, read once: findings files (mapped), atlases, lexicon and the
// brain template; and the panels built from them. Shared by `foci render`, `foci batch` and
// `foci inspect`: the drawing code gets plain scenes and never reads a file.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "atlas/atlas.hpp"
#include "atlas/lexicon.hpp"
#include "findings/model.hpp"
#include "mapping/mapping.hpp"
#include "render/render.hpp"
#include "render/scene.hpp"
#include "render/scene_from_mapping.hpp"

namespace foci {

struct FigureInputs {
  std::vector<std::string> paths;
  std::vector<FindingsFile> files;
  std::vector<Atlas> atlases;
  RegionLexicon lexicon;
  std::string brain_path;                          ///< the brain template (ch2bet)
  std::string brain_key;                           ///< its mesh cache key, from its header
  std::map<std::string, std::string> volume_keys;  ///< mesh cache keys by atlas name
  std::size_t finding_count = 0;
  MappingResult mapped;  ///< points into `files`: FigureInputs does not move once loaded

  std::vector<const Atlas*> atlas_pointers() const;
  /// The brain template's voxels (intensities), read on the first call: with its meshes in
  /// the cache a figure never needs them, and they are 28 MB. Throws Error naming the file.
  const LabelVolume& brain() const;
  /// Frees the brain template's voxels once its meshes are built (a cold batch, before its
  /// workers fork); brain() reads them again if asked. No reference brain() gave may be held.
  void release_brain_voxels();

  /// Frees the atlases' voxels (57 MB for AAL and JHU) once the findings are mapped and the
  /// figures' meshes built: drawing from the mesh cache needs only the atlases' tables, and
  /// a batch's worker processes, forked afterwards, then do not hold them. Keeps each
  /// atlas's size and voxel-to-world map; lookups must not be asked of it afterwards.
  void release_atlas_voxels();
  /// The voxels of atlas `n`: its own, or, after release_atlas_voxels, the atlas read again
  /// on the first call (for a region mesh that has left the cache since). Throws Error.
  const LabelVolume& atlas_voxels(std::size_t n) const;

 private:
  mutable std::mutex brain_mutex_;
  mutable std::unique_ptr<LabelVolume> brain_;
  struct Reread {
    std::once_flag once;
    std::unique_ptr<Atlas> atlas;
  };
  /// One per atlas once its voxels are released.
  std::vector<std::unique_ptr<Reread>> rereads_;
};

/// Reads and maps everything (volumes side by side). Throws Error naming what failed.
std::unique_ptr<FigureInputs> load_figure_inputs(const std::vector<std::string>& paths,
                                                 const std::vector<std::string>& atlas_names);

struct PanelRequest {
  std::string title;
  FindingFilter filter;
  std::vector<View> views;
  /// Maps this panel draws instead of the figure's (figure specs' panel key "overlay").
  std::vector<OverlaySource> overlays;
};

/// How render_figure should draw scenes of these inputs: their brain, the mesh cache folder.
RenderSettings render_settings(const FigureInputs& inputs, std::ostream* log, bool verbose);

/// Appends one panel per request (lettered a, b, ... when there are several), each with the
/// overlays under its findings. Returns a warning line for each panel whose filter matches
/// nothing (it still draws the brain and overlays) and for each overlay with nothing to draw.
std::vector<std::string> add_panels(Figure& figure, const FigureInputs& inputs,
                                    const std::vector<PanelRequest>& requests,
                                    const SceneOptions& options,
                                    const std::vector<SceneOverlay>& overlays = {});

}  // namespace foci
