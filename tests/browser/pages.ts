/**
 * Every page of the book as a reader meets it, in headless Chromium from `file://`: the quick
 * build of `_site.ts` (made-up training), one tab per viewport navigated from page to page.
 *
 * At a desktop width (1280 px), every page loaded in light and in dark:
 *
 * - the theme follows `prefers-color-scheme`, the title is the book's, every Plotly figure is
 *   drawn, nothing is logged as an error and nothing is fetched from the network;
 * - axe-core (npm) reports no serious or critical violation;
 * - no table is clipped without a scroll cue: a table wider than its column scrolls inside a
 *   focusable region that shows a cue;
 * - no figure's toolbar, and nothing hidden, can be reached with the Tab key;
 * - each figure's static image draws every line with the dash and marker shape Plotly gives it,
 *   and no two legend entries look alike but for their colour; small multiples are a grid of
 *   titled panels, as many columns as their figure allows.
 *
 * At a phone's width (390 px), every page loaded in light, then switched to dark by the system (as
 * a phone does at dusk; the page follows): every figure drawn, no error, no sideways scrolling,
 * and the closed menu's links, like the figures' toolbars, are no tab stops; every legend is below
 * its plot and takes at most a third of its figure; small multiples are in two columns. These are the
 * layout's checks; axe-core runs at this width only on the pages that hold what only a phone
 * shows (the menu button and the narrow top bar on every page, from `index.html`; the narrow
 * playground panel, from `cosine.html`), because the rest of a page is the same document as at
 * 1280 px, with the same colours.
 *
 * Also: the theme toggle switches, remembers and re-themes the figures; hovering a figure shows
 * its values; search finds a chapter by a word of its prose, from `file://`; printed, and with
 * scripts off, every figure is a static image.
 *
 * A screenshot of each view that fails is kept in `tests/artifacts/a11y/` (git-ignored); with
 * `LR_SCREENSHOTS=1`, of every view, and of the search, print and no-script views. Skipped, with a
 * message, when `/usr/bin/chromium` is missing.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  ARTIFACTS,
  type Cdp,
  evaluate,
  followScheme,
  load,
  navigate,
  openPage,
  type Page,
  type PageCheck,
  screenshot,
  SCREENSHOTS,
  waitForFigures,
} from "../_browser.ts";
import { bookSite, browserTest, chromium } from "../_site.ts";
import { waitFor } from "../_wait_for.ts";

const AXE = new URL(import.meta.resolve("axe-core")).pathname.replace(/axe\.js$/, "axe.min.js");

/** Where screenshots go (git-ignored). */
const SHOTS = new URL("a11y/", ARTIFACTS);

/**
 * The violations axe-core finds that are serious or critical, one line each. Without its preload:
 * it would fetch the stylesheets by XMLHttpRequest, which `file://` refuses (logging an error into
 * the page, which the view checks), so its one rule that reads them never had them anyway.
 * With `rules`, only those rules run.
 */
