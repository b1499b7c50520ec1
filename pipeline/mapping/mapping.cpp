#include "mapping/mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "core/memory_pages.hpp"
#include "core/parallel.hpp"
#include "mapping/label_voxels.hpp"

namespace foci {

std::string to_string(Placement::Source source) {
  return source == Placement::Source::reported ? "reported" : "atlas";
}

std::string_view AtlasAnswer::atlas() const {
  return source ? std::string_view(source->name()) : std::string_view();
}

std::string_view AtlasAnswer::name() const {
  const LabelEntry* entry = source && label != 0 ? source->table().find(label) : nullptr;
  return entry ? std::string_view(entry->name) : std::string_view();
}

std::size_t MappingResult::placement_count() const {
  std::size_t n = 0;
  for (const auto& m : mapped) n += m.placements.size();
  return n;
}

std::map<std::string, std::size_t> MappingResult::warning_counts() const {
  std::map<std::string, std::size_t> counts;
  for (const auto& m : mapped) {
    for (const auto& w : m.warnings) ++counts[w.code];
  }
  return counts;
}

namespace {

std::string point_text(Vec3 p) { return fmt::format("({:.0f}, {:.0f}, {:.0f})", p.x, p.y, p.z); }

std::string side_word(std::optional<Hemisphere> side) {
  return side ? to_string(*side) : std::string("unstated");
}

bool on_side(double x, std::optional<Hemisphere> side) {
  if (!side || *side == Hemisphere::bilateral || *side == Hemisphere::midline) return true;
  return *side == Hemisphere::left ? x < 0 : x > 0;
}

/// A region's voxels in one atlas, restricted to a side.
struct RegionInAtlas {
  const Atlas* atlas = nullptr;
  std::vector<RegionLabel> labels;
  std::set<std::int32_t> label_values;
};

class Mapper {
 public:
  explicit Mapper(const MappingRequest& request) : request_(request) {
    for (const Atlas* atlas : request.atlases) voxels_.emplace_back(*atlas);
  }

  MappingResult run(const std::vector<FindingInput>& inputs) {
    MappingResult result;
    result.input_count = inputs.size();
    // Room for every finding at once: the threads place findings straight into their slots,
    // which must not move while they do.
    result.mapped.reserve(inputs.size());
    key_hashes_.resize(inputs.size());
    key_spans_.resize(inputs.size());
    claim_keys_.resize((inputs.size() + kInputsPerClaim - 1) / kInputsPerClaim);
    placed_.resize(inputs.size());
    // The first chunk is smaller: its slots are made before anything else can be done.
    std::size_t begin = 0, end = std::min(inputs.size(), kInputsPerChunk / 4);
    result.mapped.resize(end);
    while (begin < inputs.size()) {
      const std::size_t next_end = std::min(inputs.size(), end + kInputsPerChunk);
      place_chunk(inputs, begin, end, next_end, result.mapped);
      for (std::size_t n = begin; n < end; ++n) {
        if (!placed_[n]) result.unmapped.push_back({inputs[n], std::move(reasons_[n - begin])});
      }
      begin = std::exchange(end, next_end);
    }
    if (!result.unmapped.empty()) drop_unplaced(result.mapped);
    mark_duplicates(result.mapped);
    return result;
  }

 private:
  /// Inputs placed together, on every thread, each straight into its slot in the result
  /// (a finding's place needs nothing of the others'); those that cannot be placed are
  /// gathered in input order after each chunk, and their slots dropped at the end.
  static constexpr std::size_t kInputsPerChunk = 65536;
  /// Threads claim runs of this many inputs of a chunk until none are left.
  static constexpr std::size_t kInputsPerClaim = 512;

