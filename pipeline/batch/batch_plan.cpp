#include "batch/batch_plan.hpp"

#include <algorithm>
#include <filesystem>

#include "core/hash.hpp"

namespace foci {

BatchPlan plan_batch(const std::vector<SpecFile>& specs, const PlanOptions& options,
                     const std::map<std::string, std::string>& recorded,
                     const std::function<bool(const std::string&)>& exists,
                     const std::function<std::string(const std::string&)>& content_key) {
  BatchPlan plan;
  const std::filesystem::path out(options.out);
  std::size_t index = 0;
  for (std::size_t s = 0; s < specs.size(); ++s) {
    for (std::size_t f = 0; f < specs[s].figures.size(); ++f, ++index) {
      if (static_cast<int>(index % options.shard_count) != options.shard_index) continue;
      const auto& figure = specs[s].figures[f];
      if (figure.error) {
        plan.failures.push_back(figure.name + ": " + *figure.error);
        continue;
      }
      PlannedFigure planned{s, f, figure.name, "", "", {}};
      for (const auto& format : figure.options.formats) {
        planned.outputs.push_back((out / (figure.name + "." + format)).string());
      }
      planned.output = planned.outputs.front();
      std::string inputs = figure.canonical + "|" + options.version;
      for (const auto& path : specs[s].findings) inputs += "|" + path + ":" + content_key(path);
      for (const auto& atlas : specs[s].atlases) inputs += "|" + atlas;
      // A map redrawn with new values is a new figure, as a changed findings file is.
      std::vector<OverlaySource> maps = figure.options.overlay.maps;
      for (const auto& panel : figure.panels) {
        maps.insert(maps.end(), panel.overlays.begin(), panel.overlays.end());
      }
      for (const auto& map : maps) {
        inputs +=
            "|overlay " + map.path + ":" + std::to_string(map.volume) + ":" + content_key(map.path);
      }
      const auto& formats = figure.options.formats;
      if (std::find(formats.begin(), formats.end(), "html") != formats.end()) {
        for (const auto& path : options.page_assets) inputs += "|" + content_key(path);
      }
      planned.input_hash = content_hash(inputs);
      // Up to date only when every file is there; refused when any would be overwritten.
      bool present = true, any_present = false;
      std::string existing;
      for (const auto& file : planned.outputs) {
        const bool here = exists(file);
        present = present && here;
        if (here && !any_present) existing = file;
        any_present = any_present || here;
      }
      const auto record = recorded.find(figure.name);
      if (options.resume && present && record != recorded.end() &&
          record->second == planned.input_hash) {
        plan.up_to_date.push_back(planned.output);
        continue;
      }
      if (any_present && !options.force && !options.resume) {
        plan.failures.push_back(figure.name + ": '" + existing +
                                "' exists; use --force to overwrite or --resume to keep it");
        continue;
      }
      plan.to_draw.push_back(std::move(planned));
    }
  }
  return plan;
}

std::string manifest_name(int shard_index, int shard_count) {
  if (shard_count == 1) return "manifest.json";
  return "manifest.shard-" + std::to_string(shard_index) + "-of-" + std::to_string(shard_count) +
         ".json";
}

std::vector<std::vector<std::size_t>> deal_largest_first(const std::vector<double>& costs,
                                                         int workers) {
  std::vector<std::vector<std::size_t>> assigned(static_cast<std::size_t>(std::max(1, workers)));
  std::vector<std::size_t> order(costs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  std::vector<double> load(assigned.size(), 0);
  for (const std::size_t i : order) {
    const auto w =
        static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[w] += costs[i];
    assigned[w].push_back(i);
  }
  return assigned;
}

double figure_cost(const FigureSpec& figure) {
  std::size_t views = 0;
  for (const auto& p : figure.panels) views += p.views.size();
  return static_cast<double>(figure.options.width) * figure.options.height * (1 + views);
}

}  // namespace foci