const axeRun = (rules?: readonly string[]) =>
  `axe.run(document, { resultTypes: ["violations"], preload: false${
    rules === undefined ? "" : `, runOnly: { type: "rule", values: ${JSON.stringify(rules)} }`
  } }).then((r) =>
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

const SIDEWAYS = `document.documentElement.scrollWidth - document.documentElement.clientWidth`;

/**
 * Where a figure's static image (lib/site/svg.ts, for print and for readers without scripts)
 * draws a line otherwise than Plotly does: its dash, its marker shape, faint or not; and figures
 * whose legend has two entries alike but for their colour.
 */
const STATIC_UNLIKE_PLOTLY = `[...document.querySelectorAll("figure")].flatMap((f) => {
  const plot = f.querySelector(".plot");
  if (!plot || !plot.data) return [];
  const spec = JSON.parse(f.querySelector("script.plot-data").textContent);
  const drawn = new Map([...f.querySelectorAll(".plot-static g.svg-trace")]
    .map((g) => [Number(g.dataset.trace), g]));
  const faint = (g) => /stroke-opacity/.test(g.querySelector("path").getAttribute("style"));
  const problems = plot.data.flatMap((d, i) => {
    const t = spec.traces[i];
    const log = t.axis === "y2" ? spec.panels[t.panel].y2Log : spec.panels[t.panel].yLog;
    // Bands are shapes, hidden lines are drawn on a click, a line with nothing to show is none.
    if (t.band || t.hidden || !t.y.some((y) => y !== null && (!log || y > 0))) return [];
    const g = drawn.get(i);
    const want = {
      dash: d.line.dash,
      symbol: /markers/.test(d.mode) ? d.marker.symbol : null,
      faint: d.opacity < 1,
    };
    const got = g && { dash: g.dataset.dash, symbol: g.dataset.symbol ?? null, faint: faint(g) };
    return JSON.stringify(want) === JSON.stringify(got) ? [] : [f.id + ", line " + i + " (" +
      t.name + "): Plotly draws " + JSON.stringify(want) + ", the image " + JSON.stringify(got)];
  });
  const looks = [...f.querySelectorAll(".plot-static g.svg-legend[data-dash]")]
    .map((g) => g.dataset.dash + "/" + (g.dataset.symbol ?? "-") + "/" + faint(g));
  if (new Set(looks).size < looks.length) {
    problems.push(f.id + ": legend entries alike but for colour: " + looks.join(", "));
  }
  return problems;
})`;

/** The small multiples of a page (figures with a grid): their panels, columns and titles. */
const GRIDS = `[...document.querySelectorAll("figure")].flatMap((f) => {
  const plot = f.querySelector(".plot");
  const spec = JSON.parse(f.querySelector("script.plot-data").textContent);
  if (!spec.grid || !plot.layout) return [];
  const axes = Object.keys(plot.layout).filter((k) => /^xaxis\\d*$/.test(k));
  return [{
    id: f.id,
    panels: spec.panels.length,
    most: spec.grid.columns,
    axes: axes.length,
    columns: new Set(axes.map((k) => plot.layout[k].domain[0].toFixed(3))).size,
    titled: (plot.layout.annotations ?? []).map((a) => a.text).join("|") ===
      spec.panels.map((p) => p.title).join("|"),
  }];
})`;

/**
 * Figures whose legend is not below the plot, or takes more than a third of the figure, or
 * spills out of its frame (a phone's column is narrow: the legend must stay a strip).
 */
const CROWDING_LEGENDS = `[...document.querySelectorAll("figure .plot")]
  .filter((p) => p.offsetParent !== null && p.querySelector(".legend"))
  .flatMap((p) => {
    const box = p.getBoundingClientRect();
    const legend = p.querySelector(".legend").getBoundingClientRect();
    const bottom = Math.max(...[...p.querySelectorAll(".nsewdrag")]
      .map((d) => d.getBoundingClientRect().bottom));
    const share = legend.height / box.height;
    return legend.top >= bottom - 1 && share <= 1 / 3 && legend.bottom <= box.bottom + 2 ? [] : [
      p.closest("figure").id + ": legend from " + Math.round(legend.top) + " to " +
      Math.round(legend.bottom) + ", the plot's bottom at " + Math.round(bottom) + ", the frame's at " +
      Math.round(box.bottom) + " (" + Math.round(100 * share) + "% of the figure)",
    ];
  })`;

interface Grid {
  id: string;
  panels: number;
  most: number;
  axes: number;
  columns: number;
  titled: boolean;
}

/** What is wrong with a page's small multiples at a width that allows `columns` columns. */
function gridProblems(grids: Grid[], allowed: (g: Grid) => number): string[] {
  return grids.flatMap((g) => {
    const problems: string[] = [];
    if (g.axes !== g.panels) problems.push(`${g.axes} panels drawn of ${g.panels}`);
    if (g.columns !== allowed(g)) problems.push(`${g.columns} columns, not ${allowed(g)}`);
    if (!g.titled) problems.push("panels without their runs' names");
    return problems.map((p) => `small multiples ${g.id}: ${p}`);
  });
}

/** The pages axe-core also checks at 390 px: what only a phone shows is on them. */
const PHONE_AXE = new Set(["index.html", "cosine.html"]);

const WIDE = { width: 1280, height: 900, mobile: false };
const PHONE = { width: 390, height: 844, mobile: true };

/** What the views of one page found wrong, one line each. */
class Problems {
  lines: string[] = [];
  add(where: string, problem: string) {
    this.lines.push(`${where}: ${problem}`);
  }
  /** Whether `where` has a problem. */
  has(where: string): boolean {
    return this.lines.some((line) => line.startsWith(`${where}: `));
  }
}

/** The axe-core rules whose outcome depends on the colours, and so on the scheme. */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

/** axe-core's serious and critical violations in the page: of every rule, or of `rules`. */
async function axeViolations(cdp: Cdp, page: Page, rules?: string[]): Promise<string[]> {
  axeSource ??= Deno.readTextFile(AXE);
  await evaluate(cdp, page.sessionId, `${await axeSource}\n;0`);
  return await evaluate(cdp, page.sessionId, axeRun(rules));
}
let axeSource: Promise<string> | undefined;

/** The screenshot of a view: when it has a problem, or every one with `LR_SCREENSHOTS=1`. */
async function keepView(
  cdp: Cdp,
  page: Page,
  problems: Problems,
  where: string,
  file: string,
  maxHeight: number,
) {
  if (!SCREENSHOTS && !problems.has(where)) return;
  await Deno.mkdir(SHOTS, { recursive: true });
  await screenshot(cdp, page.sessionId, new URL(file, SHOTS), maxHeight);
}

/** What every view checks: no errors, figures drawn, no hidden tab stop. */
async function commonChecks(
  cdp: Cdp,
  page: Page,
  check: PageCheck,
  where: string,
  problems: Problems,
) {
  for (const error of check.errors) problems.add(where, `logged ${error}`);
  if (check.drawn !== check.figures) {
    problems.add(where, `${check.drawn} of ${check.figures} figures drawn`);
  }
  for (const stop of await evaluate(cdp, page.sessionId, HIDDEN_TAB_STOPS)) {
    problems.add(where, `a hidden tab stop: ${stop}`);
  }
}

browserTest(
  "site: every page at 1280 px, light and dark: figures drawn, no errors, offline, axe-core, wide tables, tab stops",
  async (t) => {
    const site = await bookSite();
    const { cdp } = await chromium();
    const page = await openPage(cdp, WIDE.width, WIDE.height, WIDE.mobile);
    try {
      for (const { path } of site.report.pages) {
        await t.step(path, async () => {
          const problems = new Problems();
          // Loaded dark, the page starts in the system's scheme; then the system turns light,
          // and it follows (the phone views check light to dark). One load a page.
          let check = await navigate(cdp, page, site.url(path), "dark");
          for (const scheme of ["dark", "light"] as const) {
            const where = `${path} (${scheme}, 1280 px)`;
            if (scheme === "light") check = await followScheme(cdp, page, "light", path);
            if (check.theme !== scheme) {
              problems.add(where, `the theme is ${check.theme}, not prefers-color-scheme's`);
            }
            if (!/Learning-Rate Scheduling/.test(check.title)) {
              problems.add(where, `the title is "${check.title}"`);
            }
            const offline = check.requests.filter((u) => !/^(file|data|blob|about):/.test(u));
            for (const url of offline) problems.add(where, `fetched ${url}: only local files`);
            for (const table of await evaluate(cdp, page.sessionId, CLIPPED_TABLES)) {
              if (!table.cue || !table.focusable) {
                problems.add(where, `a clipped table without a cue: ${JSON.stringify(table)}`);
              }
            }
            await commonChecks(cdp, page, check, where, problems);
            if (scheme === "light") {
              // The static image tells lines apart as the figure does (print, no script).
              for (const p of await evaluate(cdp, page.sessionId, STATIC_UNLIKE_PLOTLY)) {
                problems.add(where, p);
              }
              // Small multiples: a grid of titled panels, as many columns as the spec allows.
              const grids: Grid[] = await evaluate(cdp, page.sessionId, GRIDS);
              for (const p of gridProblems(grids, (g) => Math.min(g.most, g.panels))) {
                problems.add(where, p);
              }
            }
            // Every rule in the first scheme; in the second only those that read colours, since
            // a scheme changes nothing else.
            const rules = scheme === "dark" ? undefined : COLOUR_RULES;
            for (const v of await axeViolations(cdp, page, rules)) {
              problems.add(where, `axe: ${v}`);
            }
            const name = `${path.replace(/\.html$/, "")}-wide-${scheme}.png`;
            await keepView(cdp, page, problems, where, name, 9_000);
          }
          assert.deepEqual(problems.lines, [], problems.lines.join("\n"));
        });
      }
    } finally {
      await page.close();
    }
  },
);