  /// Places inputs[begin, end) into mapped[begin, end), made before, on every core; one of
  /// them first makes the next chunk's slots, mapped[end, next_end), in fresh memory whose
  /// pages it has the kernel map in one call (a page fault each took a tenth of the time).
  void place_chunk(const std::vector<FindingInput>& inputs, std::size_t begin, std::size_t end,
                   std::size_t next_end, std::vector<MappedFinding>& mapped) {
    reasons_.assign(end - begin, std::string());
    // The slots are reached through this pointer while the vector grows within its capacity.
    MappedFinding* const slots = mapped.data();
    const std::size_t claims = (end - begin + kInputsPerClaim - 1) / kInputsPerClaim;
    const std::size_t more = next_end > end ? 1 : 0;  // the part that makes the next slots
    for_each_part_on_cores(claims + more, [&](std::size_t part) {
      if (part < more) {
        map_pages_for_writing(slots + end, (next_end - end) * sizeof(MappedFinding));
        mapped.resize(next_end);
        return;
      }
      const std::size_t from = begin + (part - more) * kInputsPerClaim;
      place_each(inputs, from, std::min(end, from + kInputsPerClaim), begin, slots);
    });
  }

  /// Places inputs[from, to) of the chunk that starts at chunk_begin: first every atlas looks
  /// up all their reported coordinates, then each finding is placed.
  void place_each(const std::vector<FindingInput>& inputs, std::size_t from, std::size_t to,
                  std::size_t chunk_begin, MappedFinding* mapped) {
    const std::size_t atlases = request_.atlases.size();
    // The reported coordinates (MNI), in order of finding and location.
    std::vector<Vec3> points;
    points.reserve(to - from);
    for (std::size_t n = from; n < to; ++n) {
      if (n + kFindingsAhead < to) prefetch_finding(*inputs[n + kFindingsAhead].finding);
      const Finding& f = *inputs[n].finding;
      const std::size_t count = f.location ? 1 : f.endpoints.size();
      for (std::size_t l = 0; l < count; ++l) {
        const Location& location = f.location ? *f.location : f.endpoints[l];
        if (location.coordinate) {
          points.push_back(
              to_mni(location.coordinate->point, location.coordinate->space, request_.transform));
        }
      }
    }
    // hits[point * atlases + a]: atlas a's answer at a point.
    std::vector<AtlasHit> hits(points.size() * atlases);
    for (std::size_t a = 0; a < atlases; ++a) {
      request_.atlases[a]->lookup_each(points.data(), points.size(), request_.search_radius_mm,
                                       hits.data() + a, atlases);
    }
    // The claim's keys, kept for mark_duplicates: making them again there read each grouped
    // finding a second time, a cache miss apiece.
    std::string& keys = claim_keys_[from / kInputsPerClaim];
    keys.clear();
    const AtlasHit* next_hits = hits.data();
    for (std::size_t n = from; n < to; ++n) {
      if (n + kSlotsAhead < to) {
        const char* slot = reinterpret_cast<const char*>(mapped + n + kSlotsAhead);
        for (std::size_t line = 0; line < sizeof(MappedFinding); line += 64) {
          __builtin_prefetch(slot + line, 1);
        }
      }
      const FindingInput& input = inputs[n];
      const Finding& f = *input.finding;
      MappedFinding& m = mapped[n];
      m.input = input;
      std::string& reason = reasons_[n - chunk_begin];
      // The location's hits when it has a coordinate (else none are used), and the next's.
      const auto hits_of = [&](const Location& location) {
        const AtlasHit* own = next_hits;
        if (location.coordinate) next_hits += atlases;
        return own;
      };
      bool ok = true;
      if (f.location) {
        ok = place(*f.location, 0, hits_of(*f.location), m, reason);
      } else {
        for (std::size_t e = 0; e < f.endpoints.size(); ++e) {
          const AtlasHit* endpoint_hits = hits_of(f.endpoints[e]);
          if (!ok) continue;  // the rest of its hits are passed over all the same
          ok = place(f.endpoints[e], static_cast<int>(e) + 1, endpoint_hits, m, reason);
          if (!ok) reason = "endpoint " + std::to_string(e + 1) + ": " + reason;
        }
      }
      placed_[n] = ok;
      if (!ok) continue;
      const std::size_t start = keys.size();
      duplicate_key(m, keys);
      const std::string_view key = std::string_view(keys).substr(start);
      key_spans_[n] = {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(key.size())};
      key_hashes_[n] = {std::hash<std::string_view>()(key), n};
    }
  }

  /// The duplicate key (duplicate_key) of input n, once placed.
  std::string_view key_of(std::size_t n) const {
    return std::string_view(claim_keys_[n / kInputsPerClaim])
        .substr(key_spans_[n].first, key_spans_[n].second);
  }

