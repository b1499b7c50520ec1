#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace foci {

/// Which side of the brain something is on. `midline` is a structure that straddles x = 0
/// by nature (vermis, corpus callosum); `bilateral` a label that covers both hemispheres
/// in an atlas that does not split them (Harvard-Oxford cortical, Brodmann).
enum class Hemisphere { left, right, midline, bilateral };

std::string to_string(Hemisphere h);
std::optional<Hemisphere> parse_hemisphere(std::string_view word);
/// The side an atlas label name states: "Hippocampus_L", "Right Putamen",
/// "Cerebral_peduncle_R", "Medial lemniscus left". nullopt when the name names no side.
std::optional<Hemisphere> hemisphere_from_label_name(std::string_view name);
/// The side of a world point (MNI RAS mm): left for x < -tolerance, right for x > tolerance,
/// midline in between.
Hemisphere hemisphere_of_x(double x_mm, double tolerance_mm);

}  // namespace foci