browserTest(
  "site: every page at 390 px, light then dark: figures drawn, no errors, no sideways scrolling, tab stops",
  async (t) => {
    const site = await bookSite();
    const { cdp } = await chromium();
    const page = await openPage(cdp, PHONE.width, PHONE.height, PHONE.mobile);
    try {
      for (const { path } of site.report.pages) {
        await t.step(path, async () => {
          const problems = new Problems();
          let check = await navigate(cdp, page, site.url(path), "light");
          for (const scheme of ["light", "dark"] as const) {
            const where = `${path} (${scheme}, 390 px)`;
            // The system turns dark; the page follows it, and redraws its figures.
            if (scheme === "dark") check = await followScheme(cdp, page, "dark", path);
            const overflow = await evaluate(cdp, page.sessionId, SIDEWAYS);
            if (overflow > 1) problems.add(where, `scrolls sideways by ${overflow} px`);
            await commonChecks(cdp, page, check, where, problems);
            if (scheme === "light") {
              // Legends below the plot, a strip (they took half a figure on phones).
              for (const p of await evaluate(cdp, page.sessionId, CROWDING_LEGENDS)) {
                problems.add(where, p);
              }
              // Small multiples in two columns on a phone (one would make them a long scroll).
              const grids: Grid[] = await evaluate(cdp, page.sessionId, GRIDS);
              for (const p of gridProblems(grids, (g) => Math.min(2, g.panels))) {
                problems.add(where, p);
              }
            }
            if (PHONE_AXE.has(path)) {
              for (const v of await axeViolations(cdp, page)) problems.add(where, `axe: ${v}`);
            }
            const name = `${path.replace(/\.html$/, "")}-phone-${scheme}.png`;
            await keepView(cdp, page, problems, where, name, 5_000);
          }
          assert.deepEqual(problems.lines, [], problems.lines.join("\n"));
        });
      }
    } finally {
      await page.close();
    }
  },
);