  /// Removes the slots of the findings that could not be placed, keeping the order of the
  /// rest, and notes where each placed input's finding now is.
  void drop_unplaced(std::vector<MappedFinding>& mapped) {
    std::size_t kept = 0;
    position_.assign(mapped.size(), 0);
    std::size_t hashes = 0;
    for (std::size_t n = 0; n < mapped.size(); ++n) {
      if (!placed_[n]) continue;
      if (kept != n) mapped[kept] = std::move(mapped[n]);
      position_[n] = kept++;
      key_hashes_[hashes++] = key_hashes_[n];
    }
    mapped.resize(kept);
    key_hashes_.resize(hashes);
  }
  /// Where input n's mapped finding is (once placed).
  std::size_t position(std::size_t n) const { return position_.empty() ? n : position_[n]; }

  /// Slots ahead of the one being filled whose memory is fetched for writing.
  static constexpr std::size_t kSlotsAhead = 4;
  /// Findings ahead of the one whose coordinates are read whose memory is fetched.
  static constexpr std::size_t kFindingsAhead = 8;
  /// Fetches the parts of a finding read first: its duplicate key's fields and its location
  /// or endpoints, from its study to its endpoints.
  static void prefetch_finding(const Finding& f) {
    const char* start = reinterpret_cast<const char*>(&f.study);
    const char* end = reinterpret_cast<const char*>(&f.endpoints + 1);
    for (const char* line = start; line < end; line += 64) __builtin_prefetch(line);
    __builtin_prefetch(end - 1);
  }

  std::size_t atlas_index(const Atlas* atlas) const {
    for (std::size_t n = 0; n < request_.atlases.size(); ++n) {
      if (request_.atlases[n] == atlas) return n;
    }
    return 0;
  }

  /// Appends each atlas's answer at a point (MNI) to `answers`; `hits`, when given, are the
  /// atlases' lookups there.
  void answer_at(Vec3 mni, const AtlasHit* hits, AtlasAnswers& answers) const {
    answers.reserve(request_.atlases.size());
    for (std::size_t n = 0; n < request_.atlases.size(); ++n) {
      const Atlas* atlas = request_.atlases[n];
      const AtlasHit hit = hits ? hits[n] : atlas->lookup(mni, request_.search_radius_mm);
      AtlasAnswer& a = answers.emplace_back();
      a.source = atlas;
      a.label = hit.label;
      if (hit.label != 0) {
        a.hemisphere = atlas->hit_hemisphere(hit);
        a.distance_mm = hit.distance_mm;
      }
    }
  }

  /// The region's labels in the first atlas that has any, with the reasons of those that
  /// have none.
  std::optional<RegionInAtlas> region_labels(const LexiconRegion& region,
                                             std::optional<Hemisphere> side,
                                             std::string& why_not) const {
    for (const Atlas* atlas : request_.atlases) {
      try {
        RegionInAtlas r;
        r.atlas = atlas;
        r.labels = request_.lexicon->labels_in(*atlas, region, side);
        for (const auto& l : r.labels) r.label_values.insert(l.label);
        if (!r.labels.empty()) return r;
      } catch (const Error& e) {
        why_not += (why_not.empty() ? "" : "; ") + e.lines().back();
      }
    }
    return std::nullopt;
  }

  /// Centroid of a region's voxels on a side; the region voxel nearest to it when the
  /// centroid itself falls outside the region (a curved region such as the cingulate).
  std::optional<Vec3> representative_point(const RegionInAtlas& r, std::optional<Hemisphere> side,
                                           bool& moved) {
    LabelVoxels& voxels = voxels_[atlas_index(r.atlas)];
    double sx = 0, sy = 0, sz = 0;
    std::size_t n = 0;
    for (const auto label : r.label_values) {
      for (const auto offset : voxels.of(label)) {
        const Vec3 c = voxels.centre(offset);
        if (!on_side(c.x, side)) continue;
        sx += c.x, sy += c.y, sz += c.z;
        ++n;
      }
    }
    if (n == 0) return std::nullopt;
    const Vec3 centroid{sx / n, sy / n, sz / n};
    moved = false;
    if (r.label_values.count(r.atlas->lookup(centroid).label)) return centroid;
    moved = true;
    return nearest_region_voxel(r, side, centroid).second;
  }

