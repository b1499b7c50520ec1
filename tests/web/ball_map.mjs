// Writes the overlay map of the page tests: +5 in a ball of 12 mm around (-35, -65, 50)
// (left parietal, seen from above) and -3 around its mirror (35, -65, 50), 0 elsewhere; a
// NIfTI-1 file (gzip) on a 2 mm MNI grid stored LAS (i running right to left, as FSL's
// MNI152 files), so the page must place it by its sform.
//
//   node ball_map.mjs OUT.nii.gz
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node ball_map.mjs OUT.nii.gz");
  process.exit(2);
}
const size = [91, 109, 91];
// voxel (i, j, k) -> MNI mm: x = 90 - 2i, y = -126 + 2j, z = -72 + 2k
const rows = [[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72]];
const header = Buffer.alloc(352);
header.writeInt32LE(348, 0);
[3, ...size, 1, 1, 1, 1].forEach((d, n) => header.writeInt16LE(d, 40 + 2 * n));
header.writeInt16LE(16, 70); // float32
header.writeInt16LE(32, 72);
[-1, 2, 2, 2, 1, 1, 1, 1].forEach((p, n) => header.writeFloatLE(p, 76 + 4 * n));
header.writeFloatLE(352, 108); // vox_offset
header.writeFloatLE(1, 112); // scl_slope
header.writeUInt8(2, 123); // mm
header.writeInt16LE(4, 254); // sform_code: MNI
rows.forEach((row, r) => row.forEach((v, c) => header.writeFloatLE(v, 280 + 16 * r + 4 * c)));
header.write("n+1\0", 344, "latin1");
const values = Buffer.alloc(size[0] * size[1] * size[2] * 4);
const left = [-35, -65, 50], right = [35, -65, 50];
const within = (p, c) => Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2]) <= 12;
let n = 0;
for (let k = 0; k < size[2]; k++) {
  for (let j = 0; j < size[1]; j++) {
    for (let i = 0; i < size[0]; i++, n++) {
      const p = rows.map((row) => row[0] * i + row[1] * j + row[2] * k + row[3]);
      values.writeFloatLE(within(p, left) ? 5 : within(p, right) ? -3 : 0, 4 * n);
    }
  }
}
writeFileSync(out, gzipSync(Buffer.concat([header, values]), { level: 9 }));
