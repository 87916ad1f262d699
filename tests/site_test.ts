/**
 * The site, built in memory and read back with linkedom: every page has a
 * title, navigation, its figures with their data, rendered math, no "TODO",
 * and nothing user-visible unescaped. Training is faked (numbers made from the
 * schedule), so these tests run in seconds.
 *
 * @module
 */

import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import {
  bibliography,
  chapters as book,
  index as bookIndex,
  playground as bookPlayground,
} from "../chapters/mod.ts";
import { type Chapter, code, md, type Output, prose } from "../lib/book/types.ts";
import {
  type BuildOptions,
  type BuildReport,
  buildSite,
  MANIFEST,
  QUICK,
} from "../lib/site/build.ts";
import type { PlotSpec } from "../lib/site/figures.ts";
import { memoryFs, type SiteFs } from "../lib/site/fs.ts";
import { html, jsonForScript, raw } from "../lib/site/html.ts";
import { markdownRenderer } from "../lib/site/markdown.ts";
import { cutRegion } from "../lib/site/source.ts";
import type { RunResult, TrainRequest } from "../lib/train/types.ts";
import { escapeHtml } from "../lib/util/escape_html.ts";
import { fakeTrainer } from "./_fake_trainer.ts";

// ---- a test chapter whose code regions live in this file ----

const EVIL = `<script>alert("x")</script>`;

// #region curves
/** Two schedules in one plot, and a third in another unit. */
function curves(): Output[] {
  const steps = [...Array(10).keys()];
  return [
    { kind: "schedule", label: "halving", unit: "epoch", steps, lrs: steps.map((t) => 2 ** -t) },
    {
      kind: "schedule",
      label: `sqrt ${EVIL}`,
      unit: "epoch",
      steps,
      lrs: steps.map((t) => (t + 1) ** -0.5),
    },
    { kind: "schedule", label: "per update", unit: "update", steps, lrs: steps.map(() => 0.1) },
  ];
}
// #endregion curves

// #region runs
/** Two runs, one per epoch and one per update; a text and a table with markup in them. */
async function runs(ctx: Parameters<Parameters<typeof code>[2]>[0]): Promise<Output[]> {
  const a = await ctx.train({
    name: `epochs ${EVIL}`,
    schedule: (t) => 0.3 / (t + 1),
    stepsPer: "epoch",
  });
  const b = await ctx.train({
    name: "updates",
    schedule: (t) => 0.3 * 0.99 ** t,
    stepsPer: "update",
  });
  return [
    { kind: "run", run: a },
    { kind: "run", run: b },
    { kind: "text", text: `plain text with ${EVIL} in it` },
    { kind: "table", columns: ["name", "<b>value</b>"], rows: [[EVIL, 0.123456789]] },
  ];
}
// #endregion runs

const evilChapter: Chapter = {
  slug: "evil",
  title: `Escaping ${EVIL}`,
  source: import.meta.url,
  trainingRuns: 2,
  cells: [
    prose(`# Escaping <i>everything</i>

A rate $\\eta_t = \\eta_0 / (t + 1)$ and inline HTML ${EVIL} <img src=x onerror=alert(1)>.

$$
\\eta_t = \\eta_0 \\cdot 0.5^{\\lfloor t / 10 \\rfloor}
$$

## Two curves

A [bad link](javascript:alert(1)) and a [good one](#two-curves).`),
    code("curves", `Plot ${EVIL} curves`, curves),
    code("runs", "Train two runs", runs),
    prose((results) =>
      `The last run reached a test accuracy of $${
        (results.get("runs")?.[1] as { run: RunResult }).run.history.at(-1)!.testAcc.toFixed(3)
      }$.`
    ),
    prose("## After\n\nThat is all."),
  ],
};

const plainChapter: Chapter = {
  slug: "plain",
  title: "Plain",
  source: import.meta.url,
  cells: [prose("Just words, and $x^2$.")],
};

// ---- reading pages back ----

// deno-lint-ignore no-explicit-any
type Doc = any;

const decoder = new TextDecoder();

function page(fs: { files: Map<string, Uint8Array> }, path: string): Doc {
  const bytes = fs.files.get(path);
  assert(bytes, `${path} was written`);
  return new DOMParser().parseFromString(decoder.decode(bytes), "text/html");
}