  /// Distance (mm) from a point to the nearest voxel centre of a region on a side, and that
  /// voxel's centre.
  std::pair<double, Vec3> nearest_region_voxel(const RegionInAtlas& r,
                                               std::optional<Hemisphere> side, Vec3 point) {
    LabelVoxels& voxels = voxels_[atlas_index(r.atlas)];
    double best = std::numeric_limits<double>::infinity();
    Vec3 best_centre{};
    for (const auto label : r.label_values) {
      for (const auto offset : voxels.of(label)) {
        const Vec3 c = voxels.centre(offset);
        if (!on_side(c.x, side)) continue;
        const Vec3 d = c - point;
        const double d2 = d.x * d.x + d.y * d.y + d.z * d.z;
        if (d2 < best) {
          best = d2;
          best_centre = c;
        }
      }
    }
    return {std::sqrt(best), best_centre};
  }

  bool inside_brain(Vec3 mni) const { return request_.brain_mask->label_at(mni) != 0; }

  /// Places one location; false (with the reason) when it cannot be placed.
  /// `hits`: the atlases' lookups at the location's reported coordinate (ChunkLookups).
  bool place(const Location& location, int endpoint, const AtlasHit* hits, MappedFinding& mapped,
             std::string& reason) {
    std::optional<ResolvedRegion> resolved;
    if (location.region) {
      resolved = request_.lexicon->resolve(*location.region);
      if (!resolved) {
        const auto near = request_.lexicon->suggest(*location.region, 3);
        std::string closest;
        for (const auto& n : near)
          closest += (closest.empty() ? "" : ", ") + std::string("'") + n + "'";
        const std::string what = "region name '" + *location.region + "' is not in the lexicon" +
                                 (closest.empty() ? "" : " (closest: " + closest + ")");
        if (!location.coordinate) {
          reason = what;
          return false;
        }
        mapped.warnings.push_back({"unresolved-region", what + "; placed by its coordinate"});
      }
    }
    // The side the paper states: the hemisphere field, else the side word in the name.
    std::optional<Hemisphere> side = location.hemisphere;
    if (resolved && resolved->hemisphere) {
      if (side && *side != *resolved->hemisphere) {
        mapped.warnings.push_back({"side-conflict", "the name '" + *location.region + "' says " +
                                                        to_string(*resolved->hemisphere) +
                                                        " but the hemisphere is " +
                                                        to_string(*side)});
      }
      if (!side) side = resolved->hemisphere;
    }

    if (location.coordinate) {
      // Made in its place: a placement is a few hundred bytes, which a move copied again.
      Placement& p = mapped.placements.emplace_back();
      p.source = Placement::Source::reported;
      p.reported = location.coordinate;
      p.mni = to_mni(location.coordinate->point, location.coordinate->space, request_.transform);
      p.side = side;
      p.endpoint = endpoint;
      answer_at(p.mni, hits, p.answers);
      if (resolved) {
        p.region_id = resolved->region->id;
        check_against_region(p, *resolved->region, side, *location.region, mapped);
      }
      check_brain(p, mapped);
      return true;
    }

    // A named region only: one placement per side it covers.
    const LexiconRegion& region = *resolved->region;
    std::vector<std::optional<Hemisphere>> sides;
    if (!region.lateralised) {
      sides = {std::nullopt};
    } else if (side == Hemisphere::left || side == Hemisphere::right) {
      sides = {side};
    } else {
      sides = {Hemisphere::left, Hemisphere::right};  // bilateral, or no side stated
    }
    for (const auto s : sides) {
      std::string why_not;
      const auto r = region_labels(region, s, why_not);
      if (!r) {
        reason = "'" + *location.region + "' (" + region.en + ") has no labels in " +
                 [&] {
                   std::string names;
                   for (const Atlas* a : request_.atlases)
                     names += (names.empty() ? "" : ", ") + a->name();
                   return names;
                 }() +
                 ": " + why_not;
        return false;
      }
      bool moved = false;
      const auto point = representative_point(*r, s, moved);
      if (!point) {
        reason = "'" + *location.region + "' has no voxels on the " + side_word(s) + " side in " +
                 r->atlas->name();
        return false;
      }
      Placement& p = mapped.placements.emplace_back();
      p.source = Placement::Source::atlas;
      p.mni = *point;
      p.side = s;
      p.region_id = region.id;
      p.placing_atlas = r->atlas->name();
      p.approximate = !r->labels.empty() && r->labels.front().approximate;
      p.endpoint = endpoint;
      answer_at(p.mni, nullptr, p.answers);
    }
    return true;
  }

