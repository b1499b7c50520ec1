#!/usr/bin/env bash
# Times projecting a 2 mm statistical map (MNI152 grid, 91 x 109 x 91, LAS as FSL stores
# it, with a positive and a negative cluster) onto the brain surface: the whole process of
# a six-view 1600x1200 `foci render --overlay`, first with an empty mesh cache (cold), then
# warm; wall time and peak memory from /usr/bin/time. Usage:
#   tests/bench/overlay_bench.sh build/test/foci
set -euo pipefail
foci=${1:?usage: overlay_bench.sh PATH_TO_FOCI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FOCI_CACHE_DIR="$work/cache"
# The map, written with the standard library alone: a NIfTI-1 header (sform and qform codes
# 4, MNI) and float32 voxels, gzip-compressed.
python3 - "$work/zmap_2mm.nii.gz" <<'PY'
import gzip, math, struct, sys
nx, ny, nz = 91, 109, 91
affine = [[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72]]
header = bytearray(348)
struct.pack_into("<i", header, 0, 348)
struct.pack_into("<8h", header, 40, 3, nx, ny, nz, 1, 1, 1, 1)
struct.pack_into("<hh", header, 70, 16, 32)                  # float32
struct.pack_into("<8f", header, 76, -1, 2, 2, 2, 1, 1, 1, 1)  # qfac -1: LAS
struct.pack_into("<f", header, 108, 352.0)                     # vox_offset
struct.pack_into("<f", header, 112, 1.0)                       # scl_slope
struct.pack_into("<hh", header, 252, 4, 4)                     # qform, sform: MNI
struct.pack_into("<3f", header, 256, 0, 1, 0)                  # quaternion b, c, d (flip x)
struct.pack_into("<3f", header, 268, 90, -126, -72)            # qoffset
for r in range(3):
    struct.pack_into("<4f", header, 280 + 16 * r, *affine[r])  # srow_x, srow_y, srow_z
header[344:348] = b"n+1\0"
peaks = [((-40, -20, 50), 6.0), ((40, -20, 50), -4.0), ((-30, 20, 40), 3.5)]
values = bytearray(4 * nx * ny * nz)
n = 0
for k in range(nz):
    z = -72 + 2 * k
    for j in range(ny):
        y = -126 + 2 * j
        for i in range(nx):
            x = 90 - 2 * i
            v = 0.0
            for (px, py, pz), peak in peaks:
                d2 = (x - px) ** 2 + (y - py) ** 2 + (z - pz) ** 2
                if d2 < 400:
                    v += peak * math.exp(-d2 / 72)
            if v:
                struct.pack_into("<f", values, n, v)
            n += 4
with gzip.open(sys.argv[1], "wb") as f:
    f.write(bytes(header) + b"\0\0\0\0" + bytes(values))
PY
for run in cold warm warm warm; do
  /usr/bin/time -f "$run: %e s, peak %M KB" "$foci" render --overlay "$work/zmap_2mm.nii.gz" \
    --threshold 2.3 -o "$work/figure.png" --force --size 1600x1200 \
    --views left,dorsal,right,anterior,posterior,ventral 2>&1 | tail -1
done
