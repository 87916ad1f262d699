/**
 * The site in a real browser: a quick build in a temporary directory, every
 * page loaded from `file://` in headless Chromium (driven over the DevTools
 * protocol with Deno's own WebSocket), in light and dark mode. Each Plotly
 * figure must be drawn, nothing may be fetched from the network, and the page
 * must log no error. One screenshot per page and theme is kept in
 * `tests/artifacts/` (git-ignored) for a human to look at.
 *
 * Skipped, with a message, when `/usr/bin/chromium` is missing (CI installs it).
 *
 * @module
 */

import assert from "node:assert/strict";
import { bibliography, chapters, index, playground } from "../chapters/mod.ts";
import { buildSite, QUICK } from "../lib/site/build.ts";
import { diskFs } from "../lib/site/fs.ts";
import {
  ARTIFACTS,
  CHROMIUM,
  evaluate,
  haveChromium,
  launch,
  load,
  screenshot,
  waitForFigures,
} from "./_browser.ts";
import { fakeTrainer } from "./_fake_trainer.ts";
import { waitFor } from "./_wait_for.ts";

if (!haveChromium) {
  console.warn(`browser_test: skipped, ${CHROMIUM} not found (apt-get install chromium)`);
}

Deno.test({
  name: "site: every page of a quick build draws its figures in Chromium, light and dark",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "lr-book-site-" });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const report = await buildSite({
      out: diskFs(dir),
      chapters,
      index,
      playground,
      bibliography,
      quick: QUICK,
      quiet: true,
      // Made-up training: real quick-mode training is the chapters test's; here the pages are.
      trainer: fakeTrainer(),
    });
    assert(report.ok, JSON.stringify(report.pages.filter((p) => p.status === "failed")));
    const pages = report.pages.map((p) => p.path);
    const browser = await launch();
    try {
      for (const path of pages) {
        const url = new URL(path, `file://${dir}/`).href;
        const name = path.replace(/\.html$/, "");
        await t.step(path, async () => {
          for (const scheme of ["light", "dark"] as const) {
            const { page, check } = await load(browser.cdp, url, scheme);
            try {
              assert.equal(check.theme, scheme, `${path}: theme follows prefers-color-scheme`);
              assert.match(check.title, /Learning-Rate Scheduling/);
              assert.equal(check.drawn, check.figures, `${path} (${scheme}): every figure drawn`);
              assert.deepEqual(check.errors, [], `${path} (${scheme}): no errors logged`);
              const offline = check.requests.filter((u) => !/^(file|data|blob|about):/.test(u));
              assert.deepEqual(offline, [], `${path}: only local files are requested`);
              await screenshot(
                browser.cdp,
                page.sessionId,
                new URL(`${name}-${scheme}.png`, ARTIFACTS),
              );
            } finally {
              await page.close();
            }
          }
        });
      }

      // The toggle switches the theme, remembers it, and re-themes the figures.
      const chapter = report.pages.find((p) => (p.figures ?? 0) > 0);
      if (chapter) {
        await t.step(`theme toggle on ${chapter.path}`, async () => {
          const url = new URL(chapter.path, `file://${dir}/`).href;
          const { page, check } = await load(browser.cdp, url, "light");
          try {
            // Hovering over a figure shows its values.
            const point = await evaluate(
              browser.cdp,
              page.sessionId,
              `(() => {
                document.querySelector("figure .plot").scrollIntoView({ block: "center" });
                const r = document.querySelector("figure .plot .nsewdrag").getBoundingClientRect();
                return { x: r.left + r.width * 0.5, y: r.top + r.height * 0.5 };
              })()`,
            );
            for (const dx of [0, 1]) {
              await browser.cdp.send("Input.dispatchMouseEvent", {
                type: "mouseMoved",
                x: point.x + dx,
                y: point.y,
              }, page.sessionId);
            }
            await waitFor(
              () =>
                evaluate(
                  browser.cdp,
                  page.sessionId,
                  `document.querySelector("figure .plot .hoverlayer").textContent`,
                ),
              (hover: string) => /\d\.\d/.test(hover),
              { what: "the hover label to show the values" },
            );
            const legendColor =
              `getComputedStyle(document.querySelector("figure .plot .legendtext")).fill`;
            const before = await evaluate(browser.cdp, page.sessionId, legendColor);
            await evaluate(
              browser.cdp,
              page.sessionId,
              `document.querySelector(".theme-toggle").click()`,
            );
            const after = await waitFor(
              () =>
                evaluate(
                  browser.cdp,
                  page.sessionId,
                  `({
                    theme: document.documentElement.dataset.theme,
                    stored: localStorage.getItem("lr-book-theme"),
                    legend: ${legendColor},
                  })`,
                ),
              (after) => after.theme === "dark" && after.legend !== before,
              { what: "the dark theme, with the figures redrawn in it" },
            );
            assert.equal(after.stored, "dark");
            // A reload keeps the choice, even though the system says light.
            const reloaded = browser.cdp.once("Page.loadEventFired", page.sessionId);
            await browser.cdp.send("Page.reload", {}, page.sessionId);
            await reloaded;
            const state = await waitForFigures(browser.cdp, page.sessionId);
            assert.equal(state.theme, "dark");
            assert.equal(state.drawn, check.figures);
            await evaluate(browser.cdp, page.sessionId, `localStorage.removeItem("lr-book-theme")`);
            assert.deepEqual(page.errors, []);
          } finally {
            await page.close();
          }
        });

        await t.step("phone-sized screenshots", async () => {
          for (const path of ["index.html", chapter.path]) {
            const url = new URL(path, `file://${dir}/`).href;
            const { page, check } = await load(browser.cdp, url, "light", {
              width: 390,
              height: 844,
              mobile: true,
            });
            try {
              assert.equal(check.drawn, check.figures);
              assert.deepEqual(check.errors, []);
              const overflow = await evaluate(
                browser.cdp,
                page.sessionId,
                `document.documentElement.scrollWidth - document.documentElement.clientWidth`,
              );
              assert(overflow <= 1, `${path}: no sideways scrolling on a phone (${overflow}px)`);
              await screenshot(
                browser.cdp,
                page.sessionId,
                new URL(`phone-${path.replace(/\.html$/, "")}.png`, ARTIFACTS),
                6_000,
              );
            } finally {
              await page.close();
            }
          }
        });
      }
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
