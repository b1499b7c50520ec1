#pragma once
// A figure as a web page (`foci web`, and `foci batch` for specs with "html" among their
// formats): the scene `render` draws — brain, region surfaces, nodes, edges, legends — with
// every finding behind it and the lexicon names of its regions, as the page's data.
#include <nlohmann/json.hpp>

#include <string>

#include "app/figure_inputs.hpp"
#include "render/render.hpp"
#include "render/scene.hpp"
#include "web/page.hpp"

namespace foci {

/// The page data (format in pipeline/web/page/README.md): meshes as base64 of float32 MNI
/// mm and uint32 triangles, each region surface once however many panels draw it; panels
/// with their items; the findings the items stand for; and the names a reader may type for
/// the figure's regions (lexicon names and aliases with side words, atlas labels), each
/// checked through the lexicon's own resolver.
nlohmann::json web_figure_data(const Figure& figure, const FigureInputs& inputs,
                               const SceneOptions& options, const RenderSettings& settings);

/// Writes the page, made of `assets` (web/page.hpp read_web_assets), through a TemporaryFile
/// (over an existing file only with `overwrite`).
void write_web_page(const Figure& figure, const FigureInputs& inputs, const SceneOptions& options,
                    const RenderSettings& settings, const WebAssets& assets,
                    const std::string& path, bool overwrite);

}  // namespace foci
