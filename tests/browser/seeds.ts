/**
 * A group over seeds in a real browser: a one-chapter site whose cell trains
 * two made-up schedules over five seeds, loaded from `file://` in the headless
 * Chromium of `_site.ts`. The group's figure must draw its band as a filled
 * SVG path in each panel, keep every seed's curve hidden until its legend
 * entry is clicked (and draw it then), and list every seed's value in the
 * hover. Every wait is on a condition with a deadline, never on a fixed delay.
 * With `LR_SCREENSHOTS=1`, screenshots of the figure, with its hover open and
 * after the click, are kept in `tests/artifacts/runs-hover.png` and
 * `runs-figure.png` (git-ignored).
 *
 * Skipped, with a message, when `/usr/bin/chromium` is missing (CI installs it).
 *
 * @module
 */

import assert from "node:assert/strict";
import { index, playground } from "../../chapters/mod.ts";
import { fakeTrainer } from "../../lib/book/_testing.ts";
import { type CellContext, type Chapter, code, type Output } from "../../lib/book/types.ts";
import { ARTIFACTS, type Cdp, evaluate, load, SCREENSHOTS } from "../_browser.ts";
import { browserTest, buildOnDisk, chromium } from "../_site.ts";
import { waitFor } from "../_wait_for.ts";

// #region seeds
/** A schedule over five seeds, and the constant rate over the same seeds to compare with. */
async function seeds(ctx: CellContext): Promise<Output[]> {
  const decay = await ctx.trainSeeds({
    name: "decay",
    schedule: (t) => 0.3 / (1 + t / 5),
    stepsPer: "epoch",
    epochs: 12,
  });
  const constant = await ctx.trainSeeds({
    name: "constant",
    schedule: () => 0.3,
    stepsPer: "epoch",
    epochs: 12,
  });
  return [decay, { ...constant, reference: true }];
}
// #endregion seeds

const chapter: Chapter = {
  slug: "seeds",
  title: "Seeds",
  source: import.meta.url,
  trainingRuns: 10,
  cells: [code("seeds", "A schedule over five seeds", seeds)],
};

/** The group's figure, as the page has it. */
const FIGURE = `document.querySelector("figure.figure-runs .plot")`;

/** Read `expression` in the page until it is truthy, and return it; fail, saying `what`. */
function until(
  cdp: Cdp,
  session: string,
  expression: string,
  what: string,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  return waitFor(() => evaluate(cdp, session, expression), Boolean, { what });
}

/** A PNG of the group's figure, kept in `tests/artifacts/` with `LR_SCREENSHOTS=1`. */
async function shoot(cdp: Cdp, session: string, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const box = await evaluate(
    cdp,
    session,
    `(() => { const r = ${FIGURE}.closest("figure").getBoundingClientRect();
      return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height }; })()`,
  );
  const { data } = await cdp.send("Page.captureScreenshot", {
    format: "png",
    captureBeyondViewport: true,
    clip: { ...box, scale: 1 },
  }, session);
  await Deno.writeFile(
    new URL(name, ARTIFACTS),
    Uint8Array.from(atob(data), (c) => c.charCodeAt(0)),
  );
}

