/**
 * The site checked as a reader would meet it, in headless Chromium from `file://`: every page of
 * the book (built in a temporary directory with the fake trainer, so no training runs), at a
 * desktop width (1280 px) and a phone's (390 px), light and dark.
 *
 * - axe-core (npm) reports no serious or critical violation;
 * - on a phone no page scrolls sideways;
 * - at 1280 px no table is clipped without a scroll cue: a table wider than its column scrolls
 *   inside a focusable region that shows a cue;
 * - the closed phone menu's links cannot be reached with the Tab key, and no figure's toolbar can.
 *
 * Search finds a chapter by a word of its prose, from `file://`; printed, and with scripts off,
 * every figure is a static image.
 *
 * Screenshots of every page, and of the search, print and no-script views, are kept in
 * `tests/artifacts/a11y/` (git-ignored) for a human to look at. Skipped, with a message, when `/usr/bin/chromium` is missing.
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
  openPage,
  screenshot,
} from "./_browser.ts";
import { fakeTrainer } from "./_fake_trainer.ts";
import { waitFor } from "./_wait_for.ts";

if (!haveChromium) {
  console.warn(`a11y_test: skipped, ${CHROMIUM} not found (apt-get install chromium)`);
}

const AXE = new URL(import.meta.resolve("axe-core")).pathname.replace(/axe\.js$/, "axe.min.js");

/** The violations axe-core finds that are serious or critical, one line each. */
const AXE_RUN = `axe.run(document, { resultTypes: ["violations"] }).then((r) =>
  r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").flatMap((v) =>
    v.nodes.slice(0, 3).map((n) => v.id + " (" + v.impact + "): " + n.target.join(" ") + ": " +
      n.failureSummary.replace(/\\s+/g, " ").slice(0, 200))))`;

/** Tables wider than their column, and whether each says so: a cue, and focus to scroll it. */
const CLIPPED_TABLES = `[...document.querySelectorAll(".table-wrap")]
  .filter((w) => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)
  .map((w) => {
    const box = w.closest(".table-box");
    const hint = box?.querySelector(".scroll-hint");
    return {
      table: (box?.querySelector(".table-caption")?.textContent ?? w.textContent).slice(0, 60),
      cue: w.classList.contains("scrolls") && hint !== null && hint !== undefined &&
        getComputedStyle(hint).display !== "none",
      focusable: w.tabIndex === 0,
    };
  })`;

/** What the Tab key could reach that a reader cannot see or should not stop at. */
const HIDDEN_TAB_STOPS =
  `[...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
  .filter((e) => e.tabIndex >= 0 && !e.disabled)
  .filter((e) => {
    if (e.closest(".modebar")) return true;
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    // Not rendered (in a list that is display: none, say) or hidden: the Tab key skips it.
    if (e.getClientRects().length === 0 || style.visibility === "hidden") return false;
    return e.closest(".sidebar") !== null && r.right <= 0;
  })
  .map((e) => e.outerHTML.slice(0, 80))`;

/** Take every view's screenshot (into tests/artifacts/a11y/), not only those of failures. */
const SCREENSHOTS = Deno.env.get("LR_SCREENSHOTS") === "1";

