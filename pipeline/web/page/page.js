// foci web page: draws the figure's data (the <script id="foci-data"> element, format in
// README.md beside this file) with NiiVue, from memory only: NiiVue's URL loaders would fetch
// even inline data, which fails on file:// and would reach for the network.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("foci-data").textContent);
  const nvlib = window.niivue;

  // The eight views of `foci render`, as NiiVue azimuth/elevation (degrees). NiiVue's
  // camera: azimuth 0 looks from behind, 90 from the left, 180 from the front, 270 from the
  // right; elevation 90 from above, -90 from below. Dorsal and ventral keep the left
  // hemisphere on the left of the image, as render's do; medial views look at one
  // hemisphere from the midline (`side`: the brain drawn is that hemisphere). Lateral views
  // draw the whole brain but only the near hemisphere's findings (`near`), as render's do:
  // the far side's would show through the glass and merge with the near side's.
  const VIEWS = {
    left: { azimuth: 90, elevation: 0, side: null, near: "left" },
    right: { azimuth: 270, elevation: 0, side: null, near: "right" },
    dorsal: { azimuth: 0, elevation: 90, side: null },
    ventral: { azimuth: 0, elevation: -90, side: null },
    anterior: { azimuth: 180, elevation: 0, side: null },
    posterior: { azimuth: 0, elevation: 0, side: null },
    "medial-left": { azimuth: 270, elevation: 0, side: "left" },
    "medial-right": { azimuth: 90, elevation: 0, side: "right" },
  };
  // Which side of the image each hemisphere is on, for the views that show both.
  const SIDE_MARKS = {
    dorsal: ["L", "R"], ventral: ["L", "R"], posterior: ["L", "R"], anterior: ["R", "L"],
  };
  const FILTER_KEYS = ["measure", "direction", "study", "timepoint"];
  const NOT_REPORTED = "not reported";
  // render's colours of directions (scene.cpp), carried in the data.
  const COLOURS = data.direction_colours;

  // ---- data ---------------------------------------------------------------------------
  function bytesOf(base64) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }
  // Coordinates come as int16 hundredths of a millimetre, triangles as uint16 or uint32.
  function meshOf(m) {
    const hundredths = new Int16Array(bytesOf(m.points).buffer);
    const points = new Float32Array(hundredths.length);
    for (let i = 0; i < hundredths.length; i++) points[i] = hundredths[i] / 100;
    const indices = bytesOf(m.triangles).buffer;
    return { points, triangles: m.index_bytes === 2 ? new Uint32Array(new Uint16Array(indices)) : new Uint32Array(indices) };
  }
  const brain = meshOf(data.brain);
  const hemispheres = data.hemispheres
    ? { left: meshOf(data.hemispheres.left), right: meshOf(data.hemispheres.right) } : null;
  const regionMeshes = data.meshes.map(meshOf);
  const findings = data.findings;

  // Overlay maps (README.md beside this file): a surface map as the vertices of each brain
  // mesh it colours, with their values and render's colours; a blob map as isosurfaces.
  function sparseOf(s) {
    return {
      vertices: new Uint32Array(bytesOf(s.vertices).buffer),
      values: new Float32Array(bytesOf(s.values).buffer),
      colours: bytesOf(s.colours),
    };
  }
  const overlays = (data.overlays || []).map((o) => ({
    data: o,
    surface: o.surface ? { brain: sparseOf(o.surface.brain), left: sparseOf(o.surface.left), right: sparseOf(o.surface.right) } : null,
    blobs: (o.blobs || []).map((b) => ({ mesh: meshOf(b.mesh), colour: b.colour, sign: b.sign })),
  }));

  function findingValue(f, key) {
    const v = f[key];
    return v === undefined || v === null || v === "" ? NOT_REPORTED : String(v);
  }

  // ---- state --------------------------------------------------------------------------
  const state = {
    panel: 0,
    view: (data.panels[0] && data.panels[0].views[0]) || "dorsal",
    filters: {}, // key -> Set of values shown; absent key: all shown
    focused: [], // [{kind, index}]: what the reader clicked or searched for
    // Per overlay: |value| below `threshold` is not drawn (never below the map's own, under
    // which the page has no values); `opacity` 0..1.
    overlays: overlays.map((o) => ({ threshold: o.data.threshold, opacity: 1 })),
  };

  function panel() { return data.panels[state.panel]; }

  function findingShown(index) {
    const f = findings[index];
    for (const key of FILTER_KEYS) {
      const allowed = state.filters[key];
      if (allowed && !allowed.has(findingValue(f, key))) return false;
    }
    return true;
  }

  // The colour of an item from the findings still shown, by the rules of `foci render`
  // (scene_from_mapping.cpp): with all of them shown, exactly the colour render drew.
  function colourOf(item, kind, shownSources) {
    // Connection endpoints keep their fixed dark grey.
    if (shownSources.length === item.sources.length || item.fixed_colour) return item.colour;
    const fs = shownSources.map((s) => findings[s]);
    if (data.colour_by === "direction") {
      const up = fs.some((f) => f.direction === "increase");
      const down = fs.some((f) => f.direction === "decrease");
      if (up && down) return COLOURS.mixed;
      if (up) return COLOURS.increase;
      if (down) return COLOURS.decrease;
      return COLOURS.neutral;
    }
    if (data.colour_by === "measure") {
      const measures = new Set(fs.map((f) => findingValue(f, "measure")));
      if (measures.size !== 1) return [51, 51, 51];
      const m = [...measures][0];
      const entry = panel().legend.find((e) => e.text === m);
      return entry ? entry.colour : item.colour;
    }
    const bar = panel().colour_bar;
    const values = fs.map(valueOf).filter((v) => v !== null);
    if (!bar || values.length === 0) return COLOURS.neutral;
    return scaleColour(bar, values.reduce((a, b) => a + b, 0) / values.length);
  }
  function valueOf(f) {
    if (typeof f.value === "number") return f.value;
    const s = f.statistic || {};
    for (const k of ["t", "z", "r"]) if (typeof s[k] === "number") return s[k];
    return null;
  }
  function scaleColour(bar, v) {
    const t = Math.min(1, Math.max(0, (v - bar.minimum) / (bar.maximum - bar.minimum || 1)));
    const x = t * (bar.stops.length - 1);
    const i = Math.min(bar.stops.length - 2, Math.floor(x));
    const f = x - i;
    return [0, 1, 2].map((c) => Math.round(bar.stops[i][c] * (1 - f) + bar.stops[i + 1][c] * f));
  }

  // What the current panel draws under the filters and view: each item with its shown
  // findings and colour.
  function visibleItems() {
    const p = panel();
    const side = VIEWS[state.view].side;
    const near = side || VIEWS[state.view].near || null;
    const onSide = (s, x) => !s || (s === "left" ? x <= 0 : x >= 0);
    const out = [];
    const add = (kind, item, index, inView) => {
      if (!inView) return;
      const shown = item.sources.filter(findingShown);
      if (shown.length === 0) return;
      out.push({ kind, index, item, sources: shown, colour: colourOf(item, kind, shown) });
    };
    // A region of both sides (a midline or bilateral label) shows in every view.
    const oneSide = (r) => r.side === "left" || r.side === "right";
    p.regions.forEach((r, i) => add("region", r, i, !near || !oneSide(r) || r.side === near));
    p.nodes.forEach((n, i) => add("node", n, i, onSide(near, n.at[0])));
    // Medial views keep an edge by its middle; a lateral view only one whose ends are both
    // near, so no tube runs off towards a node the view leaves out.
    p.edges.forEach((e, i) => add("edge", e, i, side ? onSide(side, (e.from[0] + e.to[0]) / 2)
      : onSide(near, e.from[0]) && onSide(near, e.to[0])));
    return out;
  }

  // ---- geometry for nodes and edges ---------------------------------------------------
  const SPHERE = (function icosphere() {
    const t = (1 + Math.sqrt(5)) / 2;
    let v = [[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t], [0, -1, -t],
      [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]];
    let f = [[0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4],
      [11, 10, 2], [10, 7, 6], [7, 1, 8], [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9],
      [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1]];
    const norm = (p) => { const l = Math.hypot(p[0], p[1], p[2]); return [p[0] / l, p[1] / l, p[2] / l]; };
    v = v.map(norm);
    for (let level = 0; level < 2; level++) {
      const mid = new Map();
      const midpoint = (a, b) => {
        const key = a < b ? a + "," + b : b + "," + a;
        if (!mid.has(key)) {
          v.push(norm([(v[a][0] + v[b][0]) / 2, (v[a][1] + v[b][1]) / 2, (v[a][2] + v[b][2]) / 2]));
          mid.set(key, v.length - 1);
        }
        return mid.get(key);
      };
      const next = [];
      for (const [a, b, c] of f) {
        const ab = midpoint(a, b), bc = midpoint(b, c), ca = midpoint(c, a);
        next.push([a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]);
      }
      f = next;
    }
    return { points: v, triangles: f };
  })();

  function addSphere(g, at, radius, rgb) {
    const base = g.points.length / 3;
    for (const p of SPHERE.points) {
      g.points.push(at[0] + p[0] * radius, at[1] + p[1] * radius, at[2] + p[2] * radius);
      g.colours.push(rgb[0], rgb[1], rgb[2], 255);
    }
    for (const t of SPHERE.triangles) g.triangles.push(base + t[0], base + t[1], base + t[2]);
  }

  // A tube from `from` to `to`; with `endRadius` (smaller) a cone's side.
  function addTube(g, from, to, radius, rgb, endRadius = radius) {
    const d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
    const len = Math.hypot(d[0], d[1], d[2]);
    // A connection within one place (both ends on one centroid) has no length to draw; its
    // endpoint node shows it. A zero-length tube would put NaN into the mesh, and NiiVue's
    // bounds of the scene with it.
    if (!(len > 1e-6)) return;
    const a = [d[0] / len, d[1] / len, d[2] / len];
    const helper = Math.abs(a[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    let u = [a[1] * helper[2] - a[2] * helper[1], a[2] * helper[0] - a[0] * helper[2], a[0] * helper[1] - a[1] * helper[0]];
    const ul = Math.hypot(u[0], u[1], u[2]);
    u = u.map((x) => x / ul);
    const w = [a[1] * u[2] - a[2] * u[1], a[2] * u[0] - a[0] * u[2], a[0] * u[1] - a[1] * u[0]];
    const sides = 12, base = g.points.length / 3;
    for (let end = 0; end < 2; end++) {
      const c = end ? to : from, r = end ? endRadius : radius;
      for (let s = 0; s < sides; s++) {
        const ang = (2 * Math.PI * s) / sides, cs = Math.cos(ang) * r, sn = Math.sin(ang) * r;
        g.points.push(c[0] + u[0] * cs + w[0] * sn, c[1] + u[1] * cs + w[1] * sn, c[2] + u[2] * cs + w[2] * sn);
        g.colours.push(rgb[0], rgb[1], rgb[2], 255);
      }
    }
    for (let s = 0; s < sides; s++) {
      const n = (s + 1) % sides;
      g.triangles.push(base + s, base + n, base + sides + s, base + n, base + sides + n, base + sides + s);
    }
  }

  // An edge as `foci render` draws it: a directed one (e.arrow) ends in a cone whose tip
  // stops on the target node; the tube runs into the cone's base.
  function addEdge(g, e, rgb) {
    const d = [e.to[0] - e.from[0], e.to[1] - e.from[1], e.to[2] - e.from[2]];
    const len = Math.hypot(d[0], d[1], d[2]);
    const a = e.arrow;
    if (!a || !(len > a.gap + a.length * 1.5)) return addTube(g, e.from, e.to, e.radius, rgb);
    const at = (t) => [e.from[0] + (d[0] * t) / len, e.from[1] + (d[1] * t) / len, e.from[2] + (d[2] * t) / len];
    const tip = len - a.gap, base = tip - a.length;
    addTube(g, e.from, at(base + a.length * 0.1), e.radius, rgb);
    // A tip of (almost) no width: a ring of one point would make degenerate triangles.
    addTube(g, at(base), at(tip), a.radius, rgb, a.radius * 0.02);
  }

  // ---- drawing ------------------------------------------------------------------------
  const canvas = document.getElementById("gl");
  const glass = data.style === "glass";
  const nv = new nvlib.Niivue({
    backColor: [1, 1, 1, 1],
    show3Dcrosshair: false,
    crosshairWidth: 0,
    isOrientCube: false,
    isColorbar: false,
    loadingText: "",
    dragAndDropEnabled: false,
    // The picture a reader saves must be what the canvas shows.
    isAntiAlias: true,
  });
  let brainMesh = null, findingsMeshes = [], overlayMeshes = [];

  function makeMesh(points, triangles, rgba, name, opacity) {
    return new nvlib.NVMesh(points, triangles, name, rgba, opacity, true, nv.gl);
  }

  function focusedKeys() { return new Set(state.focused.map((f) => f.kind + ":" + f.index)); }
  function focusedItems() {
    const keys = focusedKeys();
    return visibleItems().filter((v) => keys.has(v.kind + ":" + v.index));
  }

  // Rebuilds what is drawn: the brain (a hemisphere in medial views) and one mesh of every
  // visible item, coloured per vertex.
  function redraw() {
    const side = VIEWS[state.view].side;
    const shownBrain = side && hemispheres ? hemispheres[side] : brain;
    if (!brainMesh || brainMesh.fociSide !== side) {
      if (brainMesh) nv.removeMesh(brainMesh);
      brainMesh = makeMesh(shownBrain.points, shownBrain.triangles,
        new Uint8Array(glass ? [200, 200, 205, 255] : [215, 210, 200, 255]), "brain", glass ? 0.22 : 1);
      brainMesh.fociSide = side;
      nv.addMesh(brainMesh);
      // Diffuse light without highlights: the decimated template surface shows its facets
      // under Phong's specular highlights, and render's brain has none.
      nv.setMeshShader(brainMesh.id, "Matte");
    }
    // With something selected, it is drawn opaque and the rest faded and translucent, so a
    // selection deep inside other regions still shows.
    const focus = focusedKeys();
    // A lobe or hemisphere (a coarse region) is a see-through tint, as in render's figures,
    // so the specific regions inside it show.
    const chosen = [], coarse = [], rest = [];
    for (const v of visibleItems()) {
      if (focus.size && !focus.has(v.kind + ":" + v.index)) {
        rest.push({ v, rgb: v.colour.map((c) => Math.round(c * 0.4 + 255 * 0.6)) });
      } else if (v.kind === "region" && v.item.coarse) {
        coarse.push({ v, rgb: v.colour });
      } else {
        chosen.push({ v, rgb: v.colour });
      }
    }
    for (const m of findingsMeshes) nv.removeMesh(m);
    findingsMeshes = [];
    for (const [group, opacity] of [[chosen, 1], [coarse, 0.3], [rest, 0.15]]) {
      const mesh = meshOfItems(group, opacity);
      if (mesh) findingsMeshes.push(mesh);
    }
    for (const m of overlayMeshes) nv.removeMesh(m);
    overlayMeshes = buildOverlayMeshes(side, shownBrain);
    // Opaque first, then the translucent rest, the maps on the cortex, then the glass brain
    // over the findings inside.
    nv.meshes = [...findingsMeshes, ...overlayMeshes, brainMesh];
    nv.updateGLVolume();
    drawLegend();
  }

  // One NiiVue mesh of items, coloured per vertex; null when there is nothing to draw. Nodes
  // and edges are small and built as lists; region surfaces, most of the vertices, are copied
  // straight into typed arrays sized beforehand.
  function meshOfItems(items, opacity) {
    const g = { points: [], triangles: [], colours: [] };
    const regions = [];
    for (const { v, rgb } of items) {
      if (v.kind === "region") regions.push({ mesh: regionMeshes[v.item.mesh], rgb });
      else if (v.kind === "node") addSphere(g, v.item.at, v.item.radius, rgb);
      else addEdge(g, v.item, rgb);
    }
    let nPoints = g.points.length, nTriangles = g.triangles.length;
    for (const r of regions) nPoints += r.mesh.points.length, nTriangles += r.mesh.triangles.length;
    if (nTriangles === 0) return null;
    const points = new Float32Array(nPoints), triangles = new Uint32Array(nTriangles);
    const colours = new Uint8Array((nPoints / 3) * 4);
    points.set(g.points);
    triangles.set(g.triangles);
    colours.set(g.colours);
    let p = g.points.length, t = g.triangles.length;
    for (const r of regions) {
      const base = p / 3, m = r.mesh;
      points.set(m.points, p);
      for (let i = 0; i < m.triangles.length; i++) triangles[t + i] = base + m.triangles[i];
      for (let i = base * 4, end = (base + m.points.length / 3) * 4; i < end; i += 4) {
        colours[i] = r.rgb[0]; colours[i + 1] = r.rgb[1]; colours[i + 2] = r.rgb[2]; colours[i + 3] = 255;
      }
      p += m.points.length;
      t += m.triangles.length;
    }
    const mesh = makeMesh(points, triangles, colours, "findings", opacity);
    nv.addMesh(mesh);
    return mesh;
  }

  // ---- overlays -----------------------------------------------------------------------
  // A map's colours are its values: lit by a headlight with much ambient light, so a colour
  // keeps its place on the colour bar wherever the cortex faces (NiiVue's shaders light from
  // above the screen, darkening what faces down to a third of its colour).
  let overlayShader = "Matte"; // NiiVue's number of the shader below, once added
  const OVERLAY_SHADER_TEXT = `#version 300 es
precision highp int;
precision highp float;
uniform float opacity;
in vec4 vClr;
in vec3 vN;
out vec4 color;
void main() {
  float facing = abs(dot(normalize(vN), vec3(0.0, 0.0, -1.0)));
  color = vec4(vClr.rgb * (0.6 + 0.4 * facing), opacity);
}`;
  function panelOverlays() { return panel().overlays || []; }

  // Unit outward normals of a brain mesh (area-weighted), computed once per mesh.
  function normalsOf(m) {
    if (m.normals) return m.normals;
    const P = m.points, T = m.triangles, N = new Float32Array(P.length);
    for (let t = 0; t < T.length; t += 3) {
      const a = T[t] * 3, b = T[t + 1] * 3, c = T[t + 2] * 3;
      const e1 = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]];
      const e2 = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
      const n = cross(e1, e2);
      for (const i of [a, b, c]) { N[i] += n[0]; N[i + 1] += n[1]; N[i + 2] += n[2]; }
    }
    for (let i = 0; i < N.length; i += 3) {
      const l = Math.hypot(N[i], N[i + 1], N[i + 2]) || 1;
      N[i] /= l; N[i + 1] /= l; N[i + 2] /= l;
    }
    m.normals = N;
    return N;
  }

  // Whether an overlay's vertex value is drawn at the current threshold: label maps draw
  // every label; maps of values what reaches the threshold (NaN and 0 were never written).
  function overlayValueShown(o, threshold, value) {
    return o.data.kind === "labels" || Math.abs(value) >= threshold;
  }

  // The meshes of the current panel's overlays: for a surface map, the triangles of the shown
  // brain whose three vertices carry a value at the threshold, lifted a quarter millimetre
  // off the cortex so the brain does not cover them; for a blob map, its isosurfaces.
  function buildOverlayMeshes(side, shownBrain) {
    const out = [];
    for (const index of panelOverlays()) {
      const o = overlays[index], look = state.overlays[index];
      if (look.opacity <= 0 || o.data.nothing_above_threshold) continue;
      if (o.surface) {
        const sparse = o.surface[side || "brain"];
        const count = shownBrain.points.length / 3;
        const slot = new Int32Array(count).fill(-1);
        let kept = 0;
        for (let k = 0; k < sparse.vertices.length; k++) {
          if (overlayValueShown(o, look.threshold, sparse.values[k])) slot[sparse.vertices[k]] = k;
        }
        const T = shownBrain.triangles, triangles = [], newIndex = new Map();
        for (let t = 0; t < T.length; t += 3) {
          if (slot[T[t]] < 0 || slot[T[t + 1]] < 0 || slot[T[t + 2]] < 0) continue;
          for (let c = 0; c < 3; c++) {
            const v = T[t + c];
            if (!newIndex.has(v)) newIndex.set(v, kept++);
            triangles.push(newIndex.get(v));
          }
        }
        if (triangles.length === 0) continue;
        const N = normalsOf(shownBrain), P = shownBrain.points;
        const points = new Float32Array(kept * 3), colours = new Uint8Array(kept * 4);
        for (const [v, n] of newIndex) {
          for (let c = 0; c < 3; c++) points[n * 3 + c] = P[v * 3 + c] + 0.25 * N[v * 3 + c];
          const k = slot[v];
          colours.set([sparse.colours[k * 3], sparse.colours[k * 3 + 1], sparse.colours[k * 3 + 2], 255], n * 4);
        }
        const mesh = makeMesh(points, new Uint32Array(triangles), colours, "overlay " + index, look.opacity);
        nv.addMesh(mesh);
        nv.setMeshShader(mesh.id, overlayShader);
        out.push(mesh);
        continue;
      }
      for (const b of o.blobs) {
        const m = b.mesh;
        const onSide = side ? m.points.filter((_, i) => i % 3 === 0).some((x) => (side === "left" ? x <= 0 : x >= 0)) : true;
        if (!onSide || m.triangles.length === 0) continue;
        const mesh = makeMesh(m.points, m.triangles, new Uint8Array([b.colour[0], b.colour[1], b.colour[2], 255]), "blob " + index, look.opacity);
        nv.addMesh(mesh);
        nv.setMeshShader(mesh.id, overlayShader);
        out.push(mesh);
      }
    }
    return out;
  }

  function setOverlay(index, settings) {
    const look = state.overlays[index];
    if (!look) throw new Error("no overlay " + index + " (the page has " + overlays.length + ")");
    const o = overlays[index].data;
    if (settings.threshold !== undefined) {
      const t = Number(settings.threshold);
      if (!Number.isFinite(t)) throw new Error("threshold must be a number");
      look.threshold = Math.max(o.threshold, t);
    }
    if (settings.opacity !== undefined) {
      const a = Number(settings.opacity);
      if (!Number.isFinite(a)) throw new Error("opacity must be a number");
      look.opacity = Math.min(1, Math.max(0, a));
    }
    for (const input of document.querySelectorAll('#overlays input[data-overlay="' + index + '"]')) {
      input.value = String(input.dataset.setting === "threshold" ? look.threshold : look.opacity);
      const out = input.parentElement.querySelector("output");
      if (out) out.textContent = formatNumber(input.dataset.setting === "threshold" ? look.threshold : look.opacity);
    }
    redraw();
  }

  function formatNumber(v) {
    return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  }

  // Threshold and opacity sliders for the current panel's maps, redrawing as they move.
  function buildOverlayControls() {
    const box = document.getElementById("overlays");
    box.replaceChildren();
    const indices = panelOverlays();
    box.hidden = indices.length === 0;
    if (indices.length === 0) return;
    box.append(el("h2", "", "Maps"));
    for (const index of indices) {
      const o = overlays[index].data, look = state.overlays[index];
      const group = el("div", "overlay-controls");
      group.append(el("div", "item-name", o.title + (o.style === "blobs" ? " (blobs)" : "")));
      const slider = (setting, min, max, step, value, text) => {
        const label = el("label", "slider");
        const input = el("input");
        input.type = "range";
        input.min = String(min); input.max = String(max); input.step = String(step); input.value = String(value);
        input.dataset.overlay = String(index);
        input.dataset.setting = setting;
        input.addEventListener("input", () => setOverlay(index, { [setting]: Number(input.value) }));
        const out = el("output", "", formatNumber(value));
        label.append(document.createTextNode(text + " "), input, out);
        return label;
      };
      // Raising the threshold hides values on the cortex; blobs are isosurfaces at the
      // map's own threshold, which the page cannot redraw.
      if (o.kind !== "labels" && o.style === "surface" && !o.nothing_above_threshold) {
        const top = o.largest_magnitude;
        const step = (top - o.threshold) / 100 || 0.01;
        // One step past the largest value: the far end hides everything.
        group.append(slider("threshold", o.threshold, top + step, step, look.threshold, "threshold |value| ≥"));
      }
      group.append(slider("opacity", 0, 1, 0.05, look.opacity, "opacity"));
      box.append(group);
    }
  }

  // A map's colour bar: its colours (the scale of render's figure), the values the current
  // threshold hides greyed, the threshold marked.
  function overlayBar(index) {
    const o = overlays[index].data, bar = o.colour_bar, t = state.overlays[index].threshold;
    const box = el("div", "overlay-bar");
    box.append(el("div", "", o.title + (t > 0 ? " (|value| ≥ " + formatNumber(t) + ")" : "")));
    const strip = el("div", "bar");
    strip.style.background = "linear-gradient(to right," + bar.stops.map((s) => "rgb(" + s.join(",") + ")").join(",") + ")";
    const at = (v) => (100 * (v - bar.minimum)) / (bar.maximum - bar.minimum || 1);
    const clamp = (x) => Math.min(100, Math.max(0, x));
    const hidden = o.kind === "positive" ? [bar.minimum, t] : o.kind === "negative" ? [-t, bar.maximum] : [-t, t];
    const lo = clamp(at(hidden[0])), hi = clamp(at(hidden[1]));
    if (hi > lo) {
      const band = el("span", "hidden-band");
      band.style.left = lo + "%";
      band.style.width = hi - lo + "%";
      strip.append(band);
    }
    const marks = o.kind === "positive" ? [t] : o.kind === "negative" ? [-t] : t > 0 ? [-t, t] : [];
    for (const m of marks) {
      const x = at(m);
      if (x < 0 || x > 100) continue;
      const tick = el("span", "mark");
      tick.style.left = x + "%";
      tick.title = "threshold " + formatNumber(m);
      strip.append(tick);
    }
    box.append(strip, el("div", "bar-scale", formatNumber(bar.minimum) + " … " + formatNumber(bar.maximum)));
    return box;
  }

  function setView(name) {
    if (!VIEWS[name]) throw new Error("unknown view '" + name + "' (views: " + Object.keys(VIEWS).join(", ") + ")");
    const previous = VIEWS[state.view];
    state.view = name;
    nv.scene.renderAzimuth = VIEWS[name].azimuth;
    nv.scene.renderElevation = VIEWS[name].elevation;
    for (const b of document.querySelectorAll("#views button")) b.setAttribute("aria-pressed", String(b.dataset.view === name));
    const now = VIEWS[name];
    if (previous.side !== now.side || previous.near !== now.near) redraw(); else { nv.drawScene(); drawLegend(); }
  }

  // ---- picking ------------------------------------------------------------------------
  // A ray through a canvas pixel (CSS pixels) in MNI mm, from NiiVue's own matrix for the
  // current view, so picking agrees with what is drawn.
  function rayAt(x, y) {
    const w = nv.gl.canvas.width, h = nv.gl.canvas.height;
    const ratio = w / canvas.clientWidth;
    const mvp = nv.calculateMvpMatrix(null, [0, 0, w, h], nv.scene.renderAzimuth, nv.scene.renderElevation)[0];
    const inv = new Float32Array(16);
    invert(inv, mvp);
    const nx = (2 * x * ratio) / w - 1, ny = 1 - (2 * y * ratio) / h;
    const unproject = (z) => {
      const p = [nx, ny, z, 1], o = [0, 0, 0, 0];
      for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) o[r] += inv[c * 4 + r] * p[c];
      return [o[0] / o[3], o[1] / o[3], o[2] / o[3]];
    };
    // Smaller depth is nearer in NiiVue's projection.
    const near = unproject(-1), far = unproject(1);
    const d = [far[0] - near[0], far[1] - near[1], far[2] - near[2]];
    const len = Math.hypot(d[0], d[1], d[2]);
    return { origin: near, dir: [d[0] / len, d[1] / len, d[2] / len] };
  }

  function invert(out, a) {
    const [a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33] = a;
    const b00 = a00 * a11 - a01 * a10, b01 = a00 * a12 - a02 * a10, b02 = a00 * a13 - a03 * a10;
    const b03 = a01 * a12 - a02 * a11, b04 = a01 * a13 - a03 * a11, b05 = a02 * a13 - a03 * a12;
    const b06 = a20 * a31 - a21 * a30, b07 = a20 * a32 - a22 * a30, b08 = a20 * a33 - a23 * a30;
    const b09 = a21 * a32 - a22 * a31, b10 = a21 * a33 - a23 * a31, b11 = a22 * a33 - a23 * a32;
    const det = 1 / (b00 * b11 - b01 * b10 + b02 * b09 + b03 * b08 - b04 * b07 + b05 * b06);
    out[0] = (a11 * b11 - a12 * b10 + a13 * b09) * det; out[1] = (a02 * b10 - a01 * b11 - a03 * b09) * det;
    out[2] = (a31 * b05 - a32 * b04 + a33 * b03) * det; out[3] = (a22 * b04 - a21 * b05 - a23 * b03) * det;
    out[4] = (a12 * b08 - a10 * b11 - a13 * b07) * det; out[5] = (a00 * b11 - a02 * b08 + a03 * b07) * det;
    out[6] = (a32 * b02 - a30 * b05 - a33 * b01) * det; out[7] = (a20 * b05 - a22 * b02 + a23 * b01) * det;
    out[8] = (a10 * b10 - a11 * b08 + a13 * b06) * det; out[9] = (a01 * b08 - a00 * b10 - a03 * b06) * det;
    out[10] = (a30 * b04 - a31 * b02 + a33 * b00) * det; out[11] = (a21 * b02 - a20 * b04 - a23 * b00) * det;
    out[12] = (a11 * b07 - a10 * b09 - a12 * b06) * det; out[13] = (a00 * b09 - a01 * b07 + a02 * b06) * det;
    out[14] = (a31 * b01 - a30 * b03 - a32 * b00) * det; out[15] = (a20 * b03 - a21 * b01 + a22 * b00) * det;
  }

  function sub(a, b) { return [a[0] - b[0], a[1] - b[1], a[2] - b[2]]; }
  function dot(a, b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
  function cross(a, b) { return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]; }

  function hitSphere(ray, c, r) {
    const oc = sub(ray.origin, c), b = dot(oc, ray.dir), q = dot(oc, oc) - r * r, disc = b * b - q;
    return disc < 0 ? null : -b - Math.sqrt(disc);
  }
  // Nearest approach of the ray to a segment, within the tube's radius (with a little slack
  // so thin tubes can be hovered).
  function hitTube(ray, a, b, r) {
    const u = ray.dir, v = sub(b, a), w0 = sub(ray.origin, a);
    const A = dot(u, u), B = dot(u, v), C = dot(v, v), D = dot(u, w0), E = dot(v, w0);
    const den = A * C - B * B;
    let sc = 0, tc = 0;
    if (den > 1e-9) { sc = (B * E - C * D) / den; tc = (A * E - B * D) / den; }
    tc = Math.min(1, Math.max(0, tc));
    sc = Math.max(0, (dot(u, sub(a, ray.origin)) + tc * dot(u, v)));
    const p = [ray.origin[0] + u[0] * sc, ray.origin[1] + u[1] * sc, ray.origin[2] + u[2] * sc];
    const q = [a[0] + v[0] * tc, a[1] + v[1] * tc, a[2] + v[2] * tc];
    const d = sub(p, q);
    return Math.hypot(d[0], d[1], d[2]) <= Math.max(r, 1.5) ? sc : null;
  }
  // Whether the ray passes through the mesh's bounding box (slab test): most regions are
  // passed over without testing a triangle.
  function hitsBox(ray, m) {
    if (!m.box) {
      const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < m.points.length; i++) {
        lo[i % 3] = Math.min(lo[i % 3], m.points[i]);
        hi[i % 3] = Math.max(hi[i % 3], m.points[i]);
      }
      m.box = { lo, hi };
    }
    let near = -Infinity, far = Infinity;
    for (let a = 0; a < 3; a++) {
      if (Math.abs(ray.dir[a]) < 1e-12) {
        if (ray.origin[a] < m.box.lo[a] || ray.origin[a] > m.box.hi[a]) return false;
        continue;
      }
      let t0 = (m.box.lo[a] - ray.origin[a]) / ray.dir[a], t1 = (m.box.hi[a] - ray.origin[a]) / ray.dir[a];
      if (t0 > t1) [t0, t1] = [t1, t0];
      near = Math.max(near, t0);
      far = Math.min(far, t1);
    }
    return near <= far && far >= 0;
  }
  function hitMesh(ray, m) {
    const hit = nearestHit(ray, m);
    return hit ? hit.depth : null;
  }
  // The nearest triangle the ray meets: its depth and the vertex of it nearest the hit.
  function nearestHit(ray, m) {
    if (!hitsBox(ray, m)) return null;
    let best = null;
    const P = m.points, T = m.triangles;
    for (let t = 0; t < T.length; t += 3) {
      const i0 = T[t] * 3, i1 = T[t + 1] * 3, i2 = T[t + 2] * 3;
      const v0 = [P[i0], P[i0 + 1], P[i0 + 2]];
      const e1 = [P[i1] - v0[0], P[i1 + 1] - v0[1], P[i1 + 2] - v0[2]];
      const e2 = [P[i2] - v0[0], P[i2 + 1] - v0[1], P[i2 + 2] - v0[2]];
      const h = cross(ray.dir, e2), a = dot(e1, h);
      if (Math.abs(a) < 1e-9) continue;
      const f = 1 / a, s = sub(ray.origin, v0), u = f * dot(s, h);
      if (u < 0 || u > 1) continue;
      const q = cross(s, e1), v = f * dot(ray.dir, q);
      if (v < 0 || u + v > 1) continue;
      const d = f * dot(e2, q);
      if (d > 0 && (best === null || d < best.depth)) {
        const w = [1 - u - v, u, v], corner = w.indexOf(Math.max(...w));
        best = { depth: d, vertex: T[t + corner] };
      }
    }
    return best;
  }

  // The values of the panel's surface maps at canvas pixel (x, y): where the ray meets the
  // shown brain, the value of the nearest vertex, for each map that draws one there.
  function mapValuesAt(x, y) {
    const side = VIEWS[state.view].side;
    const shown = side && hemispheres ? hemispheres[side] : brain;
    const out = [];
    const indices = panelOverlays().filter((i) => overlays[i].surface && state.overlays[i].opacity > 0);
    if (indices.length === 0) return out;
    const hit = nearestHit(rayAt(x, y), shown);
    if (!hit) return out;
    for (const index of indices) {
      const o = overlays[index], sparse = o.surface[side || "brain"];
      if (!sparse.byVertex) {
        sparse.byVertex = new Map();
        sparse.vertices.forEach((v, k) => sparse.byVertex.set(v, k));
      }
      const k = sparse.byVertex.get(hit.vertex);
      if (k === undefined || !overlayValueShown(o, state.overlays[index].threshold, sparse.values[k])) continue;
      const value = sparse.values[k];
      const label = o.data.kind === "labels" ? (o.data.labels.find((l) => l.value === value) || {}).name : null;
      out.push({ index, title: o.data.title, value, label: label || null });
    }
    return out;
  }

  // What a click at (x, y) (CSS pixels in the canvas) lists: the nearest visible item.
  function pickItem(x, y) {
    const ray = rayAt(x, y);
    let best = null;
    for (const v of visibleItems()) {
      let d = null;
      if (v.kind === "node") d = hitSphere(ray, v.item.at, v.item.radius);
      else if (v.kind === "edge") d = hitTube(ray, v.item.from, v.item.to, v.item.radius);
      else d = hitMesh(ray, regionMeshes[v.item.mesh]);
      if (d !== null && (best === null || d < best.depth)) best = { depth: d, item: v };
    }
    if (best && !glass) {
      const side = VIEWS[state.view].side;
      const b = hitMesh(ray, side && hemispheres ? hemispheres[side] : brain);
      if (b !== null && b < best.depth - 0.5) return null;
    }
    return best ? best.item : null;
  }

  function itemTitle(v) {
    const it = v.item;
    if (v.kind === "region") {
      return [it.atlas_labels.join(", "), it.names].filter(Boolean).join(" — ");
    }
    if (v.kind === "node") {
      const where = it.atlas_labels.length ? it.atlas_labels.join(", ") : "outside atlas labels";
      return (it.label ? it.label + " — " : "") + where + " (" + it.at.join(", ") + ")";
    }
    return "connection " + it.from.join(", ") + " → " + it.to.join(", ");
  }

  // What a set of items stands for (a region named for both sides, or spread over several
  // atlas labels, is several items): their names and every finding behind them, once each.
  function describeAll(items) {
    if (items.length === 0) return null;
    if (items.length === 1) return describe(items[0]);
    const all = items.map(describe);
    const seen = new Set();
    return {
      kind: all[0].kind,
      index: all[0].index,
      items: all.map((d) => ({ kind: d.kind, index: d.index })),
      name: all.map((d) => d.name).join("; "),
      atlas_labels: [...new Set(all.flatMap((d) => d.atlas_labels))],
      names: [...new Set(all.map((d) => d.names).filter(Boolean))].join("; "),
      colour: all[0].colour,
      findings: all.flatMap((d) => d.findings).filter((f) => !seen.has(f.id + "|" + f.file) && seen.add(f.id + "|" + f.file)),
    };
  }

  function describe(v) {
    if (!v) return null;
    return {
      kind: v.kind,
      index: v.index,
      name: itemTitle(v),
      atlas_labels: v.item.atlas_labels || [],
      names: v.item.names || "",
      colour: v.colour,
      findings: v.sources.map((s) => {
        const f = findings[s];
        return {
          id: f.id, study: f.study, citation: f.study_citation || "", measure: f.measure || null,
          direction: f.direction || null, statistic: f.statistic || null,
          associations: f.associations || [], timepoint: f.timepoint || null,
          source_anchor: f.source_anchor || "", file: f.file || "",
          location: f.location || null, endpoints: f.endpoints || null,
        };
      }),
    };
  }

  // ---- side panel, hover, legend ------------------------------------------------------
  const details = document.getElementById("details");
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function statisticText(s) {
    if (!s) return "";
    return Object.keys(s).map((k) => k + " = " + s[k]).join(", ");
  }
  function endpointText(l) {
    return l ? (l.region || "") + (l.coordinate ? " (" + l.coordinate.point.join(", ") + ")" : "") : "";
  }
  function showDetails(info) {
    details.replaceChildren(el("h2", "", "Selected"));
    if (!info) {
      details.append(el("p", "hint", "Nothing there. Click a region, node or connection to list its findings."));
      return;
    }
    details.append(el("p", "item-name", info.name));
    details.append(el("p", "hint", info.findings.length + (info.findings.length === 1 ? " finding" : " findings") + " drawn here"));
    for (const f of info.findings) {
      const d = el("div", "finding");
      d.append(el("div", "cite", f.citation || f.study));
      const what = [f.measure || NOT_REPORTED, f.direction || "direction not reported", f.timepoint ? "at " + f.timepoint : ""].filter(Boolean).join(" · ");
      d.append(el("div", "", what));
      if (f.endpoints) d.append(el("div", "", "connection: " + f.endpoints.map(endpointText).join(" ↔ ")));
      const stat = statisticText(f.statistic);
      if (stat) d.append(el("div", "", stat));
      for (const a of f.associations) {
        d.append(el("div", "", "with " + a.with + " (" + [a.category, a.sign].filter(Boolean).join(", ") + ")" + (a.r !== undefined ? " r = " + a.r : "")));
      }
      d.append(el("div", "anchor", "source: " + f.source_anchor + (f.file ? " · " + f.file : "") + " · " + f.id));
      details.append(d);
    }
  }

  const hover = document.getElementById("hover");
  function showHover(x, y) {
    const v = pickItem(x, y);
    const values = mapValuesAt(x, y).map((m) => m.title + ": " + (m.label || formatNumber(m.value)));
    if (!v && values.length === 0) { hover.hidden = true; return; }
    hover.textContent = [v ? itemTitle(v) : "", ...values].filter(Boolean).join(" · ");
    hover.style.left = x + 14 + "px";
    hover.style.top = y + 10 + "px";
    hover.hidden = false;
  }

  function drawLegend() {
    const legend = document.getElementById("legend");
    legend.replaceChildren();
    const p = panel();
    for (const e of p.legend) {
      const row = el("div");
      const sw = el("span", "swatch");
      sw.style.background = "rgb(" + e.colour.join(",") + ")";
      row.append(sw, document.createTextNode(e.text));
      legend.append(row);
    }
    if (p.colour_bar) {
      const bar = el("div", "bar");
      bar.style.background = "linear-gradient(to right," + p.colour_bar.stops.map((s) => "rgb(" + s.join(",") + ")").join(",") + ")";
      legend.append(el("div", "", p.colour_bar.title), bar,
        el("div", "", p.colour_bar.minimum.toFixed(2) + " … " + p.colour_bar.maximum.toFixed(2)));
    }
    for (const index of panelOverlays()) {
      const o = overlays[index].data;
      if (o.colour_bar) legend.append(overlayBar(index));
      for (const l of o.labels || []) {
        const row = el("div");
        const sw = el("span", "swatch");
        sw.style.background = "rgb(" + l.colour.join(",") + ")";
        row.append(sw, document.createTextNode(l.name));
        legend.append(row);
      }
    }
    if (p.size_legend) legend.append(el("div", "", p.size_legend));
    if (p.note) legend.append(el("div", "", p.note));
    const marks = SIDE_MARKS[state.view];
    legend.append(el("div", "view-sides", state.view.replace("-", " ") + " view" + (marks ? ": " + marks[0] + " on the left, " + marks[1] + " on the right" : "")));
  }

  // ---- filters ------------------------------------------------------------------------
  function filterValues(key) {
    const values = new Set();
    for (const f of findings) values.add(findingValue(f, key));
    return [...values].sort();
  }
  // " — the citation" of a study id, from its findings.
  function studyNote(id) {
    const f = findings.find((x) => x.study === id && x.study_citation);
    return f ? " — " + f.study_citation : "";
  }
  function buildFilters() {
    const box = document.getElementById("filters");
    box.replaceChildren(el("h2", "", "Show"));
    for (const key of FILTER_KEYS) {
      const values = filterValues(key);
      if (values.length === 0) continue;
      // A long list (studies) starts folded; its heading says how many are shown.
      const group = el("details", "filter-group filter");
      group.open = values.length <= 8;
      group.append(el("summary", "", key + " (" + values.length + ")"));
      for (const value of values) {
        const label = el("label");
        const box2 = el("input");
        box2.type = "checkbox";
        box2.dataset.key = key;
        box2.dataset.value = value;
        box2.checked = !state.filters[key] || state.filters[key].has(value);
        box2.addEventListener("change", () => {
          const all = new Set(filterValues(key));
          const on = new Set(state.filters[key] || all);
          if (box2.checked) on.add(value); else on.delete(value);
          if (on.size === all.size) delete state.filters[key]; else state.filters[key] = on;
          redraw();
        });
        if (key === "direction" && COLOURS[value]) {
          const sw = el("span", "swatch");
          sw.style.background = "rgb(" + COLOURS[value].join(",") + ")";
          label.append(box2, sw, document.createTextNode(value));
        } else {
          label.append(box2, document.createTextNode(" " + value + (key === "study" ? studyNote(value) : "")));
        }
        label.title = value + (key === "study" ? studyNote(value) : "");
        group.append(label);
      }
      box.append(group);
    }
  }
  function setFilter(key, values) {
    if (!FILTER_KEYS.includes(key)) throw new Error("unknown filter '" + key + "' (filters: " + FILTER_KEYS.join(", ") + ")");
    if (values === null || values === undefined) delete state.filters[key];
    else state.filters[key] = new Set(values.map(String));
    for (const b of document.querySelectorAll('#filters input[data-key="' + key + '"]')) {
      b.checked = !state.filters[key] || state.filters[key].has(b.dataset.value);
    }
    redraw();
  }

  // ---- search -------------------------------------------------------------------------
  // The key the lexicon matches names by (RegionLexicon::key_of): lower case, `_ - :` and
  // spaces as one space, surrounding ASCII punctuation removed, full-width marks as spaces.
  function keyOf(name) {
    let key = "", space = false;
    for (const c of name) {
      if (c === " " || c === "_" || c === "-" || c === ":" || c === "\t") { space = key.length > 0; continue; }
      if (space) key += " ";
      space = false;
      key += c >= "A" && c <= "Z" ? c.toLowerCase() : c;
    }
    const punct = (c) => /[!-\/:-@\[-`{-~]/.test(c);
    while (key.length && punct(key[key.length - 1]) && key[key.length - 1] !== ")" && key[key.length - 1] !== "*") key = key.slice(0, -1);
    let first = 0;
    while (first < key.length && punct(key[first]) && key[first] !== "(") first++;
    return key.slice(first).replace(/[：－—–]/g, " ").trim();
  }

  function matchesName(v, entry) {
    if (entry.label) return (v.item.atlas_labels || []).includes(entry.label);
    if (!(v.item.region_ids || []).includes(entry.region)) return false;
    return !entry.side || entry.side === "bilateral" || !v.item.side || v.item.side === entry.side;
  }

  // Focuses every visible item a written name stands for, in the first panel (this one
  // first) that draws any; returns what it focused, or null.
  function focus(name) {
    const entry = data.names[keyOf(String(name))];
    const result = document.getElementById("search-result");
    if (!entry) {
      result.textContent = "'" + name + "' is not a region of this figure";
      return null;
    }
    // The current panel first, then the others.
    const start = state.panel;
    const order = [start, ...data.panels.map((_, i) => i).filter((i) => i !== start)];
    for (const p of order) {
      if (p !== state.panel) selectPanel(p, true);
      const hits = visibleItems().filter((v) => matchesName(v, entry));
      if (hits.length) {
        state.focused = hits.map((v) => ({ kind: v.kind, index: v.index }));
        redraw();
        const info = describeAll(hits);
        showDetails(info);
        result.textContent = info.atlas_labels.length ? info.atlas_labels.join(", ") : info.name;
        return info;
      }
    }
    if (state.panel !== start) selectPanel(start, true);
    result.textContent = "'" + name + "' is not drawn under the current filters";
    return null;
  }

  // What the canvas shows, as a PNG data URL: drawn again and read in the same task, before
  // the browser may clear the drawing buffer.
  function canvasPng() {
    nv.drawScene();
    return canvas.toDataURL("image/png");
  }

  // ---- panels as tabs -----------------------------------------------------------------
  function selectPanel(n, quiet) {
    state.panel = n;
    state.focused = [];
    for (const b of document.querySelectorAll("#tabs button")) b.setAttribute("aria-selected", String(Number(b.dataset.panel) === n));
    if (!quiet) showDetails(undefined);
    buildOverlayControls();
    redraw();
  }

  function buildChrome() {
    document.getElementById("title").textContent = data.title || "";
    const tabs = document.getElementById("tabs");
    data.panels.forEach((p, i) => {
      const b = el("button", "", (p.letter ? "(" + p.letter + ") " : "") + (p.title || "Panel " + (i + 1)));
      b.type = "button";
      b.dataset.panel = i;
      b.setAttribute("aria-selected", String(i === 0));
      b.addEventListener("click", () => selectPanel(i));
      tabs.append(b);
    });
    if (data.panels.length < 2) tabs.hidden = true;
    const views = document.getElementById("views");
    for (const name of data.views) {
      const b = el("button", "", name.replace("-", " "));
      b.type = "button";
      b.dataset.view = name;
      b.addEventListener("click", () => setView(name));
      views.append(b);
    }
    document.getElementById("search").addEventListener("keydown", (e) => {
      if (e.key === "Enter") focus(e.target.value);
    });
    document.getElementById("save").addEventListener("click", () => {
      const a = document.createElement("a");
      a.download = (data.title || "foci-figure").replace(/[^\w.-]+/g, "_").slice(0, 80) + ".png";
      a.href = canvasPng();
      a.click();
    });
    // A click that did not drag selects; a drag turns the brain (NiiVue).
    let down = null;
    canvas.addEventListener("pointerdown", (e) => { down = [e.offsetX, e.offsetY]; });
    canvas.addEventListener("pointerup", (e) => {
      if (down && Math.hypot(e.offsetX - down[0], e.offsetY - down[1]) < 4) {
        const v = pickItem(e.offsetX, e.offsetY);
        state.focused = v ? [{ kind: v.kind, index: v.index }] : [];
        redraw();
        showDetails(describe(v));
      }
      down = null;
    });
    let pending = null;
    canvas.addEventListener("pointermove", (e) => {
      if (e.buttons) { hover.hidden = true; return; }
      if (pending) return;
      pending = requestAnimationFrame(() => { pending = null; showHover(e.offsetX, e.offsetY); });
    });
    canvas.addEventListener("pointerleave", () => { hover.hidden = true; });
  }

  // ---- start --------------------------------------------------------------------------
  window.foci = {
    ready: (async function start() {
      buildChrome();
      buildFilters();
      buildOverlayControls();
      try {
        await nv.attachToCanvas(canvas);
      } catch (e) {
        // Said on the page, not only on the console a reader never opens.
        const stage = document.getElementById("stage");
        stage.replaceChildren(el("p", "hint", "This browser cannot draw the figure (it needs WebGL 2): " + e.message));
        throw e;
      }
      overlayShader = nv.setCustomMeshShader(OVERLAY_SHADER_TEXT, "foci-overlay");
      nv.setSliceType(nv.sliceTypeRender);
      nv.opts.show3Dcrosshair = false;
      redraw();
      setView(state.view);
      nv.drawScene();
      // Resolved once the first frame has been drawn and handed to the screen.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return true;
    })(),
    state() {
      return {
        panel: state.panel,
        panel_title: panel().title,
        view: state.view,
        filters: Object.fromEntries(Object.entries(state.filters).map(([k, v]) => [k, [...v].sort()])),
        focused: describeAll(focusedItems()),
        visible: visibleItems().map((v) => ({ kind: v.kind, index: v.index, name: itemTitle(v), colour: v.colour, findings: v.sources.length, coarse: v.kind === "region" && !!v.item.coarse })),
        azimuth: nv.scene.renderAzimuth,
        zoom: nv.scene.volScaleMultiplier,
        elevation: nv.scene.renderElevation,
        overlays: panelOverlays().map((index) => ({
          index,
          title: overlays[index].data.title,
          style: overlays[index].data.style,
          kind: overlays[index].data.kind,
          threshold: state.overlays[index].threshold,
          opacity: state.overlays[index].opacity,
        })),
      };
    },
    focus,
    view: setView,
    setFilter,
    panel(n) { selectPanel(n); },
    pick(x, y) { return describe(pickItem(x, y)); },
    // The values the panel's surface maps show at canvas pixel (x, y), as hovering says.
    mapValues: mapValuesAt,
    // An overlay of the page (index into state().overlays[].index): {threshold, opacity}.
    setOverlay,
    png: canvasPng,
    // Where an MNI point lands on the canvas (CSS pixels), for tests and scripts.
    project(mni) {
      const w = nv.gl.canvas.width, h = nv.gl.canvas.height;
      const ratio = w / canvas.clientWidth;
      const m = nv.calculateMvpMatrix(null, [0, 0, w, h], nv.scene.renderAzimuth, nv.scene.renderElevation)[0];
      const p = [mni[0], mni[1], mni[2], 1], o = [0, 0, 0, 0];
      for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) o[r] += m[c * 4 + r] * p[c];
      return [((o[0] / o[3] + 1) / 2) * w / ratio, ((1 - o[1] / o[3]) / 2) * h / ratio];
    },
  };
})();
