#include "mapping/mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <limits>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "mapping/label_voxels.hpp"

namespace foci {

std::string to_string(Placement::Source source) {
  return source == Placement::Source::reported ? "reported" : "atlas";
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
    // Room for every finding at once: growing by doubling moved and faulted in the mapped
    // findings again at each step.
    result.mapped.reserve(inputs.size());
    key_hashes_.reserve(inputs.size());
    // While one chunk is placed (on this thread: placing keeps input order), the other
    // threads look up the next; this thread joins them when it is done placing.
    ChunkLookups first, second;
    ChunkLookups* current = &first;
    ChunkLookups* upcoming = &second;
    if (!inputs.empty()) {
      start_lookups(inputs, 0, std::min(inputs.size(), kInputsPerChunk), *current);
      finish_lookups(inputs, *current);
    }
    for (std::size_t chunk = 0; chunk < inputs.size(); chunk += kInputsPerChunk) {
      const std::size_t end = std::min(inputs.size(), chunk + kInputsPerChunk);
      const bool more = end < inputs.size();
      if (more) {
        start_lookups(inputs, end, std::min(inputs.size(), end + kInputsPerChunk), *upcoming);
      }
      const std::vector<std::size_t>& first_slot = current->first_slot;
      const std::vector<AtlasHit>& hits = current->hits;
      for (std::size_t n = chunk; n < end; ++n) {
        const FindingInput& input = inputs[n];
        const std::size_t slot = first_slot[n - chunk];
        const auto hits_of = [&](std::size_t location) {
          return hits.data() + (slot + location) * request_.atlases.size();
        };
        MappedFinding mapped;
        mapped.input = input;
        std::string reason;
        const Finding& f = *input.finding;
        bool ok = true;
        if (f.location) {
          ok = place(*f.location, 0, hits_of(0), mapped, reason);
        } else {
          for (int e = 0; e < static_cast<int>(f.endpoints.size()) && ok; ++e) {
            ok = place(f.endpoints[e], e + 1, hits_of(e), mapped, reason);
            if (!ok) reason = "endpoint " + std::to_string(e + 1) + ": " + reason;
          }
        }
        if (!ok) {
          result.unmapped.push_back({input, reason});
          continue;
        }
        // The key's hash goes on from that of the finding's own fields, taken by the lookup
        // threads: reading them here, in a second cache line of each finding, was the
        // largest cost of placing (and a second pass over a million findings cost more).
        key_.clear();
        placements_key(mapped, key_);
        key_hashes_.emplace_back(hash_on(current->key_hash[n - chunk], key_), result.mapped.size());
        result.mapped.push_back(std::move(mapped));
      }
      if (more) {
        finish_lookups(inputs, *upcoming);
        std::swap(current, upcoming);
      }
    }
    mark_duplicates(result.mapped, key_hashes_);
    return result;
  }

 private:
  /// Inputs whose reported coordinates are looked up together, on several threads, before
  /// they are placed one by one: the lookups are most of the work and need nothing of the
  /// placing before them, while placing keeps input order (the first of two duplicates is
  /// the one named). Small enough that the hits of a chunk take a few megabytes.
  static constexpr std::size_t kInputsPerChunk = 16384;

  /// The lookups of one chunk: inputs[begin, end) are numbered from first_slot[n - begin]
  /// (a finding's location, or each endpoint), and hits[slot * atlases + a] holds atlas a's
  /// answer at each reported coordinate (MNI); slots without a coordinate are left empty.
  /// Threads claim runs of kInputsPerClaim inputs from `claimed` until none are left.
  struct ChunkLookups {
    std::size_t begin = 0, end = 0;
    std::vector<std::size_t> first_slot;
    std::vector<AtlasHit> hits;
    /// Per input, the hash (hash_on) of the start of its duplicate key (finding_key).
    std::vector<std::uint64_t> key_hash;
    std::atomic<std::size_t> claimed{0};
    /// Declared last, so that on the way out they are waited for before the rest goes.
    std::vector<std::future<void>> helpers;
  };
  static constexpr std::size_t kInputsPerClaim = 512;

