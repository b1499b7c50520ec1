#pragma once
// Figure specs: files that name findings files and atlases and list figures, each with an
// output name, size, style and panels (title, filter, views). Documented with an example in
// findings/README.md.
#include <optional>
#include <string>
#include <vector>

#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"

namespace foci {

/// The longest figure name a spec may use (the PNG's file name is the name and ".png").
constexpr std::size_t kMaximumNameLength = 200;

struct FigureSpec {
  std::string name;  ///< output file stem: DIR/<name>.png
  std::string title;
  FigureOptions options;
  std::vector<PanelRequest> panels;
  std::string canonical;             ///< the figure's JSON, as read, for the input hash
  std::optional<std::string> error;  ///< what is wrong with this entry; the rest still render
};

struct SpecFile {
  std::string path;
  std::vector<std::string> findings;  ///< resolved against the spec's folder
  std::vector<std::string> atlases = default_atlases();
  std::vector<FigureSpec> figures;
};

/// Reads a spec. Problems of the file as a whole (not JSON, unknown top-level key, no
/// findings) throw Error (input) with the file and JSON pointer; a bad figure entry is kept
/// with its `error`, so the other figures still render.
SpecFile read_spec_file(const std::string& path);

}  // namespace foci
