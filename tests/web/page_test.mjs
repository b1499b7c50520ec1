// Drives a page written by `foci web` in Debian's headless Chromium (software GL through
// SwiftShader, the network cut off) and checks what a reader would: the page draws offline,
// a region typed as papers write it is found and its findings listed, filters redraw, left
// stays left, and nothing is fetched.
//
//   node page_test.mjs PAGE.html CHECK [BROWSER]
//
// CHECK is one of the names in `checks` below. Exit 0 when it passes, 1 when it fails, 77
// when the browser or puppeteer-core is missing (the set-up installs both).
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [page_path, check_name, browser_arg] = process.argv.slice(2);
const browser_path = browser_arg || "/usr/bin/chromium-headless-shell";

let puppeteer;
try {
  puppeteer = (await import("puppeteer-core")).default;
} catch {
  console.log("SKIP: puppeteer-core is not installed (run the set-up: npm ci)");
  process.exit(77);
}
if (!existsSync(browser_path)) {
  console.log(`SKIP: no browser at ${browser_path} (the set-up installs chromium-headless-shell)`);
  process.exit(77);
}

function fail(message) {
  throw new Error(message);
}

/// Pixels of the canvas as {width, height, at(x, y) -> [r, g, b]} from a PNG screenshot.
async function canvas_pixels(page) {
  const box = await (await page.$("#gl")).boundingBox();
  // The canvas alone: the legend and the hover label lie over it.
  await page.evaluate(() => { for (const id of ["legend", "hover"]) document.getElementById(id).style.visibility = "hidden"; });
  const png = await page.screenshot({ clip: box, encoding: "base64" });
  await page.evaluate(() => { for (const id of ["legend", "hover"]) document.getElementById(id).style.visibility = ""; });
  return png_pixels(page, "data:image/png;base64," + png);
}

/// Pixels of a PNG data URL, decoded in the page, where an <img> and a 2D canvas read PNGs.
async function png_pixels(page, url) {
  const rgba = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    return { width: img.width, height: img.height, data: Array.from(g.getImageData(0, 0, img.width, img.height).data) };
  }, url);
  return {
    width: rgba.width,
    height: rgba.height,
    at(x, y) {
      const i = (y * rgba.width + x) * 4;
      return [rgba.data[i], rgba.data[i + 1], rgba.data[i + 2]];
    },
  };
}

/// Pixels whose colour is clearly blue (decrease) or clearly red (increase), and their
/// mean x.
function coloured(pixels, which) {
  let n = 0, sum_x = 0;
  for (let y = 0; y < pixels.height; y++) {
    for (let x = 0; x < pixels.width; x++) {
      const [r, g, b] = pixels.at(x, y);
      // Shaded spheres and surfaces are darker than their colour; the glass brain is grey.
      const hit = which === "blue" ? b > 90 && b > r + 50 && b > g + 30 : r > 90 && r > g + 50 && r > b + 50;
      if (hit) n++, sum_x += x;
    }
  }
  return { n, mean_x: n ? sum_x / n : NaN };
}

/// Overlay colours: warm (the red-to-yellow ramp of positive values) and cool (blue to
/// cyan, negative values), each with its pixel count and mean x.
function overlay_colours(pixels) {
  const warm = { n: 0, sum_x: 0, sum_g: 0 }, cool = { n: 0, sum_x: 0, sum_g: 0 };
  for (let y = 0; y < pixels.height; y++) {
    for (let x = 0; x < pixels.width; x++) {
      const [r, g, b] = pixels.at(x, y);
      const hit = r > 120 && r > b + 70 && r >= g ? warm : b > 120 && b > r + 70 ? cool : null;
      if (hit) hit.n++, hit.sum_x += x, hit.sum_g += g;
    }
  }
  // mean_g: how far along its ramp a colour is (red to yellow, blue to cyan).
  for (const c of [warm, cool]) c.mean_x = c.n ? c.sum_x / c.n : NaN, c.mean_g = c.n ? c.sum_g / c.n : NaN;
  return { warm, cool };
}

/// The overlay page with its findings hidden, so what is coloured is the map alone.
async function map_alone(page, view) {
  await page.evaluate((v) => {
    window.foci.setFilter("study", []);
    window.foci.view(v);
  }, view);
  const state = await page.evaluate(() => window.foci.state());
  if (state.visible.length !== 0) fail("findings still drawn: " + JSON.stringify(state.visible));
  if (state.overlays.length !== 1) fail("the page should draw one overlay: " + JSON.stringify(state.overlays));
  return overlay_colours(await canvas_pixels(page));
}