  void check_against_region(const Placement& p, const LexiconRegion& region,
                            std::optional<Hemisphere> side, const std::string& written,
                            MappedFinding& mapped) {
    std::string why_not;
    // Labels of both sides: a coordinate in the mirror-image label is a side question,
    // which the side check asks.
    const auto both = region_labels(region, std::nullopt, why_not);
    if (!both) return;  // no atlas can say; nothing to compare
    const std::int32_t label = both->atlas->lookup(p.mni).label;
    const bool lateral = side == Hemisphere::left || side == Hemisphere::right;

    if (lateral && std::abs(p.mni.x) > request_.midline_tolerance_mm &&
        (p.mni.x < 0) != (*side == Hemisphere::left)) {
      const Vec3 mirrored{-p.mni.x, p.mni.y, p.mni.z};
      const auto named_side = region_labels(region, side, why_not);
      std::string message = "'" + written + "' is named " + to_string(*side) +
                            " but the coordinate " + point_text(p.mni) + " lies in the " +
                            (p.mni.x < 0 ? "left" : "right") + " hemisphere";
      if (named_side &&
          nearest_region_voxel(*named_side, side, mirrored).first <= request_.region_tolerance_mm) {
        message += "; mirrored to " + point_text(mirrored) + " it falls in " + region.en +
                   ": a possible left/right flip";
      }
      mapped.warnings.push_back({"side-flip", message});
    }

    if (both->label_values.count(label)) return;
    const auto named = region_labels(region, lateral ? side : std::nullopt, why_not);
    if (!named) return;
    const auto [distance, nearest] =
        nearest_region_voxel(*named, lateral ? side : std::nullopt, p.mni);
    if (label == 0 && distance <= request_.region_tolerance_mm) return;
    const std::string here =
        label == 0 ? "in no " + both->atlas->name() + " label"
                   : "in " + both->atlas->label_name(label) + " (" + both->atlas->name() + ")";
    mapped.warnings.push_back(
        {"label-mismatch",
         fmt::format("'{}' is named but the coordinate {} lies {}; the nearest voxel of {}{} is "
                     "{:.1f} mm away{}",
                     written, point_text(p.mni), here, region.en,
                     lateral ? " on the " + to_string(*side) + " side" : std::string(), distance,
                     named->labels.front().approximate
                         ? " (" + both->atlas->name() + "'s labels for it are an approximation)"
                         : "")});
  }

  void check_brain(const Placement& p, MappedFinding& mapped) {
    if (!request_.brain_mask || inside_brain(p.mni)) return;
    mapped.warnings.push_back(
        {"outside-brain", "the coordinate " + point_text(p.mni) + " (MNI) lies outside the brain"});
    const auto& c = *p.reported;
    const bool said_talairach = c.space == CoordinateSpace::talairach;
    const Vec3 other = said_talairach ? c.point : talairach_to_mni(c.point, request_.transform);
    if (inside_brain(other)) {
      mapped.warnings.push_back(
          {"space-mixup", std::string("read as ") + (said_talairach ? "MNI" : "Talairach") +
                              " instead of " + (said_talairach ? "Talairach" : "MNI") +
                              ", it would lie inside the brain at " + point_text(other) +
                              ": check which space the paper reports"});
    }
  }