browserTest(
  "site: a group over seeds draws its band, hides each seed's curve one click away, hovers every seed",
  async () => {
    const site = await buildOnDisk("lr-book-runs-", {
      chapters: [chapter],
      index,
      playground,
      trainer: fakeTrainer(Infinity, 0.04), // seeds 4 pp apart: a band wide enough to see
    });
    const { cdp } = await chromium();
    const { page, check } = await load(cdp, site.url("seeds.html"), "light");
    const session = page.sessionId;
    try {
      assert.equal(check.drawn, check.figures, "every figure drawn");
      assert.deepEqual(check.errors, []);
      // The band: in each of the two panels, a filled path of some area, translucent.
      const fills = await until(
        cdp,
        session,
        `(() => {
          const paths = [...${FIGURE}.querySelectorAll(".scatterlayer .trace .fills path.js-fill")]
            .filter((p) => (p.getAttribute("d") ?? "").length > 20);
          return paths.length >= 2 && paths.map((p) => {
            const box = p.getBBox();
            const style = getComputedStyle(p);
            return { fill: style.fill, opacity: style.fillOpacity, width: box.width, height: box.height };
          });
        })()`,
        "the band's filled paths",
      );
      assert.equal(fills.length, 2, "one band per panel");
      for (const f of fills) {
        // The first colour of the light theme's palette (--plot-1, #2563eb), at 20%.
        assert.equal(f.fill, "rgb(37, 99, 235)");
        assert.equal(f.opacity, "0.2", "a translucent fill");
        assert.ok(f.width > 100 && f.height > 1, `a band with an area: ${JSON.stringify(f)}`);
      }
      // Every seed's curve is there, hidden until its legend entry is clicked.
      const traces = `${FIGURE}.data.map((t) => ({ name: t.name, visible: t.visible ?? true }))`;
      const before = await evaluate(cdp, session, traces);
      const seedTraces = before.filter((t: { name: string }) => /^seed \d$/.test(t.name));
      assert.equal(seedTraces.length, 10, "five seeds in each of two panels");
      assert.ok(seedTraces.every((t: { visible: unknown }) => t.visible === "legendonly"));
      const legend = await evaluate(
        cdp,
        session,
        `[...${FIGURE}.querySelectorAll(".legend .legendtext")].map((t) => t.textContent)`,
      );
      assert.deepEqual(legend, [
        "mean ± 1 sd",
        "mean of 5 seeds",
        "seed 0",
        "seed 1",
        "seed 2",
        "seed 3",
        "seed 4",
      ]);
      // Hovering over the plot lists every seed's value.
      const point = await evaluate(
        cdp,
        session,
        `(() => {
          ${FIGURE}.scrollIntoView({ block: "center" });
          const r = ${FIGURE}.querySelector(".nsewdrag").getBoundingClientRect();
          return { x: r.left + r.width * 0.6, y: r.top + r.height * 0.3 };
        })()`,
      );
      for (const dx of [0, 1]) {
        await cdp.send("Input.dispatchMouseEvent", {
          type: "mouseMoved",
          x: point.x + dx,
          y: point.y,
        }, session);
      }
      const hover = await until(
        cdp,
        session,
        `(() => {
          const t = ${FIGURE}.querySelector(".hoverlayer")?.textContent ?? "";
          return /seed 0: \\d+\\.\\d\\d%/.test(t) && /seed 4: /.test(t) && t;
        })()`,
        "a hover that lists every seed",
      );
      assert.match(hover, /decay, test accuracy: \d+\.\d\d% ± \d\.\d\d pp \(mean ± sd\)/);
      assert.match(hover, /decay, train loss: \d\.\d{4} ± \d\.\d{4} \(mean ± sd\)/);
      for (const s of [0, 1, 2, 3, 4]) assert.match(hover, new RegExp(`seed ${s}: `));
      await shoot(cdp, session, "runs-hover.png");
      const rect = await evaluate(
        cdp,
        session,
        `(() => {
          const item = [...${FIGURE}.querySelectorAll(".legend .traces")]
            .find((g) => g.querySelector(".legendtext").textContent === "seed 0");
          const r = item.querySelector(".legendtoggle").getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        })()`,
      );
      const lines = `${FIGURE}.querySelectorAll(".scatterlayer .trace .lines path.js-line").length`;
      const linesBefore = await evaluate(cdp, session, lines);
      // One click on "seed 0" draws seed 0's curve, in both panels (they share the entry).
      for (const type of ["mousePressed", "mouseReleased"]) {
        await cdp.send("Input.dispatchMouseEvent", {
          type,
          x: rect.x,
          y: rect.y,
          button: "left",
          clickCount: 1,
        }, session);
      }
      await until(
        cdp,
        session,
        `${FIGURE}.data.filter((t) => t.name === "seed 0" && t.visible === true).length === 2`,
        "seed 0's curves to be drawn after one click",
      );
      await until(cdp, session, `${lines} >= ${linesBefore + 2}`, "seed 0's lines in the SVG");
      const others = await evaluate(cdp, session, traces);
      assert.ok(
        others.filter((t: { name: string }) => /^seed [1-4]$/.test(t.name))
          .every((t: { visible: unknown }) => t.visible === "legendonly"),
        "the other seeds stay hidden",
      );
      await shoot(cdp, session, "runs-figure.png");
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  },
);