browserTest(
  "site: the theme toggle switches, remembers and re-themes; a hover shows values",
  async () => {
    const site = await bookSite();
    const { cdp } = await chromium();
    const chapter = site.report.pages.find((p) => (p.figures ?? 0) > 0);
    assert(chapter, "a page with figures");
    const { page, check } = await load(cdp, site.url(chapter.path), "light");
    const js = (expression: string) => evaluate(cdp, page.sessionId, expression);
    try {
      // Hovering over a figure shows its values.
      const point = await js(`(() => {
      document.querySelector("figure .plot").scrollIntoView({ block: "center" });
      const r = document.querySelector("figure .plot .nsewdrag").getBoundingClientRect();
      return { x: r.left + r.width * 0.5, y: r.top + r.height * 0.5 };
    })()`);
      for (const dx of [0, 1]) {
        await cdp.send("Input.dispatchMouseEvent", {
          type: "mouseMoved",
          x: point.x + dx,
          y: point.y,
        }, page.sessionId);
      }
      await waitFor(
        () => js(`document.querySelector("figure .plot .hoverlayer").textContent`),
        (hover: string) => /\d\.\d/.test(hover),
        { what: "the hover label to show the values" },
      );
      // The toggle switches the theme, remembers it, and re-themes the figures.
      const legendColor =
        `getComputedStyle(document.querySelector("figure .plot .legendtext")).fill`;
      const before = await js(legendColor);
      await js(`document.querySelector(".theme-toggle").click()`);
      const after = await waitFor(
        () =>
          js(`({
          theme: document.documentElement.dataset.theme,
          stored: localStorage.getItem("lr-book-theme"),
          legend: ${legendColor},
        })`),
        (after) => after.theme === "dark" && after.legend !== before,
        { what: "the dark theme, with the figures redrawn in it" },
      );
      assert.equal(after.stored, "dark");
      // A reload keeps the choice, even though the system says light.
      const reloaded = cdp.once("Page.loadEventFired", page.sessionId);
      await cdp.send("Page.reload", {}, page.sessionId);
      await reloaded;
      const state = await waitForFigures(cdp, page.sessionId);
      assert.equal(state.theme, "dark");
      assert.equal(state.drawn, check.figures);
      assert.deepEqual(page.errors, []);
    } finally {
      // The choice is the profile's: the other tests' pages follow the system again.
      await js(`localStorage.removeItem("lr-book-theme")`).catch(() => {});
      await page.close();
    }
  },
);