/// Moves a slider of the first overlay as a reader would: its value set and an input event.
async function move_slider(page, setting, where) {
  await page.evaluate(([s, w]) => {
    const input = document.querySelector(`#overlays input[data-overlay="0"][data-setting="${s}"]`);
    if (!input) throw new Error("no " + s + " slider");
    input.value = w === "max" ? input.max : w === "min" ? input.min : String(w);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, [setting, where]);
}

const checks = {
  // The page draws its first frame from the file alone.
  async ReadyOffline(page) {
    const state = await page.evaluate(() => window.foci.state());
    if (state.visible.length === 0) fail("nothing is drawn");
    const pixels = await canvas_pixels(page);
    if (coloured(pixels, "red").n === 0) fail("no red finding on the canvas");
    // What "Save PNG" saves is the picture, not an empty buffer.
    const saved = coloured(await png_pixels(page, await page.evaluate(() => window.foci.png())), "red");
    if (saved.n === 0) fail("the saved PNG shows no red finding");
    // Drag turns the brain, the wheel zooms, a view button puts it back.
    const box = await (await page.$("#gl")).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 5 });
    await page.mouse.up();
    await page.mouse.wheel({ deltaY: -200 });
    const turned = await page.evaluate(() => window.foci.state());
    if (turned.azimuth === state.azimuth && turned.elevation === state.elevation) fail("a drag did not turn the brain");
    if (turned.zoom === state.zoom) fail("the wheel did not zoom");
    await page.click('#views button[data-view="dorsal"]');
    const back = await page.evaluate(() => window.foci.state());
    if (back.view !== "dorsal" || back.azimuth !== 0 || back.elevation !== 90) fail("the dorsal button: " + JSON.stringify([back.view, back.azimuth, back.elevation]));
  },

  // Chinese as papers write it selects the atlas label, and the panel lists the findings
  // with their source anchors.
  async FocusChineseNameListsFindings(page) {
    const info = await page.evaluate(() => window.foci.focus("右侧海马"));
    if (!info) fail("右侧海马 was not found");
    if (!info.atlas_labels.includes("Hippocampus_R")) fail(`focused ${info.name}, not Hippocampus_R`);
    const state = await page.evaluate(() => window.foci.state());
    if (!state.focused || !state.focused.atlas_labels.includes("Hippocampus_R")) fail("state() does not report the focus");
    const panel = await page.$eval("#details", (e) => e.textContent);
    if (!panel.includes("Hippocampus_R")) fail("the side panel does not name Hippocampus_R: " + panel);
    if (!panel.includes("Table 1, row 3")) fail("the side panel does not give the source anchor: " + panel);
    if (!panel.includes("Lee B, et al.")) fail("the side panel does not cite the study: " + panel);
    // Typed into the search box, the same.
    await page.evaluate(() => window.foci.focus("Hippocampus_R"));
    await page.type("#search", "hippocampus (right)");
    await page.keyboard.press("Enter");
    const result = await page.$eval("#search-result", (e) => e.textContent);
    if (!result.includes("Hippocampus_R")) fail("the search box did not find 'hippocampus (right)': " + result);
    // Both sides: both surfaces selected, the findings of each listed.
    const both = await page.evaluate(() => window.foci.focus("双侧海马"));
    if (!both || JSON.stringify([...both.atlas_labels].sort()) !== JSON.stringify(["Hippocampus_L", "Hippocampus_R"])) {
      fail("双侧海马 selected " + JSON.stringify(both && both.atlas_labels));
    }
    const anchors = both.findings.map((f) => f.source_anchor).sort();
    if (JSON.stringify(anchors) !== JSON.stringify(["Table 1, row 3", "Table 1, row 7"])) fail("双侧海马 lists " + JSON.stringify(anchors));
  },

  // Unticking "decrease" redraws at once with no blue item left, in the state and on screen.
  async DecreaseOffLeavesNoBlue(page) {
    await page.evaluate(() => window.foci.view("dorsal"));
    const before = coloured(await canvas_pixels(page), "blue");
    if (before.n === 0) fail("the test figure should draw blue before the filter");
    await page.click('#filters input[data-key="direction"][data-value="decrease"]');
    const state = await page.evaluate(() => window.foci.state());
    if (JSON.stringify(state.filters.direction) !== JSON.stringify(["increase"])) {
      fail("filter state: " + JSON.stringify(state.filters));
    }
    const blue = state.visible.filter((v) => v.colour[2] > v.colour[0] + 60);
    if (blue.length) fail("blue items still listed: " + JSON.stringify(blue));
    const after = coloured(await canvas_pixels(page), "blue");
    if (after.n !== 0) fail(`${after.n} blue pixels remain (were ${before.n})`);
  },

  // In a dorsal view the left-hemisphere marker is on the left of the image.
  async DorsalViewHasLeftMarkerOnLeft(page) {
    await page.evaluate(() => {
      window.foci.setFilter("measure", ["ReHo"]);
      window.foci.setFilter("direction", ["increase"]);
      window.foci.view("dorsal");
    });
    const state = await page.evaluate(() => window.foci.state());
    if (state.visible.length !== 1) fail("expected the left marker alone: " + JSON.stringify(state.visible));
    const pixels = await canvas_pixels(page);
    const red = coloured(pixels, "red");
    if (red.n < 20) fail("the marker is not drawn");
    if (!(red.mean_x < pixels.width * 0.45)) fail(`marker at x=${red.mean_x} of ${pixels.width}: not on the left`);
    // And a click there lists it.
    const at = await page.evaluate(() => window.foci.project([-45, -20, 40]));
    const picked = await page.evaluate(([x, y]) => window.foci.pick(x, y), at);
    if (!picked || picked.findings[0].id !== "left-marker") fail("pick at the marker: " + JSON.stringify(picked));
    // A reader's click there opens it in the side panel.
    const box = await (await page.$("#gl")).boundingBox();
    await page.mouse.click(box.x + at[0], box.y + at[1]);
    const panel = await page.$eval("#details", (e) => e.textContent);
    if (!panel.includes("Table 2, row 1") || !panel.includes("t = 5.2")) fail("a click on the marker lists: " + panel);
    // Posterior too; anterior mirrors it.
    await page.evaluate(() => window.foci.view("anterior"));
    const anterior = coloured(await canvas_pixels(page), "red");
    if (!(anterior.mean_x > pixels.width * 0.55)) fail(`anterior view: marker at x=${anterior.mean_x}, expected on the right`);
  },

  // A lateral view draws the near hemisphere's findings only (the far side's would show
  // through the glass). The ReHo markers: the left one red (increase), the right one blue;
  // the hippocampi: the right red, the left blue.
  async LateralViewsDrawOnlyTheNearHemisphere(page) {
    const listed = (state) => JSON.stringify(state.visible.map((v) => [v.kind, v.name, v.colour]));
    const isRed = (v) => v.colour[0] > v.colour[2] + 60, isBlue = (v) => v.colour[2] > v.colour[0] + 60;
    await page.evaluate(() => {
      window.foci.setFilter("measure", ["ReHo"]);
      window.foci.view("left");
    });
    let state = await page.evaluate(() => window.foci.state());
    if (state.visible.length !== 1 || !isRed(state.visible[0])) fail("left view, ReHo: " + listed(state));
    let pixels = await canvas_pixels(page);
    if (coloured(pixels, "red").n < 20) fail("left view: the left marker is not drawn");
    const blue = coloured(pixels, "blue").n;
    if (blue !== 0) fail(`left view: ${blue} blue pixels of the right marker`);
    await page.evaluate(() => window.foci.view("right"));
    state = await page.evaluate(() => window.foci.state());
    if (state.visible.length !== 1 || !isBlue(state.visible[0])) fail("right view, ReHo: " + listed(state));
    pixels = await canvas_pixels(page);
    if (coloured(pixels, "blue").n < 20) fail("right view: the right marker is not drawn");
    const red = coloured(pixels, "red").n;
    if (red !== 0) fail(`right view: ${red} red pixels of the left marker`);
    // Regions by their side: the left view has the left hippocampus alone.
    await page.evaluate(() => {
      window.foci.setFilter("measure", ["grey-matter volume"]);
      window.foci.view("left");
    });
    state = await page.evaluate(() => window.foci.state());
    if (state.visible.length !== 1 || state.visible[0].kind !== "region" || !isBlue(state.visible[0])) {
      fail("left view, grey matter: " + listed(state));
    }
    // Views that show both hemispheres draw both.
    await page.evaluate(() => window.foci.view("dorsal"));
    state = await page.evaluate(() => window.foci.state());
    if (state.visible.length !== 2) fail("dorsal view, grey matter: " + listed(state));
  },

  // The map's +5 ball in the left parietal lobe is warm on the left of a dorsal and a
  // posterior view, its -3 mirror cool on the right.
  async OverlayWarmLeftCoolRight(page) {
    for (const view of ["dorsal", "posterior"]) {
      const { warm, cool } = await map_alone(page, view);
      const width = (await (await page.$("#gl")).boundingBox()).width;
      if (warm.n < 30 || cool.n < 30) fail(`${view}: ${warm.n} warm and ${cool.n} cool pixels`);
      if (!(warm.mean_x < width / 2)) fail(`${view}: warm at x=${warm.mean_x} of ${width}, not on the left`);
      if (!(cool.mean_x > width / 2)) fail(`${view}: cool at x=${cool.mean_x} of ${width}, not on the right`);
    }
  },

  // The threshold slider hides what falls below it at once: at 4 the -3 ball goes and the
  // +5 stays, past the largest value nothing is left; state() follows.
  async OverlayThresholdSlider(page) {
    const before = await map_alone(page, "dorsal");
    if (before.warm.n < 30 || before.cool.n < 30) fail("the map is not drawn before the slider moves");
    await move_slider(page, "threshold", 4);
    let state = await page.evaluate(() => window.foci.state());
    if (Math.abs(state.overlays[0].threshold - 4) > 0.06) fail("state() threshold: " + JSON.stringify(state.overlays));
    const at4 = overlay_colours(await canvas_pixels(page));
    if (at4.cool.n !== 0) fail(`${at4.cool.n} cool pixels at threshold 4 (the negative ball is -3)`);
    if (at4.warm.n < 30) fail("the +5 ball went at threshold 4");
    // The colours keep their meaning: the +5 ball is the colour it was at threshold 1.
    if (Math.abs(at4.warm.mean_g - before.warm.mean_g) > 12) fail(`the warm colour changed with the threshold: green ${before.warm.mean_g} -> ${at4.warm.mean_g}`);
    await move_slider(page, "threshold", "max");
    state = await page.evaluate(() => window.foci.state());
    if (!(state.overlays[0].threshold > 5)) fail("the slider's end is not past the largest value: " + JSON.stringify(state.overlays));
    const above = overlay_colours(await canvas_pixels(page));
    if (above.warm.n + above.cool.n !== 0) fail(`${above.warm.n + above.cool.n} overlay pixels above the largest value`);
    // And back down, through the scripting call.
    await page.evaluate(() => window.foci.setOverlay(0, { threshold: 1 }));
    const again = overlay_colours(await canvas_pixels(page));
    if (again.warm.n < 30 || again.cool.n < 30) fail("the map did not come back at threshold 1");
  },

  // Opacity 0 leaves no overlay colour; state() reports it.
  async OverlayOpacityZeroLeavesNone(page) {
    const before = await map_alone(page, "dorsal");
    if (before.warm.n < 30) fail("the map is not drawn before the slider moves");
    await move_slider(page, "opacity", "min");
    const state = await page.evaluate(() => window.foci.state());
    if (state.overlays[0].opacity !== 0) fail("state() opacity: " + JSON.stringify(state.overlays));
    const after = overlay_colours(await canvas_pixels(page));
    if (after.warm.n + after.cool.n !== 0) fail(`${after.warm.n + after.cool.n} overlay pixels at opacity 0`);
    await page.evaluate(() => window.foci.setOverlay(0, { opacity: 0.5 }));
    const half = overlay_colours(await canvas_pixels(page));
    if (half.warm.n === 0) fail("nothing drawn at opacity 0.5");
  },

  // The legend names the map, marks its threshold on both sides of the bar, and follows
  // the slider.
  async OverlayColourBar(page) {
    const state = await page.evaluate(() => window.foci.state());
    if (state.overlays[0].title !== "ball" || state.overlays[0].threshold !== 1 || state.overlays[0].opacity !== 1) {
      fail("state() overlays: " + JSON.stringify(state.overlays));
    }
    const bar = () => page.evaluate(() => {
      const b = document.querySelector("#legend .overlay-bar");
      return b && { text: b.textContent, marks: [...b.querySelectorAll(".mark")].map((m) => parseFloat(m.style.left)) };
    });
    const at1 = await bar();
    if (!at1 || !at1.text.includes("ball")) fail("no colour bar naming the map: " + JSON.stringify(at1));
    // A signed map's bar runs -5..5: the marks at -1 and 1 are at 40 % and 60 %.
    const sorted = [...at1.marks].sort((a, b) => a - b);
    if (sorted.length !== 2 || Math.abs(sorted[0] - 40) > 0.5 || Math.abs(sorted[1] - 60) > 0.5) fail("threshold marks at " + JSON.stringify(at1.marks));
    await page.evaluate(() => window.foci.setOverlay(0, { threshold: 2.5 }));
    const at25 = (await bar()).marks.sort((a, b) => a - b);
    if (Math.abs(at25[0] - 25) > 0.5 || Math.abs(at25[1] - 75) > 0.5) fail("marks at threshold 2.5: " + JSON.stringify(at25));
  },

  // Hovering over the map says its value there: +5 above the left ball, -3 above the right
  // one, nothing once the threshold hides it.
  async OverlayHoverSaysTheValue(page) {
    await map_alone(page, "dorsal");
    const left = await page.evaluate(() => window.foci.project([-35, -65, 50]));
    const right = await page.evaluate(() => window.foci.project([35, -65, 50]));
    const values = (at) => page.evaluate(([x, y]) => window.foci.mapValues(x, y), at);
    const l = await values(left), r = await values(right);
    if (l.length !== 1 || l[0].title !== "ball" || l[0].value !== 5) fail("values above the left ball: " + JSON.stringify(l));
    if (r.length !== 1 || r[0].value !== -3) fail("values above the right ball: " + JSON.stringify(r));
    const box = await (await page.$("#gl")).boundingBox();
    await page.mouse.move(box.x + left[0], box.y + left[1]);
    await page.waitForFunction(() => !document.getElementById("hover").hidden, { timeout: 10000 });
    const text = await page.$eval("#hover", (e) => e.textContent);
    if (!text.includes("ball: 5")) fail("hover says: " + text);
    await page.evaluate(() => window.foci.setOverlay(0, { threshold: 4 }));
    const hidden = await values(right);
    if (hidden.length !== 0) fail("a value below the threshold is still named: " + JSON.stringify(hidden));
  },

  // The selection of Hippocampus_R names the hippocampus, not "cerebral hemisphere" whose
  // finding also lies on it, and still lists both findings.
  async SelectionNamesOnlyTheRegion(page) {
    const info = await page.evaluate(() => window.foci.focus("右侧海马"));
    if (!info || !info.atlas_labels.includes("Hippocampus_R")) fail("右侧海马 selected " + JSON.stringify(info && info.atlas_labels));
    const state = await page.evaluate(() => window.foci.state());
    const names = state.focused.names;
    if (!names.includes("hippocampus")) fail("the selection does not name the hippocampus: " + names);
    if (names.includes("cerebral hemisphere") || names.includes("大脑半球")) fail("the selection names the hemisphere: " + names);
    const header = await page.$eval("#details .item-name", (e) => e.textContent);
    if (header.includes("cerebral hemisphere")) fail("the side panel's header: " + header);
    const anchors = state.focused.findings.map((f) => f.source_anchor).sort();
    // The hemisphere's finding is its own item, a tint beneath (a coarse region).
    if (JSON.stringify(anchors) !== JSON.stringify(["Table 1, row 3"])) fail("findings listed: " + JSON.stringify(anchors));
    const coarse = state.visible.filter((v) => v.kind === "region" && v.coarse);
    if (coarse.length !== 1) fail("the hemisphere is not one coarse region: " + JSON.stringify(coarse.map((v) => v.name)));
  },

  // Every check above runs with requests recorded; this one also turns every view.
  async NoNetworkRequest(page) {
    for (const view of ["left", "right", "dorsal", "ventral", "anterior", "posterior", "medial-left", "medial-right"]) {
      await page.evaluate((v) => window.foci.view(v), view);
    }
    await page.evaluate(() => window.foci.focus("左侧海马"));
  },
};