  /// Two findings are the same when study, measure, contrast, direction, timepoint and every
  /// placement (region and side, or a point to 1 mm) agree: when their keys (duplicate_key)
  /// are equal. Each later one gets a "duplicate" warning naming the first, as its last
  /// warning. Findings are grouped by a hash of their key and keys are compared only within
  /// a group: a million findings cost a sort, not a million strings in a hash table.
  void mark_duplicates(std::vector<MappedFinding>& mapped) {
    // (hash, input index): sorted, each group of equal hashes is in input order.
    sort_by_hash(key_hashes_);
    // Groups are told apart in parts of the sorted hashes, each part on a core (a few
    // thousand findings in one): its bounds are moved forward to where a group starts.
    const std::size_t count = key_hashes_.size();
    const std::size_t parts = count < (std::size_t{1} << 16) ? 1 : 32;
    std::vector<std::size_t> bound(parts + 1);
    for (std::size_t part = 0; part <= parts; ++part) {
      std::size_t at = count * part / parts;
      while (at > 0 && at < count && key_hashes_[at].first == key_hashes_[at - 1].first) ++at;
      bound[part] = at;
    }
    for_each_part_on_cores(
        parts, [&](std::size_t part) { warn_duplicates(mapped, bound[part], bound[part + 1]); });
  }

  /// Warns of the duplicates in the groups of equal hashes that begin in key_hashes_[from, to).
  void warn_duplicates(std::vector<MappedFinding>& mapped, std::size_t from, std::size_t to) const {
    // (later, earlier) input indices: within a group, the first earlier finding with the same
    // key is the one named (a different key under the same hash is a collision).
    std::vector<std::pair<std::size_t, std::size_t>> duplicates;
    constexpr std::size_t kKeysAhead = 8;  // keys fetched ahead of the one compared
    for (std::size_t begin = from, end = from; begin < to; begin = end) {
      end = begin + 1;
      while (end < to && key_hashes_[end].first == key_hashes_[begin].first) {
        if (end + kKeysAhead < to) {
          __builtin_prefetch(key_of(key_hashes_[end + kKeysAhead].second).data());
        }
        ++end;
      }
      for (std::size_t later = begin + 1; later < end; ++later) {
        const std::string_view key = key_of(key_hashes_[later].second);
        for (std::size_t earlier = begin; earlier < later; ++earlier) {
          if (key != key_of(key_hashes_[earlier].second)) continue;
          duplicates.emplace_back(key_hashes_[later].second, key_hashes_[earlier].second);
          break;
        }
      }
    }
    // Each warning reads two findings far apart and the first's id, cache misses all, begun
    // a few duplicates ahead.
    constexpr std::size_t kAhead = 8;
    for (std::size_t d = 0; d < duplicates.size(); ++d) {
      if (d + kAhead < duplicates.size()) {
        __builtin_prefetch(&mapped[position(duplicates[d + kAhead].first)].warnings, 1);
        __builtin_prefetch(&mapped[position(duplicates[d + kAhead].second)].input);
      }
      if (d + kAhead / 2 < duplicates.size()) {
        __builtin_prefetch(mapped[position(duplicates[d + kAhead / 2].second)].input.finding);
      }
      MappedFinding& m = mapped[position(duplicates[d].first)];
      const FindingInput& first = mapped[position(duplicates[d].second)].input;
      std::string message = "the same finding as ";
      message.append(first.file).append(": ").append(first.finding->id);
      m.warnings.push_back({"duplicate", std::move(message)});
    }
  }

  /// Sorts (hash, index) pairs into the order std::sort gives them, faster for many: they are
  /// dealt into buckets by the hash's top 16 bits (a million pairs, a few dozen a bucket),
  /// and each bucket is sorted on its own. Sorting a million at once was 5% of mapping them.
  static void sort_by_hash(std::vector<std::pair<std::uint64_t, std::size_t>>& pairs) {
    constexpr int kBits = 16;
    if (pairs.size() < (std::size_t{1} << kBits)) {
      std::sort(pairs.begin(), pairs.end());
      return;
    }
    const auto bucket = [](std::uint64_t hash) { return hash >> (64 - kBits); };
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    // The pairs are counted and dealt in slices, each on a core: slice s deals its pairs
    // into each bucket after those of the slices before it, so a bucket holds its pairs in
    // their order, as one pass would deal them.
    constexpr std::size_t kSlices = 4;
    const auto slice = [&](std::size_t s) {
      return pairs.begin() + static_cast<std::ptrdiff_t>(pairs.size() * s / kSlices);
    };
    std::vector<std::vector<std::size_t>> next(kSlices, std::vector<std::size_t>(kBuckets, 0));
    for_each_part_on_cores(kSlices, [&](std::size_t s) {
      for (auto p = slice(s); p != slice(s + 1); ++p) ++next[s][bucket(p->first)];
    });
    std::vector<std::size_t> start(kBuckets + 1);
    std::size_t at = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      start[b] = at;
      for (auto& counts : next) at += std::exchange(counts[b], at);
    }
    start[kBuckets] = at;
    std::vector<std::pair<std::uint64_t, std::size_t>> dealt(pairs.size());
    for_each_part_on_cores(kSlices, [&](std::size_t s) {
      for (auto p = slice(s); p != slice(s + 1); ++p) dealt[next[s][bucket(p->first)]++] = *p;
    });
    constexpr std::size_t kParts = 32;  // of the buckets, each sorted on a core
    for_each_part_on_cores(kParts, [&](std::size_t part) {
      for (std::size_t b = kBuckets * part / kParts; b < kBuckets * (part + 1) / kParts; ++b) {
        std::sort(dealt.begin() + start[b], dealt.begin() + start[b + 1]);
      }
    });
    pairs.swap(dealt);
  }