/** The text of `root` outside code, math and scripts. */
function proseText(root: Doc): string {
  const parts: string[] = [];
  const walk = (node: Doc) => {
    if (node.nodeType === 3) parts.push(node.textContent);
    if (node.nodeType !== 1 && node.nodeType !== 9) return;
    if (node.nodeType === 1) {
      const tag = node.tagName.toLowerCase();
      if (["pre", "code", "script", "style"].includes(tag)) return;
      if (node.classList?.contains("katex")) return;
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return parts.join("");
}

/** Checks every page must pass; returns the figure specs of the page. */
function checkPage(fs: { files: Map<string, Uint8Array> }, path: string): PlotSpec[] {
  const doc = page(fs, path);
  const title = doc.querySelector("title")?.textContent ?? "";
  assert.match(title, /Learning-Rate Scheduling/, `${path}: title`);
  assert(doc.querySelector("h1")?.textContent.trim(), `${path}: a heading`);
  // Navigation: the sidebar lists every chapter, and every local link and resource exists.
  const nav = doc.querySelectorAll("nav.sidebar a");
  assert(nav.length >= 2, `${path}: navigation`);
  for (const el of doc.querySelectorAll("[href], [src]")) {
    const ref = el.getAttribute("href") ?? el.getAttribute("src");
    if (ref.startsWith("#")) {
      assert(
        doc.getElementById(ref.slice(1)),
        `${path}: a link to ${ref}, but no element has that id (give a heading one: "## Title {#id}")`,
      );
      continue;
    }
    if (/^https?:/.test(ref)) {
      assert.equal(el.tagName.toLowerCase(), "a", `${path}: no external resource ${ref}`);
      continue;
    }
    assert(!/^[a-z]+:|^\/\//i.test(ref), `${path}: relative link, not ${ref}`);
    const file = ref.split("#")[0];
    assert(fs.files.has(file), `${path}: ${ref} points to a file of the site`);
  }
  // Scripts: the theme bootstrap, figure data, and the site's own files; nothing else.
  for (const script of doc.querySelectorAll("script")) {
    const src = script.getAttribute("src");
    const type = script.getAttribute("type");
    if (src) assert.match(src, /^assets\//, `${path}: script from assets/`);
    else if (type === "application/json") {
      assert(
        ["plot-data", "playground-data", "trainer-data"].some((c) => script.classList.contains(c)),
      );
    } else assert.match(script.textContent, /^\(function\(\)\{var t=null;try\{t=localStorage/);
  }
  // Stylesheets: KaTeX's, the site's, and the playground's where there is a panel.
  const sheets = [...doc.querySelectorAll('link[rel="stylesheet"]')].map((l: Doc) =>
    l.getAttribute("href")
  );
  const panel = doc.querySelector("[data-playground]") !== null;
  assert.deepEqual(
    sheets,
    [
      "assets/katex/katex.min.css",
      "assets/site.css",
      ...(panel ? ["assets/playground.css"] : []),
    ],
    `${path}: stylesheets`,
  );
  // Math is rendered, never left as $...$; there is no TODO.
  const text = proseText(doc.querySelector("main"));
  assert.doesNotMatch(text, /\$[^$\s][^$]*\$/, `${path}: no unrendered math`);
  assert.doesNotMatch(doc.querySelector("main").textContent, /TODO/, `${path}: no TODO`);
  // Figures: each has a drawing area, its data and a caption.
  const specs: PlotSpec[] = [];
  for (const figure of doc.querySelectorAll("figure")) {
    assert(figure.querySelector(".plot[data-plot]"), `${path}: figure has a plot area`);
    const data = figure.querySelector("script.plot-data");
    assert(data, `${path}: figure has data`);
    const spec: PlotSpec = JSON.parse(data.textContent);
    assert(spec.traces.length > 0, `${path}: figure has lines`);
    for (const t of spec.traces) {
      assert(t.x.length > 0 && t.x.length === t.y.length, `${path}: trace ${t.name} has points`);
      assert(t.y.every((v) => v === null || Number.isFinite(v)));
    }
    const caption = figure.querySelector("figcaption")?.textContent ?? "";
    assert(caption.length > 40, `${path}: figure caption`);
    specs.push(spec);
  }
  return specs;
}

function build(options: Partial<BuildOptions> & { out: SiteFs }) {
  return buildSite({
    chapters: [evilChapter, plainChapter],
    index: bookIndex,
    playground: bookPlayground,
    trainer: fakeTrainer(),
    ...options,
  });
}

/** The innermost rules of `css` that set the custom property `name`: selector, declarations. */
function rulesSetting(css: string, name: string): [string, Record<string, string>][] {
  const rules: [string, Record<string, string>][] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  for (const [, selector, body] of text.matchAll(/([^{}]*)\{([^{}]*)\}/g)) {
    const declarations: Record<string, string> = {};
    for (const declaration of body.split(";")) {
      const colon = declaration.indexOf(":");
      if (colon > 0) {
        declarations[declaration.slice(0, colon).trim()] = declaration.slice(colon + 1).trim();
      }
    }
    if (name in declarations) rules.push([selector.trim(), declarations]);
  }
  return rules;
}

// ---- tests ----

Deno.test("html: interpolations are escaped unless marked raw", () => {
  assert.equal(
    html`<p title="${'"'}">${EVIL}</p>`.value,
    `<p title="&quot;">${escapeHtml(EVIL)}</p>`,
  );
  assert.equal(html`${raw("<b>")}${null}${false}${[1, "<"]}`.value, "<b>1&lt;");
  const json = jsonForScript({ s: "</script><!--", t: "\u2028" }).value;
  assert(!json.includes("<") && !json.includes("\u2028"));
  assert.deepEqual(JSON.parse(json), { s: "</script><!--", t: "\u2028" });
});

Deno.test("source: a code cell shows exactly its region of the chapter file", async () => {
  const text = await Deno.readTextFile(new URL(import.meta.url));
  const region = cutRegion(text, "runs");
  assert(region.startsWith("/** Two runs,"));
  assert(region.includes("async function runs("));
  assert(!region.includes("#region") && !region.includes("#endregion"));
  assert.throws(() => cutRegion(text, "nope"), /no region/);
  assert.throws(() => cutRegion("// #region a\nx", "a"), /no "\/\/ #endregion a"/);
  assert.equal(
    cutRegion("// #region a\n  x\n  // #region b\n  y\n  // #endregion b\n// #endregion a", "a"),
    "x\ny",
  );
});

Deno.test("markdown: math is KaTeX, HTML is text, bad TeX stops the build", () => {
  const md = markdownRenderer();
  const out = md.render("Cost \\$5, rate $\\eta$, $$\\sum_t \\eta_t$$ and `$x$` <b>b</b>").value;
  assert.equal(out.match(/class="katex"/g)?.length, 2);
  assert(out.includes("<code>$x$</code>") && out.includes("&lt;b&gt;") && out.includes("Cost $5"));
  assert.throws(() => md.render("$\\frac{1}{$"), /cannot render/);
});

Deno.test("site: every page has a title, navigation, figures with data, rendered math", async () => {
  const fs = memoryFs();
  const report = await build({ out: fs, quick: QUICK });
  assert(report.ok, JSON.stringify(report.pages));
  assert.deepEqual(report.pages.map((p) => p.path), [
    "index.html",
    "playground.html",
    "evil.html",
    "plain.html",
  ]);
  for (const p of report.pages) checkPage(fs, p.path);

  const specs = checkPage(fs, "evil.html");
  // Two epoch curves share a plot, the update curve has its own, a figure per run, a comparison.
  assert.deepEqual(specs.map((s) => s.kind), ["schedule", "schedule", "run", "run", "comparison"]);
  assert.equal(specs[0].traces.length, 2);
  assert.deepEqual(specs[0].traces[0].y.slice(0, 3), [1, 0.5, 0.25]);
  assert.equal(specs[1].xTitle, "update (minibatch)");
  // A run figure: loss, accuracies, and the rate on the second axis.
  assert.deepEqual(specs[2].traces.map((t) => `${t.name}/${t.axis}`), [
    "train loss/y",
    "train acc/y",
    "test acc/y",
    "learning rate/y2",
  ]);
  assert.equal(specs[2].traces[2].x.length, QUICK.epochs);

  const doc = page(fs, "evil.html");
  const captions = [...doc.querySelectorAll("figcaption")].map((c: Doc) => c.textContent);
  assert.match(captions[2], /2 epochs, batch 256, 1,024 training \/ 1,024 test images, seed 0/);
  assert.match(captions[2], /rate set once per epoch/);
  assert.match(captions[3], /rate set before every update/);
  assert.match(captions[0], /evaluated at epochs 0–9 by cell "curves"/);
  // The code shown is the region of this file.
  const text = await Deno.readTextFile(new URL(import.meta.url));
  const shown = doc.querySelector("#cell-runs pre code").textContent;
  assert.equal(shown, cutRegion(text, "runs"));
  // Prose computed from results quotes them, rendered as math.
  assert.equal(doc.querySelectorAll(".katex").length, 3);
  assert(doc.querySelector(".math-display .katex-display"));
  // Navigation: sidebar with the current chapter, its sections, previous and next.
  assert.equal(
    doc.querySelector('.sidebar a[aria-current="page"]').getAttribute("href"),
    "evil.html",
  );
  const sections = [...doc.querySelectorAll(".page-toc a")].map((a: Doc) => a.getAttribute("href"));
  assert.deepEqual(sections, [
    "#two-curves",
    "#fig-curves",
    "#fig-curves-2",
    "#fig-runs",
    "#fig-runs-2",
    "#after",
    "#all-runs",
    "#fig-all-runs",
  ]);
  // Beside the text on wide screens: the sections, with the cells and figures in them.
  const beside = [...doc.querySelectorAll(".page-nav a")].map((a: Doc) => a.getAttribute("href"));
  assert.deepEqual(beside.filter((h: string) => h.startsWith("#cell-")), [
    "#cell-curves",
    "#cell-runs",
  ]);
  assert(sections.every((h: string) => beside.includes(h)));
  assert.equal(doc.querySelector(".pager a[rel=next]").getAttribute("href"), "plain.html");
  assert.equal(
    page(fs, "plain.html").querySelector(".pager a[rel=prev]").getAttribute("href"),
    "evil.html",
  );
  // The quick build says so on the pages with training runs, and on the index which counts them;
  // not on a page without training (the playground has none, nor has "plain").
  for (const path of ["index.html", "evil.html"]) {
    assert.match(page(fs, path).querySelector(".quick-note").textContent, /quick build/);
  }
  for (const path of ["plain.html", "playground.html"]) {
    assert.equal(page(fs, path).querySelector(".quick-note"), null, path);
  }
  // Assets are copied: Plotly, KaTeX and its fonts, the site's CSS and scripts.
  for (
    const asset of [
      "assets/plotly.min.js",
      "assets/katex/katex.min.css",
      "assets/site.js",
      "assets/playground.js",
    ]
  ) {
    assert(fs.files.get(asset)!.length > 1000, asset);
  }
  assert(
    [...fs.files.keys()].some((f) => /^assets\/katex\/fonts\/KaTeX_Main-Regular\.woff2$/.test(f)),
  );
});

Deno.test("site: everything user-visible is escaped", async () => {
  const fs = memoryFs();
  await build({ out: fs });
  const source = decoder.decode(fs.files.get("evil.html"));
  assert(!source.includes(EVIL), "no raw <script>alert");
  assert(!source.includes("<img src=x"), "no raw <img>");
  assert(!source.includes("javascript:"), "no javascript: link");
  assert(!source.includes("<i>everything</i>"), "inline HTML in a heading is text");
  const doc = page(fs, "evil.html");
  // Every place the markup was injected shows it as text.
  assert.equal(
    doc.querySelector("title").textContent,
    `Escaping ${EVIL} · Learning-Rate Scheduling`,
  );
  assert(doc.querySelector("h1").textContent.includes("<i>everything</i>"));
  assert(doc.querySelector(".prose").textContent.includes(EVIL));
  assert(doc.querySelector("#cell-curves .cell-caption").textContent.includes(EVIL));
  assert(doc.querySelector(".output-text").textContent.includes(EVIL));
  const table = doc.querySelector(".cell-outputs > .table-box table");
  assert.equal(table.querySelector("td").textContent, EVIL);
  assert.equal(table.querySelectorAll("th")[1].textContent, "<b>value</b>");
  assert(doc.querySelector(".fig-title").textContent.includes("sqrt"));
  const runCaption = doc.querySelectorAll("figcaption")[2].textContent;
  assert(runCaption.includes(`Training run "epochs ${EVIL}"`));
  // The data in the figures' JSON keeps the names exactly (the client escapes them for Plotly).
  const spec: PlotSpec = JSON.parse(doc.querySelectorAll("script.plot-data")[0].textContent);
  assert.equal(spec.traces[1].name, `sqrt ${EVIL}`);
  // No script runs the injected code; the figure data cannot close its script element.
  for (const script of doc.querySelectorAll("script")) {
    if (script.classList.contains("plot-data")) assert(!script.textContent.includes("<"));
    else assert(!script.textContent.includes("alert"));
  }
});

Deno.test("site: only the pages with a panel link the playground's stylesheet", async () => {
  const fs = memoryFs();
  const report = await build({ out: fs, quick: QUICK });
  assert(report.ok);
  const playgroundCss = decoder.decode(fs.files.get("assets/playground.css"));
  assert.match(playgroundCss, /^\.pg-plot \{/m);
  assert(!decoder.decode(fs.files.get("assets/site.css")).includes(".pg-"), "not in site.css");
  const links = (path: string) =>
    [...page(fs, path).querySelectorAll('link[rel="stylesheet"]')].map((l: Doc) =>
      l.getAttribute("href")
    );
  assert(links("playground.html").includes("assets/playground.css"));
  for (const path of ["index.html", "evil.html", "plain.html"]) {
    assert.equal(page(fs, path).querySelector("[data-playground]"), null, `${path}: no panel`);
    assert(!links(path).includes("assets/playground.css"), `${path}: no playground stylesheet`);
  }
});

Deno.test("site: the dark palette is written once, and served for a dark system too", async () => {
  // In the source: the light palette and the dark one, each once.
  const source = await Deno.readTextFile(new URL("../lib/site/assets/site.css", import.meta.url));
  const palettes = rulesSetting(source, "--bg");
  assert.deepEqual(palettes.map(([selector]) => selector), [":root", ':root[data-theme="dark"]']);
  assert(!source.includes("prefers-color-scheme"), "no second palette for the system's theme");
  // The dark palette gives every colour of the light one (and nothing else) a dark value.
  const [[, light], [, dark]] = palettes;
  const colours = Object.keys(light).filter((name) => /#|rgb\(/.test(light[name]));
  assert.deepEqual(Object.keys(dark).sort(), [...colours, "color-scheme"].sort());
  // As served: the same palette again, for a dark system on a page without a theme (no script).
  const fs = memoryFs();
  assert((await build({ out: fs, quick: QUICK })).ok);
  const served = decoder.decode(fs.files.get("assets/site.css"));
  assert.deepEqual(rulesSetting(served, "--bg"), [
    ...palettes,
    [":root:not([data-theme])", dark],
  ]);
  assert.match(served, /@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme\]\) \{/);
});

Deno.test("site: a full build has no quick-build note; pages link only to what exists", async () => {
  const fs = memoryFs();
  await build({ out: fs, quick: null });
  for (const path of ["index.html", "evil.html", "plain.html"]) {
    assert.equal(page(fs, path).querySelector(".quick-note"), null);
    checkPage(fs, path);
  }
  const index = page(fs, "index.html");
  const toc = [...index.querySelectorAll(".contents a")].map((a: Doc) => a.getAttribute("href"));
  assert.deepEqual(toc, ["evil.html", "plain.html"]);
  // How to run it: the README's commands.
  const howTo = index.querySelector("#run-it + .prose pre code").textContent;
  assert.match(howTo, /deno task chapter cosine/);
  assert.match(howTo, /deno task test/);
});

Deno.test("site: the index page's prose is the book's, handed to the build", async () => {
  const fs = memoryFs();
  await build({
    out: fs,
    index: {
      intro: "A book *about* $\\eta_t$.",
      howTo: (commands) => `Run:\n\n\`\`\`sh\n${commands}\n\`\`\`\n\nThat is all.`,
    },
  });
  const index = page(fs, "index.html");
  assert.match(index.querySelector("main").textContent, /A book about/);
  assert(index.querySelector("main em"), "the intro is Markdown");
  assert(index.querySelector("main .katex"), "with math");
  assert.match(index.querySelector("main").textContent, /That is all\./);
  assert.match(index.querySelector("main pre code").textContent, /deno task chapter cosine/);
});

Deno.test("site: a chapter's playground follows its cell, over the steps of the cell's curve", async () => {
  const withPanel: Chapter = {
    ...evilChapter,
    playground: {
      after: "curves",
      schedules: [{ kind: "exponential", options: { baseLr: 1, gamma: 0.5 } }],
    },
  };
  const fs = memoryFs();
  const report = await build({ out: fs, chapters: [withPanel, plainChapter] });
  assert.deepEqual(report.pages.filter((p) => p.status === "failed"), []);
  const doc = page(fs, "evil.html");
  const panel = doc.querySelector("#cell-curves + [data-playground]");
  assert(panel, "the panel comes right after its cell");
  assert.deepEqual(JSON.parse(panel.querySelector("script.playground-data").textContent), {
    state: {
      steps: 10,
      curves: [{ kind: "exponential", options: { baseLr: 1, gamma: 0.5 }, warmup: null }],
    },
    unit: "epoch",
    playground: "playground.html",
  });
  assert.equal(page(fs, "plain.html").querySelector("[data-playground]"), null);
  // The playground page links to the chapters with a panel.
  const links = page(fs, "playground.html").querySelectorAll("main a[href='evil.html']");
  assert(links.length > 0, "the playground page names the chapter");

  // A panel that follows no curve is the chapter's error, naming it.
  for (const after of ["runs", "no-such-cell"]) {
    const wrong: Chapter = { ...withPanel, playground: { ...withPanel.playground!, after } };
    const failed = await build({ out: memoryFs(), chapters: [wrong] });
    assert.match(
      failed.pages.find((p) => p.path === "evil.html")!.error!,
      new RegExp(`chapter "evil": its playground follows the cell "${after}"`),
    );
  }
});

/** An in-memory output directory that records every write and rename. */
function recordingFs() {
  const fs = memoryFs();
  const writes: string[] = [], renames: [string, string][] = [];
  return {
    ...fs,
    writes,
    renames,
    write(path: string, data: Uint8Array) {
      writes.push(path);
      return fs.write(path, data);
    },
    rename(from: string, to: string) {
      renames.push([from, to]);
      return fs.rename(from, to);
    },
  };
}

Deno.test("site: files are written atomically; a rebuild with nothing changed does nothing", async () => {
  const fs = recordingFs();
  const calls: TrainRequest[] = [];
  await build({ out: fs, quick: QUICK, trainer: fakeTrainer(calls) });
  assert.equal(calls.length, 2);
  // Atomic: every file was written under a temporary name and renamed into place.
  assert(fs.writes.length > 0 && fs.writes.every((p) => p.endsWith(".tmp")));
  assert.deepEqual(
    [...new Set(fs.renames.map(([, to]) => to))].sort(),
    [...fs.files.keys()].sort(),
  );
  assert(![...fs.files.keys()].some((p) => p.endsWith(".tmp")));

  fs.writes.length = 0;
  const again = await build({ out: fs, quick: QUICK, trainer: fakeTrainer(calls) });
  assert.equal(calls.length, 2, "nothing was run again");
  assert.deepEqual(again.pages.map((p) => p.status), Array(4).fill("skipped"));
  assert(again.assets.every((a) => a.status === "unchanged"));
  assert.deepEqual(fs.writes, [], "nothing is written");

  // Other run options are other numbers: the chapter runs again.
  const full = await build({ out: fs, quick: null, trainer: fakeTrainer(calls) });
  assert.equal(calls.length, 4);
  assert.deepEqual(full.pages.map((p) => p.status), Array(4).fill("written"));

  // --force re-renders, and pages whose bytes did not change are not rewritten.
  fs.writes.length = 0;
  const forced = await build({ out: fs, quick: null, force: true, trainer: fakeTrainer(calls) });
  assert.deepEqual(forced.pages.map((p) => p.status), Array(4).fill("unchanged"));
  const writes: string[] = fs.writes;
  assert.deepEqual(writes.filter((p) => !p.startsWith(MANIFEST)), [], "only the manifest");

  // A chapter that is gone takes its page with it; a deleted page is rebuilt.
  const fewer = await build({ out: fs, chapters: [plainChapter], trainer: fakeTrainer(calls) });
  assert.deepEqual(fewer.removed, ["evil.html"]);
  assert(!fs.files.has("evil.html"));
  fs.files.delete("plain.html");
  const rebuilt = await build({ out: fs, chapters: [plainChapter], trainer: fakeTrainer(calls) });
  assert.equal(rebuilt.pages.find((p) => p.path === "plain.html")?.status, "written");
});

Deno.test("site: a chapter error names the chapter and cell and fails only that page", async () => {
  const broken: Chapter = {
    slug: "broken",
    title: "Broken",
    source: import.meta.url,
    cells: [code("no-such-region", "Missing", () => [])],
  };
  const fs = memoryFs();
  const report = await build({ out: fs, chapters: [plainChapter, broken] });
  assert.equal(report.ok, false);
  const failed = report.pages.find((p) => p.path === "broken.html")!;
  assert.equal(failed.status, "failed");
  assert.match(failed.error!, /chapter "broken", code cell "no-such-region": no region/);
  assert(fs.files.has("plain.html"));
});

/** The book's own chapters, built once in memory (fake training) for the tests that read them. */
function bookBuild() {
  bookBuilt ??= (async () => {
    const fs = memoryFs();
    const report = await build({ out: fs, chapters: book, bibliography, quick: QUICK });
    return { fs, report };
  })();
  return bookBuilt;
}
let bookBuilt: Promise<{ fs: ReturnType<typeof memoryFs>; report: BuildReport }> | undefined;

Deno.test("site: the book's own chapters build into valid pages (fake training)", async () => {
  const { fs, report } = await bookBuild();
  const failed = report.pages.filter((p) => p.status === "failed");
  assert.deepEqual(failed, []);
  assert.equal(report.pages.length, book.length + 3, "the chapters, index, playground, references");
  let figures = 0;
  for (const p of report.pages) figures += checkPage(fs, p.path).length;
  const expected = report.pages.reduce((n, p) => n + (p.figures ?? 0), 0);
  assert.equal(figures, expected);
  // A quick build says so on every chapter that trains, its runs over seeds or single (the
  // chapters whose runs were all over seeds said nothing), and only there.
  for (const c of book) {
    const note = page(fs, `${c.slug}.html`).querySelector(".quick-note");
    assert.equal(note !== null, (c.trainingRuns ?? 0) > 0, `${c.slug}: the quick-build note`);
  }
});

Deno.test("site: citations resolve to the bibliography, figure numbers referred to exist", async () => {
  const { fs, report } = await bookBuild();
  assert(report.ok);
  const refs = page(fs, "references.html");
  let citations = 0, xrefs = 0;
  for (const { path } of report.pages) {
    const doc = page(fs, path);
    // Every citation names an entry of the bibliography, and the entry links to the work.
    for (const a of doc.querySelectorAll("a.citation")) {
      citations++;
      const [file, anchor] = a.getAttribute("href").split("#");
      assert.equal(file, "references.html", `${path}: ${a.textContent}`);
      const entry = refs.getElementById(anchor);
      assert(entry, `${path}: "${a.textContent}" cites ${anchor}, which the bibliography lacks`);
      assert(
        [...entry.querySelectorAll("a[href]")].some((l: Doc) =>
          /^https:\/\/(doi\.org|arxiv\.org)\/|^https:\/\//.test(l.getAttribute("href"))
        ),
        `${anchor}: a link to the work`,
      );
    }
    // Every "Fig. N.M" the text refers to is a figure of the page with that number.
    for (const a of doc.querySelectorAll("a.xref")) {
      xrefs++;
      const target = doc.getElementById(a.getAttribute("href").slice(1));
      assert(target, `${path}: ${a.textContent} points to nothing`);
      const number = a.textContent.match(/(?:Fig\.|Table|Eq\.)\s([\d.]+)|\(([\d.]+)\)/);
      assert(number, `${path}: "${a.textContent}" says a number`);
      const label = target.querySelector(".fig-num, .tbl-num, .eq-num")?.textContent ?? "";
      assert(label.includes(number[1] ?? number[2]), `${path}: "${a.textContent}" is ${label}`);
    }
    // Figures are numbered by chapter.
    const chapter = book.findIndex((c) => `${c.slug}.html` === path) + 1;
    for (const [i, num] of [...doc.querySelectorAll("figure .fig-num")].entries()) {
      assert.equal(num.textContent, `Fig.\u00a0${chapter}.${i + 1}.`, path);
    }
  }
  assert(citations >= 8, `the book cites (${citations})`);
  assert(xrefs >= 1, `the text refers to figures (${xrefs})`);
  // Every chapter that follows the original links to its section.
  for (const c of book.filter((c) => c.original)) {
    const link = page(fs, `${c.slug}.html`).querySelector(".original a");
    assert.match(
      link.getAttribute("href"),
      /^https:\/\/d2l\.ai\/chapter_optimization\/lr-scheduler\.html/,
    );
  }
  // Search: an index of every page's sections, as a script.
  const index = decoder.decode(fs.files.get("assets/search-index.js"));
  assert.match(index, /^\/\/ The book's search index/);
  for (const { path } of report.pages) assert(index.includes(`"${path}`), `${path} is searched`);
});

/**
 * A phrase of the prose that names another page of the book: the toy problem, a chapter by its
 * place or its schedule, an exercise's answer by its number.
 */
const NAMES_A_PAGE = new RegExp(
  "\\b(?:the toy problem|(?:last|next|previous|earlier|later) chapters?|the (?:multi-factor|" +
    "factor|cosine|sgdr|warmup|one-cycle|plateau|decay|schedulers?|square-root|frameworks|" +
    "summary|theory)" +
    "(?:'s)? chapter|" +
    "the (?:first|second|third|fourth|fifth) (?:answer|exercise))\\b",
  "i",
);

Deno.test("site: wherever the prose names another page it links there; every figure number said exists", async () => {
  const { fs, report } = await bookBuild();
  const unlinked: string[] = [];
  let linked = 0;
  for (const { path } of report.pages) {
    const doc = page(fs, path);
    for (const prose of doc.querySelectorAll(".prose")) {
      // What a link says is linked; what is left must name no page.
      for (const a of prose.querySelectorAll("a")) {
        if (NAMES_A_PAGE.test(a.textContent)) linked++;
        a.textContent = "[link]";
      }
      for (const sentence of proseText(prose).replace(/\s+/g, " ").split(/(?<=[.;:])\s/)) {
        if (NAMES_A_PAGE.test(sentence)) unlinked.push(`${path}: ${sentence.slice(0, 160)}`);
      }
    }
    // "Fig. 7.1" anywhere on a page (a fold's summary, a table's caption) is a figure of it.
    const numbers = new Set(
      [...doc.querySelectorAll("figure .fig-num")].map((n: Doc) =>
        n.textContent.replace(/^Fig\.\s|\.$/g, "")
      ),
    );
    const said = proseText(doc.querySelector("main")).matchAll(/Fig\.\s(\d+(?:\.\d+)?)/g);
    for (const [text, number] of said) {
      assert(numbers.has(number), `${path}: "${text}" is no figure of the page`);
    }
  }
  // A chapter named in the prose without a link (the issue's "the toy problem", "the last
  // chapter") would be listed here.
  assert.deepEqual(unlinked, []);
  // And the test finds what it looks for: the links that name chapters are there.
  assert(linked >= 10, `links that name a page (${linked})`);
});

Deno.test("site: a reference to a figure or a work that is not there, or a table without its caption, stops the page", async () => {
  const cases: [string, RegExp][] = [
    [
      "As [the figure](fig:no-such-cell) shows.",
      /a reference to what the page does not have: fig:no-such-cell/,
    ],
    [
      "As [Someone (2020)](cite:someone2020) says.",
      /a citation of "someone2020", which is not in the bibliography/,
    ],
    // A table of the prose without its caption: nothing could refer to it, and nothing says
    // what it is.
    [
      "| a | b |\n|---|---|\n| 1 | 2 |\n\nAnd so on.",
      /prose cell 1: a table without a caption \("\| a \| b \|"\): add a line "Table: what/,
    ],
  ];
  for (const [text, error] of cases) {
    const chapter: Chapter = { ...plainChapter, cells: [prose(text)] };
    const report = await build({ out: memoryFs(), chapters: [chapter], bibliography });
    assert.match(report.pages.find((p) => p.path === "plain.html")!.error!, error);
  }
  // Equations are numbered and referred to by label; tables take a caption.
  const chapter: Chapter = {
    ...plainChapter,
    cells: [prose(md`$$x = 1 \label{one}$$

By [Eq.](eq:one), see [the table](tbl:grid).

| a | b |
|---|---|
| 1 | 2 |

Table: A grid. {#grid}`)],
  };
  const fs = memoryFs();
  assert((await build({ out: fs, chapters: [chapter] })).ok);
  const doc = page(fs, "plain.html");
  assert.equal(doc.querySelector("#eq-one .eq-num").textContent, "(1.1)");
  assert.deepEqual([...doc.querySelectorAll("a.xref")].map((a: Doc) => a.textContent), [
    "(1.1)",
    "the table (Table\u00a01.1)",
  ]);
  assert.match(doc.querySelector("#tbl-grid .table-caption").textContent, /Table\s1\.1\. A grid\./);
});
