#pragma once
// What the `foci inspect` window shows and what its parts mean, answered from a figure's
// inputs: the mapped findings, the atlases and the region lexicon.
#include <vector>

#include "app/figure_inputs.hpp"
#include "render/inspector.hpp"

namespace foci {

class FigureInspectContent : public InspectContent {
 public:
  /// Scenes: everything that passes `filter`, then one per measure among those findings;
  /// each with the `overlays` (maps that must outlive this) under the findings.
  FigureInspectContent(const FigureInputs& inputs, const FindingFilter& filter,
                       SceneOptions options, std::vector<SceneOverlay> overlays = {});

  std::size_t scene_count() const override { return scenes_.size(); }
  std::string scene_title(std::size_t n) const override { return scenes_.at(n).title; }
  Panel scene(std::size_t n, bool labels) const override;
  std::string region_names(const std::vector<std::string>& region_ids) const override;
  std::string label_names(const std::string& atlas,
                          const std::set<std::int32_t>& labels) const override;
  nlohmann::json label_details(const std::string& atlas,
                               const std::set<std::int32_t>& labels) const override;
  nlohmann::json findings_json(const std::vector<std::size_t>& sources) const override;
  std::string findings_text(const std::vector<std::size_t>& sources) const override;
  std::optional<FoundRegion> find_region(const std::string& name) const override;

 private:
  const Atlas* atlas_named(const std::string& name) const;

  const FigureInputs& inputs_;
  SceneOptions options_;
  std::vector<PanelRequest> scenes_;
  std::vector<SceneOverlay> overlays_;
};

}  // namespace foci