  /// Appends the key of a finding to `key`: study|measure|contrast|direction|timepoint, then
  /// per placement |endpoint:region/side or |endpoint:x,y,z in whole millimetres.
  static void duplicate_key(const MappedFinding& mapped, std::string& key) {
    finding_key(*mapped.input.finding, key);
    placements_key(mapped, key);
  }

  /// The key's two parts: the finding's own fields, then its placements.
  static void finding_key(const Finding& f, std::string& key) {
    key += f.study;
    key += '|';
    if (f.measure) key += *f.measure;
    key += '|';
    if (f.contrast) key += *f.contrast;
    key += '|';
    if (f.direction) key += to_string(*f.direction);
    key += '|';
    if (f.timepoint) key += *f.timepoint;
  }
  static void placements_key(const MappedFinding& mapped, std::string& key) {
    for (const auto& p : mapped.placements) {
      key += '|';
      append_int(p.endpoint, key);
      key += ':';
      if (p.source == Placement::Source::atlas) {
        if (p.region_id) key += *p.region_id;
        key += '/';
        key += side_word(p.side);
      } else {
        append_whole_mm(p.mni.x, key);
        key += ',';
        append_whole_mm(p.mni.y, key);
        key += ',';
        append_whole_mm(p.mni.z, key);
      }
    }
  }

  /// The integer's digits, appended by their count (a C string's length was read byte by byte
  /// for every placement).
  static void append_int(long long value, std::string& key) {
    const fmt::format_int digits(value);
    key.append(digits.data(), digits.size());
  }

  /// What fmt's "{:.0f}" writes, without its parsing and float formatting: both round half to
  /// even (nearbyint in the default rounding mode) and keep the sign of a negative zero.
  static void append_whole_mm(double mm, std::string& key) {
    const double whole = std::nearbyint(mm);
    if (!(std::abs(whole) < 1e15)) {
      fmt::format_to(std::back_inserter(key), "{:.0f}", mm);
    } else if (whole == 0 && std::signbit(whole)) {
      key += "-0";
    } else {
      append_int(static_cast<long long>(whole), key);
    }
  }

  const MappingRequest& request_;
  /// A deque: LabelVoxels, built once whichever thread asks first, does not move.
  std::deque<LabelVoxels> voxels_;
  /// Per input: whether it was placed, and the hash of its duplicate key with the input's
  /// index (see mark_duplicates); the key itself is key_of(n).
  std::vector<std::uint8_t> placed_;
  std::vector<std::pair<std::uint64_t, std::size_t>> key_hashes_;
  /// Each claim's keys, one after another, and per input where its key lies in its claim's.
  std::vector<std::string> claim_keys_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> key_spans_;
  /// Per input, its finding's index in the mapped findings when some could not be placed
  /// (empty when all were: the index is the input's).
  std::vector<std::size_t> position_;
  /// Per input of the chunk being placed: why it could not be.
  std::vector<std::string> reasons_;
};

}  // namespace

MappingResult map_findings(const std::vector<FindingInput>& inputs, const MappingRequest& request) {
  if (request.atlases.empty()) throw usage_error("mapping needs at least one atlas");
  if (!request.lexicon) throw Error(ExitCode::internal, "mapping needs the region lexicon");
  Mapper mapper(request);
  return mapper.run(inputs);
}

}  // namespace foci
