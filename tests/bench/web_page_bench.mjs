// How big a page of `foci web` is and how long it takes to show its first frame in Debian's
// headless Chromium with software GL (SwiftShader), the network cut off. A measurement, not
// a test. Optionally saves a screenshot of the page as a reader sees it.
//
//   node tests/bench/web_page_bench.mjs PAGE.html [--runs N] [--screenshot OUT.png]
//        [--view NAME] [--focus NAME] [--size WxH] [--browser PATH]
//
// Prints one JSON line: bytes, and per run the milliseconds from navigation start to
// window.foci.ready (the first frame drawn), with their median.
import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const args = process.argv.slice(2);
const page_path = args[0];
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option("--runs", "3"));
const screenshot = option("--screenshot", "");
const view = option("--view", "");
const focus = option("--focus", "");
const [width, height] = option("--size", "1280x800").split("x").map(Number);
const browser_path = option("--browser", "/usr/bin/chromium-headless-shell");

const browser = await puppeteer.launch({
  executablePath: browser_path,
  headless: "shell",
  args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox",
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"],
});
const times = [];
try {
  for (let run = 0; run < runs; run++) {
    const page = await browser.newPage();
    await page.setViewport({ width, height });
    await page.setOfflineMode(true);
    await page.goto(pathToFileURL(page_path).href, { waitUntil: "domcontentloaded", timeout: 120000 });
    const ms = await page.evaluate(async () => {
      await window.foci.ready;
      return performance.now();
    });
    times.push(Math.round(ms));
    if (run === runs - 1 && screenshot) {
      if (view) await page.evaluate((v) => window.foci.view(v), view);
      if (focus) await page.evaluate((f) => window.foci.focus(f), focus);
      await page.screenshot({ path: screenshot });
    }
    await page.close();
  }
} finally {
  await browser.close();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({
  page: page_path,
  bytes: statSync(page_path).size,
  first_frame_ms: times,
  median_ms: sorted[Math.floor(sorted.length / 2)],
}));