async function main() {
  const check = checks[check_name];
  if (!page_path || !check) {
    console.error(`usage: node page_test.mjs PAGE.html CHECK (checks: ${Object.keys(checks).join(", ")})`);
    process.exit(2);
  }
  const browser = await puppeteer.launch({
    executablePath: browser_path,
    headless: "shell",
    args: [
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
      "--no-sandbox",
      // Nothing may leave the machine: no proxy answers here.
      "--proxy-server=127.0.0.1:9",
      "--proxy-bypass-list=<-loopback>",
    ],
  });
  const requests = [];
  const errors = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 700 });
    await page.setOfflineMode(true);
    await page.setRequestInterception(true);
    const page_url = pathToFileURL(page_path).href;
    page.on("request", (request) => {
      const url = request.url();
      if (url !== page_url && !url.startsWith("data:") && !url.startsWith("blob:")) {
        requests.push(url);
        request.abort();
      } else {
        request.continue();
      }
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(page_url, { waitUntil: "load" });
    await page.evaluate(() => window.foci.ready);
    await check(page);
    if (errors.length) fail("page errors: " + errors.join("; "));
    if (requests.length) fail("the page requested: " + requests.join(", "));
    console.log(`${check_name}: 1 passed, 0 failed`);
  } catch (e) {
    console.log(`${check_name}: FAILED: ${e.message}`);
    if (requests.length) console.log("requests: " + requests.join(", "));
    console.log(`${check_name}: 0 passed, 1 failed`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