  /// Numbers the locations of inputs[begin, end) and sets the other threads looking them up.
  void start_lookups(const std::vector<FindingInput>& inputs, std::size_t begin, std::size_t end,
                     ChunkLookups& chunk) const {
    chunk.begin = begin;
    chunk.end = end;
    chunk.first_slot.clear();
    std::size_t slots = 0;
    for (std::size_t n = begin; n < end; ++n) {
      chunk.first_slot.push_back(slots);
      const Finding& f = *inputs[n].finding;
      slots += f.location ? 1 : f.endpoints.size();
    }
    chunk.hits.assign(slots * request_.atlases.size(), AtlasHit{});
    chunk.key_hash.assign(end - begin, 0);
    chunk.claimed.store(0, std::memory_order_relaxed);
    chunk.helpers.clear();
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 16);
    const std::size_t claims = (end - begin + kInputsPerClaim - 1) / kInputsPerClaim;
    for (std::size_t t = 1; t < std::min(threads, claims + 1); ++t) {
      chunk.helpers.push_back(
          std::async(std::launch::async, [this, &inputs, &chunk] { look_up(inputs, chunk); }));
    }
  }

  /// Looks up what is left of a chunk on this thread too, and waits for the others.
  void finish_lookups(const std::vector<FindingInput>& inputs, ChunkLookups& chunk) const {
    look_up(inputs, chunk);
    for (auto& h : chunk.helpers) h.get();
    chunk.helpers.clear();
  }

  void look_up(const std::vector<FindingInput>& inputs, ChunkLookups& chunk) const {
    const std::size_t atlases = request_.atlases.size();
    std::string key;
    for (;;) {
      const std::size_t from =
          chunk.begin + chunk.claimed.fetch_add(kInputsPerClaim, std::memory_order_relaxed);
      if (from >= chunk.end) return;
      const std::size_t to = std::min(chunk.end, from + kInputsPerClaim);
      for (std::size_t n = from; n < to; ++n) {
        if (n + kPrefetchAhead < to) prefetch(*inputs[n + kPrefetchAhead].finding);
        const Finding& f = *inputs[n].finding;
        key.clear();
        finding_key(f, key);
        chunk.key_hash[n - chunk.begin] = hash_on(kKeyHashStart, key);
        const std::size_t count = f.location ? 1 : f.endpoints.size();
        for (std::size_t l = 0; l < count; ++l) {
          const Location& location = f.location ? *f.location : f.endpoints[l];
          if (!location.coordinate) continue;
          const Vec3 mni =
              to_mni(location.coordinate->point, location.coordinate->space, request_.transform);
          AtlasHit* out = chunk.hits.data() + (chunk.first_slot[n - chunk.begin] + l) * atlases;
          for (std::size_t a = 0; a < atlases; ++a) {
            out[a] = request_.atlases[a]->lookup(mni, request_.search_radius_mm);
          }
        }
      }
    }
  }

  /// Findings ahead of the one being looked up whose atlas reads are begun.
  static constexpr std::size_t kPrefetchAhead = 4;
  void prefetch(const Finding& f) const {
    if (!f.location || !f.location->coordinate) return;
    const Vec3 mni =
        to_mni(f.location->coordinate->point, f.location->coordinate->space, request_.transform);
    for (const Atlas* atlas : request_.atlases) atlas->prefetch(mni, request_.search_radius_mm);
  }

  std::size_t atlas_index(const Atlas* atlas) const {
    for (std::size_t n = 0; n < request_.atlases.size(); ++n) {
      if (request_.atlases[n] == atlas) return n;
    }
    return 0;
  }

  /// Each atlas's answer at a point (MNI); `hits`, when given, are the atlases' lookups there.
  std::vector<AtlasAnswer> answers_at(Vec3 mni, const AtlasHit* hits = nullptr) const {
    std::vector<AtlasAnswer> answers;
    answers.reserve(request_.atlases.size());
    for (std::size_t n = 0; n < request_.atlases.size(); ++n) {
      const Atlas* atlas = request_.atlases[n];
      const AtlasHit hit = hits ? hits[n] : atlas->lookup(mni, request_.search_radius_mm);
      AtlasAnswer a;
      a.atlas = atlas->name();
      a.label = hit.label;
      if (hit.label != 0) {
        if (const LabelEntry* entry = atlas->table().find(hit.label)) a.name = entry->name;
        a.hemisphere = atlas->hit_hemisphere(hit);
        a.distance_mm = hit.distance_mm;
      }
      answers.push_back(std::move(a));
    }
    return answers;
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
      Placement p;
      p.source = Placement::Source::reported;
      p.reported = location.coordinate;
      p.mni = to_mni(location.coordinate->point, location.coordinate->space, request_.transform);
      p.side = side;
      p.endpoint = endpoint;
      p.answers = answers_at(p.mni, hits);
      if (resolved) {
        p.region_id = resolved->region->id;
        check_against_region(p, *resolved->region, side, *location.region, mapped);
      }
      check_brain(p, mapped);
      mapped.placements.push_back(std::move(p));
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
      Placement p;
      p.source = Placement::Source::atlas;
      p.mni = *point;
      p.side = s;
      p.region_id = region.id;
      p.placing_atlas = r->atlas->name();
      p.approximate = !r->labels.empty() && r->labels.front().approximate;
      p.endpoint = endpoint;
      p.answers = answers_at(p.mni);
      mapped.placements.push_back(std::move(p));
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
  /// `hash_and_index`: the hash of each mapped finding's key, with its index in `mapped`.
  static void mark_duplicates(std::vector<MappedFinding>& mapped,
                              std::vector<std::pair<std::uint64_t, std::size_t>>& hash_and_index) {
    sort_by_hash(hash_and_index);
    // The findings of groups of two or more (the same point to 1 mm is common in a million
    // findings): their keys are made in input order, one forward pass over the findings,
    // where making them group by group read the findings in hash order, each a cache miss.
    std::vector<std::size_t> grouped;  // positions in hash_and_index, group after group
    for (std::size_t begin = 0, end = 0; begin < hash_and_index.size(); begin = end) {
      end = begin + 1;
      while (end < hash_and_index.size() &&
             hash_and_index[end].first == hash_and_index[begin].first) {
        ++end;
      }
      for (std::size_t n = begin; end - begin > 1 && n < end; ++n) grouped.push_back(n);
    }
    std::vector<std::pair<std::size_t, std::size_t>> in_input_order;  // (index, slot in grouped)
    in_input_order.reserve(grouped.size());
    for (std::size_t slot = 0; slot < grouped.size(); ++slot) {
      in_input_order.emplace_back(hash_and_index[grouped[slot]].second, slot);
    }
    std::sort(in_input_order.begin(), in_input_order.end());
    // One buffer of keys, not a string each: a million findings may have a few hundred
    // thousand in groups.
    std::string all_keys;
    std::vector<std::pair<std::size_t, std::size_t>> key_at(grouped.size());  // start, length
    for (const auto& [index, slot] : in_input_order) {
      const std::size_t start = all_keys.size();
      duplicate_key(mapped[index], all_keys);
      key_at[slot] = {start, all_keys.size() - start};
    }
    const auto key = [&](std::size_t slot) {
      return std::string_view(all_keys).substr(key_at[slot].first, key_at[slot].second);
    };

    for (std::size_t begin = 0; begin < grouped.size();) {
      std::size_t end = begin + 1;
      while (end < grouped.size() &&
             hash_and_index[grouped[end]].first == hash_and_index[grouped[begin]].first) {
        ++end;
      }
      // Within a group, in input order: the first earlier finding with the same key is the
      // one named (a different key under the same hash is a collision).
      for (std::size_t later = begin + 1; later < end; ++later) {
        MappedFinding& m = mapped[hash_and_index[grouped[later]].second];
        for (std::size_t earlier = begin; earlier < later; ++earlier) {
          if (key(later) != key(earlier)) continue;
          const MappedFinding& first = mapped[hash_and_index[grouped[earlier]].second];
          m.warnings.push_back({"duplicate", "the same finding as " + first.input.file + ": " +
                                                 first.input.finding->id});
          break;
        }
      }
      begin = end;
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
    std::vector<std::size_t> start((std::size_t{1} << kBits) + 1, 0);
    for (const auto& p : pairs) ++start[bucket(p.first) + 1];
    for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
    std::vector<std::pair<std::uint64_t, std::size_t>> dealt(pairs.size());
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (const auto& p : pairs) dealt[next[bucket(p.first)]++] = p;
    for (std::size_t b = 0; b + 1 < start.size(); ++b) {
      std::sort(dealt.begin() + start[b], dealt.begin() + start[b + 1]);
    }
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

  /// FNV-1a over the bytes of `text`, going on from `hash`: the key's hash is taken in two
  /// parts on two threads, and is that of the whole key either way, so equal keys always
  /// have equal hashes.
  static constexpr std::uint64_t kKeyHashStart = 14695981039346656037ull;
  static std::uint64_t hash_on(std::uint64_t hash, std::string_view text) {
    for (const char c : text) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return hash;
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
  std::vector<LabelVoxels> voxels_;
  std::string key_;                                                ///< scratch for duplicate_key
  std::vector<std::pair<std::uint64_t, std::size_t>> key_hashes_;  ///< see mark_duplicates
};

}  // namespace

MappingResult map_findings(const std::vector<FindingInput>& inputs, const MappingRequest& request) {
  if (request.atlases.empty()) throw usage_error("mapping needs at least one atlas");
  if (!request.lexicon) throw Error(ExitCode::internal, "mapping needs the region lexicon");
  Mapper mapper(request);
  return mapper.run(inputs);
}

}  // namespace foci