browserTest("site: search finds a chapter by a word in its prose, from file://", async () => {
  const site = await bookSite();
  const { cdp } = await chromium();
  const { page, check } = await load(cdp, site.url("index.html"), "light");
  try {
    const js = (expression: string) => evaluate(cdp, page.sessionId, expression);
    // The shortcut opens the search; the index is loaded then (a script: no fetch).
    await cdp.send("Input.dispatchKeyEvent", {
      type: "keyDown",
      key: "/",
      text: "/",
      code: "Slash",
      windowsVirtualKeyCode: 191,
    }, page.sessionId);
    await waitFor(
      () => js(`document.querySelector(".search-dialog").open`),
      (open: boolean) => open,
      { what: "the search dialog to open on '/'" },
    );
    // "perplexing" is a word of the cosine chapter's prose (and of no heading).
    await cdp.send("Input.insertText", { text: "perplexing" }, page.sessionId);
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
    if (SCREENSHOTS) {
      await Deno.mkdir(SHOTS, { recursive: true });
      await screenshot(cdp, page.sessionId, new URL("search.png", SHOTS), 900);
    }
  } finally {
    await page.close();
  }
});

browserTest("site: in print and without JavaScript, figures are static images", async () => {
  const site = await bookSite();
  const { cdp } = await chromium();
  const url = site.url("cosine.html");
  const FIGURES = `[...document.querySelectorAll("figure")].map((f) => ({
    plot: getComputedStyle(f.querySelector(".plot")).display,
    image: f.querySelector(".plot-static").getBoundingClientRect().height,
  }))`;
  const staticImages = (figures: { plot: string; image: number }[]) =>
    figures.length > 0 && figures.every((f) => f.plot === "none" && f.image > 100);
  if (SCREENSHOTS) await Deno.mkdir(SHOTS, { recursive: true });
  // Printed (read in the dark theme: paper gets the light one).
  const { page } = await load(cdp, url, "dark");
  try {
    await evaluate(cdp, page.sessionId, `dispatchEvent(new Event("beforeprint"))`);
    await cdp.send("Emulation.setEmulatedMedia", { media: "print" }, page.sessionId);
    const figures = await evaluate(cdp, page.sessionId, FIGURES);
    assert(staticImages(figures), JSON.stringify(figures));
    assert.equal(
      await evaluate(cdp, page.sessionId, `document.documentElement.dataset.theme`),
      "light",
    );
    if (SCREENSHOTS) {
      await screenshot(cdp, page.sessionId, new URL("cosine-print.png", SHOTS), 6_000);
    }
  } finally {
    await page.close();
  }
  // Scripts off.
  const tab = await openPage(cdp, 1280, 900, false);
  try {
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true }, tab.sessionId);
    await cdp.send("Page.navigate", { url }, tab.sessionId);
    await waitFor(
      () => evaluate(cdp, tab.sessionId, `({ href: location.href, state: document.readyState })`),
      (d: { href: string; state: string }) => d.href === url && d.state === "complete",
      { what: "the page to load without scripts" },
    );
    const figures = await evaluate(cdp, tab.sessionId, FIGURES);
    assert(staticImages(figures), JSON.stringify(figures));
    if (SCREENSHOTS) {
      await screenshot(cdp, tab.sessionId, new URL("cosine-noscript.png", SHOTS), 3_000);
    }
  } finally {
    await tab.close();
  }
});