Deno.test({
  name: "site: axe-core, phone width and wide tables, on every page in Chromium",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "lr-book-a11y-" });
    const shots = new URL("a11y/", ARTIFACTS);
    await Deno.mkdir(shots, { recursive: true });
    const report = await buildSite({
      out: diskFs(dir),
      chapters,
      index,
      playground,
      bibliography,
      quick: QUICK,
      quiet: true,
      trainer: fakeTrainer(),
    });
    assert(report.ok, JSON.stringify(report.pages.filter((p) => p.status === "failed")));
    const axe = await Deno.readTextFile(AXE);
    const browser = await launch();
    const viewports = {
      wide: { width: 1280, height: 900, mobile: false },
      phone: { width: 390, height: 844, mobile: true },
    };
    try {
      for (const { path } of report.pages) {
        await t.step(path, async () => {
          const problems: string[] = [];
          for (const scheme of ["light", "dark"] as const) {
            for (const [name, viewport] of Object.entries(viewports)) {
              const where = `${path} (${scheme}, ${viewport.width} px)`;
              const url = new URL(path, `file://${dir}/`).href;
              const { page, check } = await load(browser.cdp, url, scheme, viewport);
              try {
                const js = (expression: string) =>
                  evaluate(browser.cdp, page.sessionId, expression);
                assert.deepEqual(check.errors, [], `${where}: no errors logged`);
                await js(`${axe}\n;0`);
                for (const v of await js(AXE_RUN)) problems.push(`${where}: axe: ${v}`);
                if (name === "phone") {
                  const overflow = await js(
                    `document.documentElement.scrollWidth - document.documentElement.clientWidth`,
                  );
                  if (overflow > 1) problems.push(`${where}: scrolls sideways by ${overflow} px`);
                } else {
                  for (const table of await js(CLIPPED_TABLES)) {
                    if (!table.cue || !table.focusable) {
                      problems.push(
                        `${where}: a clipped table without a cue: ${JSON.stringify(table)}`,
                      );
                    }
                  }
                }
                for (const stop of await js(HIDDEN_TAB_STOPS)) {
                  problems.push(`${where}: a hidden tab stop: ${stop}`);
                }
                // Screenshots are for people to look at, and slow: taken when asked for
                // (LR_SCREENSHOTS=1) or when this view has a problem.
                if (SCREENSHOTS || problems.some((p) => p.startsWith(where))) {
                  await screenshot(
                    browser.cdp,
                    page.sessionId,
                    new URL(`${path.replace(/\.html$/, "")}-${name}-${scheme}.png`, shots),
                    name === "phone" ? 5_000 : 9_000,
                  );
                }
              } finally {
                await page.close();
              }
            }
          }
          assert.deepEqual(problems, [], problems.join("\n"));
        });
      }

      await t.step("search finds a chapter by a word in its prose, from file://", async () => {
        const url = new URL("index.html", `file://${dir}/`).href;
        const { page, check } = await load(browser.cdp, url, "light");
        try {
          const js = (expression: string) => evaluate(browser.cdp, page.sessionId, expression);
          // The shortcut opens the search; the index is loaded then (a script: no fetch).
          await browser.cdp.send("Input.dispatchKeyEvent", {
            type: "keyDown",
            key: "/",
            text: "/",
            code: "Slash",
            windowsVirtualKeyCode: 191,
          }, page.sessionId);
          await waitFor(
            () => js(`document.querySelector(".search-dialog").open`),
            (open: boolean) => open,
            {
              what: "the search dialog to open on '/'",
            },
          );
          // "perplexing" is a word of the cosine chapter's prose (and of no heading).
          await browser.cdp.send("Input.insertText", { text: "perplexing" }, page.sessionId);
          const hits: string[] = await waitFor(
            () =>
              js(
                `[...document.querySelectorAll("#search-results a")].map((a) => a.getAttribute("href"))`,
              ),
            (h: string[]) => h.length > 0,
            { what: "search results" },
          );
          assert(hits.some((h) => h.startsWith("cosine.html")), hits.join(", "));
          assert.deepEqual(check.errors, []);
          await screenshot(browser.cdp, page.sessionId, new URL("search.png", shots), 900);
        } finally {
          await page.close();
        }
      });

      await t.step("in print and without JavaScript, figures are static images", async () => {
        const url = new URL("cosine.html", `file://${dir}/`).href;
        const FIGURES = `[...document.querySelectorAll("figure")].map((f) => ({
          plot: getComputedStyle(f.querySelector(".plot")).display,
          image: f.querySelector(".plot-static").getBoundingClientRect().height,
        }))`;
        // Printed (read in the dark theme: paper gets the light one).
        const { page } = await load(browser.cdp, url, "dark");
        try {
          await evaluate(browser.cdp, page.sessionId, `dispatchEvent(new Event("beforeprint"))`);
          await browser.cdp.send("Emulation.setEmulatedMedia", { media: "print" }, page.sessionId);
          const figures = await evaluate(browser.cdp, page.sessionId, FIGURES);
          assert(
            figures.length > 0 &&
              figures.every((f: { plot: string; image: number }) =>
                f.plot === "none" && f.image > 100
              ),
            JSON.stringify(figures),
          );
          assert.equal(
            await evaluate(browser.cdp, page.sessionId, `document.documentElement.dataset.theme`),
            "light",
          );
          await screenshot(browser.cdp, page.sessionId, new URL("cosine-print.png", shots), 6_000);
        } finally {
          await page.close();
        }
        // Scripts off.
        const tab = await openPage(browser.cdp, 1280, 900, false);
        try {
          await browser.cdp.send(
            "Emulation.setScriptExecutionDisabled",
            { value: true },
            tab.sessionId,
          );
          await browser.cdp.send("Page.navigate", { url }, tab.sessionId);
          await waitFor(
            () =>
              evaluate(
                browser.cdp,
                tab.sessionId,
                `({ href: location.href, state: document.readyState })`,
              ),
            (d: { href: string; state: string }) => d.href === url && d.state === "complete",
            { what: "the page to load without scripts" },
          );
          const figures = await evaluate(browser.cdp, tab.sessionId, FIGURES);
          assert(
            figures.length > 0 &&
              figures.every((f: { plot: string; image: number }) =>
                f.plot === "none" && f.image > 100
              ),
            JSON.stringify(figures),
          );
          await screenshot(
            browser.cdp,
            tab.sessionId,
            new URL("cosine-noscript.png", shots),
            3_000,
          );
        } finally {
          await tab.close();
        }
      });
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
