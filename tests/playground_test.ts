/**
 * The schedule playground: the panel on the schedule chapters' pages and
 * the page of its own.
 *
 * In memory: the state's URL hash round-trips exactly; the command and the
 * TypeScript it shows reproduce its curves; each chapter's panel starts from
 * that chapter's own curve; the panel, its data and the bundled script are on
 * the right pages (read back with linkedom).
 *
 * In headless Chromium, on a quick build loaded from `file://`: the cosine
 * page's panel reproduces the chapter's cosine and cosine-with-warmup curves
 * at its defaults; moving a slider (keyboard and mouse) plots exactly what
 * `lib/schedules` computes for the new options; the URL hash reproduces the
 * panel in a new tab; an invalid combination shows the library's own message;
 * labels, focus order, touch targets, light and dark. Screenshots go to
 * `tests/artifacts/`. Skipped, with a message, when Chromium is missing.
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
import type { CellContext, CodeCell, ScheduleOutput } from "../lib/book/types.ts";
import { type PanelData, panelState } from "../lib/playground/presets.ts";
import { fromSlider, sliderRange, toSlider } from "../lib/playground/ranges.ts";
import {
  canonical,
  commandText,
  type Curve,
  decodeState,
  encodeState,
  EXAMPLE_METRICS,
  MAX_CURVES,
  MOD_PATH,
  type PanelState,
  PLAY_KINDS,
  snippetText,
  specOf,
} from "../lib/playground/state.ts";
import { computeRates, parseArgs } from "../lib/preview/cli.ts";
import {
  type OptionInfo,
  type OptionValue,
  ownOptions,
  SCHEDULE_KINDS,
  WARMUP_OPTIONS,
} from "../lib/preview/kinds.ts";
import { cosine, plateauSchedule } from "../lib/schedules/mod.ts";
import { mulberry32 as random } from "../lib/train/rng.ts";
import { scheduleRates } from "../lib/preview/recipe.ts";
import { buildSite, QUICK } from "../lib/site/build.ts";
import type { PlotSpec } from "../lib/site/figures.ts";
import { diskFs, memoryFs } from "../lib/site/fs.ts";
import {
  ARTIFACTS,
  type Cdp,
  CHROMIUM,
  evaluate,
  haveChromium,
  launch,
  load,
  screenshot,
} from "./_browser.ts";
import { waitFor } from "./_wait_for.ts";
import { fakeTrainer } from "./_fake_trainer.ts";

if (!haveChromium) {
  console.warn(`playground_test: Chromium tests skipped, ${CHROMIUM} not found`);
}

// deno-lint-ignore no-explicit-any
type Doc = any;

const decoder = new TextDecoder();
const rates = (schedule: (t: number) => number, n: number) =>
  Array.from({ length: n }, (_, t) => schedule(t));

/** The chapter's cosine, and the warmup chapter's (5 of T = 20 epochs a linear ramp from 0). */
const CHAPTER_COSINE = { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 };
const chapterCosine = rates(cosine(CHAPTER_COSINE), 30);
const chapterWarmup = rates(cosine({ ...CHAPTER_COSINE, warmupSteps: 5 }), 30);

/**
 * Each chapter's panel as the site should make it: the chapter's schedules,
 * over the steps and in the unit of the curve that its cell plots.
 */
const PANELS = await Promise.all(
  book.filter((c) => c.playground).map(async (chapter) => {
    const { after, schedules } = chapter.playground!;
    const cell = chapter.cells.find((c) => c.kind === "code" && c.id === after) as CodeCell;
    const curve = (await cell.run({} as CellContext)).find((o) => o.kind === "schedule");
    assert(curve, `${chapter.slug}: the cell "${after}" plots a schedule`);
    const { steps, unit } = curve as ScheduleOutput;
    return { slug: chapter.slug, after, unit, state: panelState(steps.length, schedules) };
  }),
);
/** The playground page's own panel. */
const PAGE_PANEL = {
  unit: "step",
  state: panelState(bookPlayground.steps, bookPlayground.schedules),
};
const cosinePanel = PANELS.find((p) => p.slug === "cosine")!;

// ---- random states, from the library's table ----

function pick(option: OptionInfo, rand: () => number): OptionValue {
  const one = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  switch (option.type) {
    case "flag":
      return rand() < 0.5;
    case "choice":
      return one(option.choices!);
    case "steps":
      return one([[3], [5, 12], [0, 7, 30], [12, 5]]);
    case "integer":
      return (option.min ?? 0) + Math.floor(rand() * 40);
    default:
      // awkward numbers too: tiny, huge, many digits, exponents
      return one([0.1, 0.3, 1e-7, 2.5e21, 0.1 + 0.2, 1 / 3, 0.9, 0.999, 25, 1e4]);
  }
}

function randomState(rand: () => number): PanelState {
  const n = 1 + Math.floor(rand() * MAX_CURVES);
  const curves = Array.from({ length: n }, (): Curve => {
    const kind = PLAY_KINDS[Math.floor(rand() * PLAY_KINDS.length)];
    const options: Record<string, OptionValue> = { ...SCHEDULE_KINDS[kind].example };
    for (const option of ownOptions(kind)) {
      if (rand() < 0.5) options[option.name] = pick(option, rand);
    }
    const warmup = rand() < 0.5 ? null : {
      steps: Math.floor(rand() * 12),
      ...(rand() < 0.5 ? {} : { beginLr: pick(WARMUP_OPTIONS[1], rand) as number }),
      ...(rand() < 0.5 ? {} : { kind: pick(WARMUP_OPTIONS[2], rand) as string }),
    };
    // plateau: the example metrics, or a random list of losses (some repeated: plateaus)
    const metrics = kind === "plateau" && rand() < 0.5
      ? Array.from({ length: 1 + Math.floor(rand() * 40) }, () => Math.round(rand() * 4) / 4)
      : undefined;
    return canonical({ kind, options, warmup, ...(metrics ? { metrics } : {}) });
  });
  return { steps: 1 + Math.floor(rand() * 200), curves };
}

const STATES: PanelState[] = [
  ...PANELS.map((p) => p.state),
  PAGE_PANEL.state,
  ...(() => {
    const rand = random(8);
    return Array.from({ length: 300 }, () => randomState(rand));
  })(),
];

/** What each curve computes: its rates, or the library's error. */
function outcomes(state: PanelState): (number[] | string)[] {
  return state.curves.map((c) => {
    try {
      return scheduleRates(specOf(c), state.steps);
    } catch (error) {
      return (error as Error).message;
    }
  });
}

/** Import TypeScript text as a module (its `./lib/schedules/mod.ts` import made absolute). */
async function importText(code: string): Promise<Record<string, unknown>> {
  const mod = new URL("../lib/schedules/mod.ts", import.meta.url).href;
  const text = code.replace(`"${MOD_PATH}"`, `"${mod}"`);
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return await import(`data:application/typescript;base64,${btoa(binary)}`);
}

/** Evaluate a snippet of the panel: its `rates`, as one list per curve. */
async function snippetRates(code: string, curves: number): Promise<number[][]> {
  const { rates } = await importText(`${code}\nexport { rates };\n`) as {
    rates: number[] | number[][];
  };
  return curves === 1 ? [rates as number[]] : rates as number[][];
}

// ---- in memory ----

Deno.test("playground: the URL hash round-trips every state exactly", () => {
  for (const state of STATES) {
    const hash = encodeState(state);
    assert.match(hash, /^steps=\d+(&lr=[a-z]+[^&]*)+$/);
    assert(!/[\s#%]/.test(hash), `no characters a URL would escape: ${hash}`);
    const decoded = decodeState(`#${hash}`);
    assert("state" in decoded, hash);
    assert.deepEqual(decoded.state, state, hash);
    assert.equal(encodeState(decoded.state), hash);
  }
  // A link someone typed or a mail client escaped: defaults given, options in another order.
  for (
    const typed of [
      "#lr=cosine;max-update=20;final-lr=0;base-lr=0.3;warmup-kind=linear;warmup-steps=5",
      "#steps=30&lr=cosine%3Bmax-update=20%3Bbase-lr=0.3%3Bwarmup-steps=5",
    ]
  ) {
    const loose = decodeState(typed);
    assert("state" in loose, typed);
    assert.equal(
      encodeState(loose.state),
      "steps=30&lr=cosine;base-lr=0.3;max-update=20;warmup-steps=5",
    );
  }
  for (
    const [hash, error] of [
      ["#steps=30&lr=cosin", 'unknown schedule "cosin"'],
      ["#steps=30&lr=cosine;max-updat=3", 'unknown option "max-updat" for cosine'],
      ["#steps=0&lr=sqrt", 'steps ("0") must be an integer in [1, 5000]'],
      ["#steps=3&lr=sqrt&lr=sqrt&lr=sqrt&lr=sqrt", "at most 3 schedules"],
      [
        "#steps=3&lr=onecycle;anneal=cosine",
        'onecycle anneal ("cosine") must be one of cos, linear',
      ],
      ["#steps=3", "no schedule (lr=...)"],
      ["#steps=3&lr=multifactor;milestones=", "multifactor milestones needs at least one step"],
      ["#steps=3&lr=plateau;base-lr=1;metrics=1,x", 'metrics[1] ("x") is not a number'],
      ["#steps=3&lr=plateau;base-lr=1;metrics=", "metrics needs at least one number"],
      ["#steps=3&lr=sqrt;metrics=1", 'unknown option "metrics" for sqrt'],
    ]
  ) {
    assert.deepEqual(decodeState(hash), { error }, hash);
  }
});

Deno.test("playground: the command and the code it shows make exactly its curves", async () => {
  let valid = 0;
  for (const state of STATES) {
    const expected = outcomes(state);
    // The command, run through the CLI's own parser: the same rates, or a refusal.
    commandText(state).split("\n").forEach((line, i) => {
      assert(line.startsWith("deno task lr "));
      const args = line.slice("deno task lr ".length).split(" ");
      let cli: number[] | string;
      try {
        cli = computeRates(parseArgs(args));
      } catch (error) {
        cli = (error as Error).name;
      }
      if (typeof expected[i] === "string") assert.equal(cli, "UsageError", line);
      else assert.deepEqual(cli, expected[i], line);
    });
    // The TypeScript, run: the same rates for every valid curve.
    if (expected.every((e) => typeof e !== "string")) {
      valid++;
      if (valid % 4 !== 0 && state.curves.length === 1) continue; // enough to import
      assert.deepEqual(await snippetRates(snippetText(state), state.curves.length), expected);
    }
  }
  assert(valid > 100, `enough valid states (${valid})`);
  assert(
    STATES.some((s) => s.curves.some((c) => c.kind === "plateau" && c.metrics?.length !== 30)),
    "plateau curves with their own metrics were tried",
  );
});

Deno.test("playground: slider ranges hold the value and stay in the option's domain", () => {
  for (const kind of PLAY_KINDS) {
    for (const option of ownOptions(kind)) {
      if (!["rate", "number", "integer"].includes(option.type)) continue;
      for (const value of [SCHEDULE_KINDS[kind].example[option.name], option.default]) {
        if (typeof value !== "number") continue;
        const range = sliderRange(kind, option, value, 30);
        const where = `${kind}.${option.name} = ${value}`;
        assert(range.min <= value && value <= range.max, where);
        if (option.min !== undefined) assert(range.min >= option.min, where);
        if (option.above !== undefined) assert(range.min > option.above, where);
        if (option.max !== undefined) assert(range.max <= option.max, where);
        if (option.below !== undefined) assert(range.max < option.below, where);
        // The slider's ends are values of the option.
        assert.equal(fromSlider(range, toSlider(range, range.max)), range.max, where);
        assert.equal(fromSlider(range, toSlider(range, range.min)), range.min, where);
      }
    }
  }
});

async function buildBook() {
  const fs = memoryFs();
  const report = await buildSite({
    out: fs,
    chapters: book,
    index: bookIndex,
    playground: bookPlayground,
    bibliography,
    quick: QUICK,
    trainer: fakeTrainer(),
  });
  assert.deepEqual(report.pages.filter((p) => p.status === "failed"), []);
  const page = (path: string): Doc =>
    new DOMParser().parseFromString(decoder.decode(fs.files.get(path)!), "text/html");
  return { fs, report, page };
}

Deno.test("playground: each chapter's panel starts with exactly that chapter's curve", async () => {
  const { page } = await buildBook();
  const traces: number[][] = [];
  for (const chapter of book) {
    for (const script of page(`${chapter.slug}.html`).querySelectorAll("script.plot-data")) {
      const spec: PlotSpec = JSON.parse(script.textContent);
      if (spec.kind === "schedule") traces.push(...spec.traces.map((t) => t.y as number[]));
    }
  }
  assert.deepEqual(
    PANELS.map((p) => p.slug),
    ["schedulers", "factor", "multifactor", "cosine", "warmup"],
    "the schedule chapters have a panel",
  );
  for (const { slug, after } of PANELS) {
    const doc = page(`${slug}.html`);
    const figure = doc.querySelector(`#cell-${after} script.plot-data`);
    assert(figure, `${slug}: the cell "${after}" plots a schedule`);
    const spec: PlotSpec = JSON.parse(figure.textContent);
    const data: PanelData = JSON.parse(doc.querySelector("script.playground-data").textContent);
    const curves = outcomes(data.state);
    // The first curve is the chapter's figure; every other is a curve of the book.
    assert.deepEqual(curves[0], spec.traces[0].y, `${slug}: the chapter's curve`);
    assert.equal(spec.traces[0].x.length, data.state.steps);
    for (const curve of curves) {
      assert(traces.some((t) => JSON.stringify(t) === JSON.stringify(curve)), `${slug}: ${curve}`);
    }
  }
  assert.deepEqual(outcomes(cosinePanel.state), [chapterCosine, chapterWarmup]);
});

Deno.test("playground: the panel and its bundled script are on the right pages", async () => {
  const { fs, report, page } = await buildBook();
  for (const { path } of report.pages) {
    const doc = page(path);
    const panels = doc.querySelectorAll("[data-playground]");
    const scripts = [...doc.querySelectorAll("script[src]")].map((s: Doc) => s.getAttribute("src"));
    const slug = path.replace(/\.html$/, "");
    const preset = slug === "playground" ? PAGE_PANEL : PANELS.find((p) => p.slug === slug);
    // Every page links to the playground from its navigation.
    assert(doc.querySelector('nav.sidebar a[href="playground.html"]'), `${path}: navigation`);
    if (!preset) {
      assert.equal(panels.length, 0, `${path}: no panel`);
      assert(!scripts.includes("assets/playground.js"), `${path}: no playground script`);
      continue;
    }
    assert.equal(panels.length, 1, `${path}: one panel`);
    const panel = panels[0];
    assert.equal(panel.id, "playground");
    assert.equal(panel.tagName.toLowerCase(), "section");
    const data = JSON.parse(panel.querySelector("script.playground-data").textContent);
    assert.deepEqual(data, {
      state: preset.state,
      unit: preset.unit,
      playground: slug === "playground" ? null : "playground.html",
    });
    // Plotly, then the site's script, then the playground's.
    assert.deepEqual(
      scripts.filter((s: string) => /plotly|site\.js|playground/.test(s)),
      ["assets/plotly.min.js", "assets/site.js", "assets/playground.js"],
    );
    if (slug !== "playground") {
      // Right after the cell that plots the chapter's schedule, with a heading.
      assert.equal(
        panel.previousElementSibling?.id,
        `cell-${PANELS.find((p) => p.slug === slug)!.after}`,
        path,
      );
      assert.match(panel.querySelector(".pg-title").textContent, /shape this schedule/);
    }
  }
  // The playground's page: the panel, then every kind with its options, from the library's table.
  const doc = page("playground.html");
  assert.equal(doc.querySelector("h1").firstChild.textContent, "Schedule Playground");
  for (const kind of PLAY_KINDS) {
    const section = doc.querySelector(`#kind-${kind}`);
    assert(section, kind);
    const names = [...section.querySelectorAll("tbody tr td:first-child")].map((td: Doc) =>
      td.textContent
    );
    assert.deepEqual(names, ownOptions(kind).map((o) => o.name));
  }
  assert(page("index.html").querySelector('main a.playground-card[href="playground.html"]'));
  // The script is the library itself, bundled: its own messages are in it.
  const bundle = decoder.decode(fs.files.get("assets/playground.js")!);
  assert(bundle.startsWith("/* The book's schedule playground"));
  assert(bundle.includes("must be <= maxUpdate"), "cosine's own check is bundled");
  assert(bundle.includes("known options: "), "the library's validation is bundled");
  // A classic script (module scripts do not load from file://): it compiles as a function body.
  new Function(bundle);
  assert.match(bundle, /^\/\*[^\n]*\*\/\n\(\(\)=>\{/);
  assert(!/\bDeno\./.test(bundle), "nothing of Deno's");
});

// ---- in Chromium ----

interface Plotted {
  name: string;
  x: number[];
  y: number[];
  opacity: number;
  meta: { curve: string; valid: boolean };
}

const PLOTTED = `(() => {
  const plot = document.querySelector("#playground .pg-plot");
  return (plot && plot.data || []).map((d) => ({
    name: d.name, x: d.x, y: d.y, opacity: d.opacity ?? 1, meta: d.meta,
  }));
})()`;

/** Press and release a key, as a person would (Enter types a carriage return). */
async function key(cdp: Cdp, sessionId: string, key: string, code: number) {
  for (const type of ["keyDown", "keyUp"]) {
    await cdp.send("Input.dispatchKeyEvent", {
      type,
      key,
      code: key,
      windowsVirtualKeyCode: code,
      ...(type === "keyDown" && key === "Enter" ? { text: "\r" } : {}),
    }, sessionId);
  }
}

Deno.test({
  name: "playground: in Chromium, from file://",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "lr-book-playground-" });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const report = await buildSite({
      out: diskFs(dir),
      chapters: book,
      index: bookIndex,
      playground: bookPlayground,
      bibliography,
      quick: QUICK,
      quiet: true,
      trainer: fakeTrainer(),
    });
    assert(report.ok);
    const url = (path: string) => new URL(path, `file://${dir}/`).href;
    const browser = await launch();
    const { cdp } = browser;
    try {
      const open = async (path: string, scheme: "light" | "dark" = "light", phone = false) => {
        const { page, check } = await load(
          cdp,
          url(path),
          scheme,
          phone ? { width: 390, height: 844, mobile: true } : undefined,
        );
        const js = (expression: string) => evaluate(cdp, page.sessionId, expression);
        await waitFor(() => js(PLOTTED), (p: Plotted[]) => p.length > 0, {
          what: "the panel to draw",
        });
        return { page, check, js };
      };
      /** A screenshot of the panel. */
      const shoot = async (js: (e: string) => Promise<number>, session: string, name: string) => {
        await js("scrollTo(0, 0)"); // the sticky top bar and sidebar stay out of the picture
        const top = await js(
          `document.getElementById("playground").getBoundingClientRect().top + scrollY - 12`,
        );
        const height = await js(`document.getElementById("playground").offsetHeight + 24`);
        await screenshot(cdp, session, new URL(name, ARTIFACTS), height, top);
      };
      let link = "";
      let plottedBefore: Plotted[] = [];

      await t.step(
        "the cosine page reproduces the chapter's cosine and warmup curves",
        async () => {
          const { page, check, js } = await open("cosine.html");
          try {
            const plotted: Plotted[] = await js(PLOTTED);
            assert.deepEqual(plotted.map((p) => p.meta), [
              { curve: "A", valid: true },
              { curve: "B", valid: true },
            ]);
            assert.deepEqual(plotted[0].x, [...Array(30).keys()]);
            assert.deepEqual(plotted[0].y, chapterCosine, "cosine 0.3 -> 0.01, T = 20");
            assert.deepEqual(plotted[1].y, chapterWarmup, "the same with 5 warmup epochs");
            // ... which are the very numbers of the chapters' own figures.
            const figure = await js(
              `JSON.parse(document.querySelector("#cell-cosine-plot script.plot-data").textContent)`,
            );
            assert.deepEqual(plotted[0].y, figure.traces[0].y);
            const warmupPage = new DOMParser().parseFromString(
              await Deno.readTextFile(`${dir}/warmup.html`),
              "text/html",
            );
            const warmupFigure = JSON.parse(
              warmupPage.querySelector("#cell-warmup-plot script.plot-data").textContent,
            );
            assert.deepEqual(plotted[1].y, warmupFigure.traces[0].y);
            // Defaults leave the URL alone; the command and code say what is drawn.
            assert.equal(await js("location.hash"), "");
            assert.equal(
              await js(`document.querySelector("#playground .language-sh").textContent`),
              "deno task lr cosine --base-lr 0.3 --final-lr 0.01 --max-update 20 --steps 30\n" +
                "deno task lr cosine --base-lr 0.3 --final-lr 0.01 --max-update 20 --warmup-steps 5 --steps 30",
            );
            assert.deepEqual(check.errors, []);
          } finally {
            await page.close();
          }
        },
      );

      await t.step("moving a slider plots exactly what the library computes", async () => {
        const { page, check, js } = await open("cosine.html");
        const session = page.sessionId;
        try {
          // Keyboard: three presses of the right arrow on baseLr's slider.
          await js(`document.getElementById("playground-a-baseLr-range").focus()`);
          for (let i = 0; i < 3; i++) await key(cdp, session, "ArrowRight", 39);
          const baseLr = Number(await js(`document.getElementById("playground-a-baseLr").value`));
          assert.equal(baseLr, 0.303);
          // Mouse: a click a third of the way along maxUpdate's slider.
          const box = await js(`(() => {
            const el = document.getElementById("playground-a-maxUpdate-range");
            el.scrollIntoView({ block: "center" });
            const r = el.getBoundingClientRect();
            return { x: r.left + r.width / 3, y: r.top + r.height / 2 };
          })()`);
          for (const type of ["mousePressed", "mouseReleased"]) {
            await cdp.send("Input.dispatchMouseEvent", {
              type,
              x: box.x,
              y: box.y,
              button: "left",
              clickCount: 1,
            }, session);
          }
          const maxUpdate = Number(
            await js(`document.getElementById("playground-a-maxUpdate").value`),
          );
          assert(Number.isInteger(maxUpdate) && maxUpdate >= 5 && maxUpdate <= 15, `${maxUpdate}`);
          // Set by script, as a test would: a value and an input event.
          await js(`(() => {
            const el = document.getElementById("playground-steps-range");
            el.value = "40";
            el.dispatchEvent(new Event("input", { bubbles: true }));
          })()`);
          const expected = rates(cosine({ baseLr, finalLr: 0.01, maxUpdate }), 40);
          const plotted: Plotted[] = await waitFor(
            () => js(PLOTTED),
            (p: Plotted[]) => p[0].y.length === 40,
            { what: "the curve to move" },
          );
          assert.deepEqual(plotted[0].y, expected, `cosine(${baseLr}, 0.01, ${maxUpdate})`);
          assert.deepEqual(plotted[1].y, rates(cosine({ ...CHAPTER_COSINE, warmupSteps: 5 }), 40));
          // The command says the same, and the CLI computes the same.
          const command =
            (await js(`document.querySelector("#playground .language-sh").textContent`))
              .split("\n")[0];
          assert.equal(
            command,
            `deno task lr cosine --base-lr 0.303 --final-lr 0.01 --max-update ${maxUpdate} --steps 40`,
          );
          assert.deepEqual(computeRates(parseArgs(command.split(" ").slice(3))), expected);
          // The TypeScript shown, run as it is: the same curves.
          const code = await js(`document.querySelector("#playground .language-ts").textContent`);
          assert.deepEqual(await snippetRates(code, 2), plotted.map((p) => p.y));
          // The state is in the URL.
          const state: PanelState = {
            steps: 40,
            curves: [
              { kind: "cosine", options: { baseLr, finalLr: 0.01, maxUpdate }, warmup: null },
              cosinePanel.state.curves[1],
            ],
          };
          const hash = await waitFor(() => js("location.hash"), (h: string) => h !== "", {
            what: "the state to be written to the URL hash",
          });
          assert.equal(hash, `#${encodeState(state)}`);
          link = `cosine.html${hash}`;
          plottedBefore = plotted;
          assert.deepEqual(check.errors, []);
          await screenshot(
            cdp,
            session,
            new URL("playground-cosine-moved.png", ARTIFACTS),
            1800,
            0,
          );
        } finally {
          await page.close();
        }
      });

      await t.step("the URL hash reproduces the panel", async () => {
        for (const path of [link, link.replace("cosine.html", "playground.html")]) {
          const { page, check, js } = await open(path);
          try {
            assert.deepEqual(await js(PLOTTED), plottedBefore, path);
            const [, hash] = link.split("#");
            assert.equal(await js("location.hash"), `#${hash}`, "the link is left as it was");
            assert.equal(await js(`document.getElementById("playground").dataset.state`), hash);
            const values = await js(`[...document.querySelectorAll("#playground input")]
              .map((i) => i.type === "checkbox" ? i.checked : i.value)`);
            assert.deepEqual(values.slice(0, 6), ["40", "40", "0.303", "0.303", "0.01", "0.01"]);
            assert.deepEqual(check.errors, []);
          } finally {
            await page.close();
          }
        }
        // The chapter's panel links to the playground page with its state.
        const { page, js } = await open(link);
        try {
          assert.equal(
            await js(`document.querySelector("#playground .pg-open").getAttribute("href")`),
            `playground.html#${link.split("#")[1]}`,
          );
        } finally {
          await page.close();
        }
      });

      await t.step(
        "a number field steps in its last digit; a chapter's own #section stays",
        async () => {
          const { page, check, js } = await open("cosine.html#all-runs");
          try {
            await js(`document.getElementById("playground-a-baseLr").focus()`);
            await key(cdp, page.sessionId, "ArrowUp", 38);
            const value = await js(`document.getElementById("playground-a-baseLr").value`);
            assert.equal(value, "0.31", "0.3 -> 0.31, not 1.3");
            const plotted: Plotted[] = await waitFor(
              () => js(PLOTTED),
              (p: Plotted[]) => p[0].y[0] === 0.31,
              { what: "the curve to start at the new rate" },
            );
            assert.equal(plotted[0].y[0], 0.31);
            // "Copy link" writes the state at once where the page has no anchor; here it keeps it.
            await js(`[...document.querySelectorAll("#playground .pg-button")]
            .find((b) => b.textContent === "Copy link").click()`);
            assert.equal(await js("location.hash"), "#all-runs");
            assert.deepEqual(check.errors, []);
          } finally {
            await page.close();
          }
        },
      );

      await t.step("an invalid combination shows the library's own message", async () => {
        const { page, check, js } = await open("cosine.html");
        const session = page.sessionId;
        const type = async (id: string, text: string) => {
          await js(
            `(() => { const el = document.getElementById("${id}"); el.focus(); el.select(); })()`,
          );
          await cdp.send("Input.insertText", { text }, session);
        };
        const message = (fn: () => unknown) => {
          try {
            fn();
          } catch (error) {
            return (error as Error).message;
          }
          assert.fail("the library accepts it");
        };
        try {
          // Warmup longer than the schedule.
          await type("playground-b-warmup-steps", "25");
          const tooLong = message(() => cosine({ ...CHAPTER_COSINE, warmupSteps: 25 }));
          assert.equal(tooLong, "cosine: warmupSteps (25) must be <= maxUpdate (20)");
          const shown = await js(`(() => {
            const error = document.getElementById("playground-b-error");
            return {
              text: error.textContent,
              hidden: error.hidden,
              status: document.querySelector("#playground .pg-status").textContent,
              invalid: [...document.querySelectorAll('#playground [aria-invalid="true"]')].map((e) => e.id),
            };
          })()`);
          assert.equal(shown.text, tooLong);
          assert.equal(shown.hidden, false);
          assert(shown.status.includes(tooLong), shown.status);
          assert.deepEqual(shown.invalid.sort(), [
            "playground-b-maxUpdate",
            "playground-b-maxUpdate-range",
            "playground-b-warmup-steps",
            "playground-b-warmup-steps-range",
          ]);
          // Never a broken plot: the last valid curve stays, dimmed.
          const plotted: Plotted[] = await js(PLOTTED);
          assert.deepEqual(plotted[0].y, chapterCosine);
          assert.deepEqual(plotted[1].y, chapterWarmup);
          assert.deepEqual(plotted[1].meta, { curve: "B", valid: false });
          assert(plotted[1].opacity < 1);
          // The minimum above the maximum.
          await type("playground-a-finalLr", "0.5");
          const above = message(() => cosine({ ...CHAPTER_COSINE, finalLr: 0.5 }));
          assert.equal(
            await js(`document.getElementById("playground-a-error").textContent`),
            above,
          );
          await shoot(js, session, "playground-invalid.png");
          // Fixed, the curves come back.
          await type("playground-a-finalLr", "0.01");
          await type("playground-b-warmup-steps", "10");
          const fixed: Plotted[] = await js(PLOTTED);
          assert.deepEqual(fixed.map((p) => p.meta.valid), [true, true]);
          assert.deepEqual(fixed[1].y, rates(cosine({ ...CHAPTER_COSINE, warmupSteps: 10 }), 30));
          assert.equal(await js(`document.getElementById("playground-b-error").hidden`), true);
          assert.deepEqual(check.errors, []);
        } finally {
          await page.close();
        }
      });

      await t.step("plateau: the metrics typed are the metrics replayed", async () => {
        const { page, check, js } = await open("playground.html");
        const session = page.sessionId;
        try {
          await js(`(() => {
            const el = document.getElementById("playground-b-kind");
            el.value = "plateau";
            el.dispatchEvent(new Event("change", { bubbles: true }));
          })()`);
          const options = SCHEDULE_KINDS.plateau.example as { baseLr: number; patience: number };
          const start: Plotted[] = await waitFor(
            () => js(PLOTTED),
            (p: Plotted[]) => p[1]?.name === "B: plateau",
            { what: "plateau to be drawn" },
          );
          assert.deepEqual(start[1].y, rates(plateauSchedule(options, EXAMPLE_METRICS), 30));
          // Typed metrics, with spaces and a trailing comma, as a person types them.
          await js(`(() => {
            const el = document.getElementById("playground-b-metrics");
            el.scrollIntoView({ block: "center" });
            el.focus();
            el.select();
          })()`);
          await cdp.send("Input.insertText", { text: "1, 0.9 0.9, 0.9, 0.9, 0.8," }, session);
          const metrics = [1, 0.9, 0.9, 0.9, 0.9, 0.8];
          const expected = rates(plateauSchedule(options, metrics), 30);
          const typed: Plotted[] = await waitFor(
            () => js(PLOTTED),
            (p: Plotted[]) => JSON.stringify(p[1].y) === JSON.stringify(expected),
            { what: "the curve to follow the metrics" },
          );
          assert.equal(typed[1].y[3], 0.1);
          assert(typed[1].y[4] < 0.1, "two epochs without progress, patience 1: cut");
          const command =
            (await js(`document.querySelector("#playground .language-sh").textContent`))
              .split("\n")[1];
          assert.equal(
            command,
            "deno task lr plateau --base-lr 0.1 --patience 1 --metrics 1,0.9,0.9,0.9,0.9,0.8 --steps 30",
          );
          assert.deepEqual(computeRates(parseArgs(command.split(" ").slice(3))), expected);
          const code = await js(`document.querySelector("#playground .language-ts").textContent`);
          assert.deepEqual(await snippetRates(code, 2), typed.map((p) => p.y));
          await shoot(js, session, "playground-plateau.png");
          // Something that is not a number: the message, the field marked, the last curve dimmed.
          await cdp.send("Input.insertText", { text: " x" }, session);
          const shown = await waitFor(
            () =>
              js(`(() => {
                const error = document.getElementById("playground-b-error");
                return {
                  text: error.textContent,
                  hidden: error.hidden,
                  invalid: document.getElementById("playground-b-metrics").getAttribute("aria-invalid"),
                };
              })()`),
            (v: { hidden: boolean }) => !v.hidden,
            { what: "the error to be shown" },
          );
          assert.deepEqual(shown, {
            text: 'plateau: metrics[6] ("x") is not a number',
            hidden: false,
            invalid: "true",
          });
          const dimmed: Plotted[] = await js(PLOTTED);
          assert.deepEqual(dimmed[1].y, expected);
          assert.deepEqual(dimmed[1].meta, { curve: "B", valid: false });
          assert.deepEqual(check.errors, []);
        } finally {
          await page.close();
        }
      });

      await t.step("keyboard: every control is labelled, in reading order", async () => {
        const { page, js } = await open("playground.html");
        try {
          const unnamed = await js(`[...document.querySelectorAll(
            "#playground input, #playground select, #playground button, #playground a"
          )].filter((el) => {
            const label = el.id && document.querySelector('label[for="' + el.id + '"]');
            const by = el.getAttribute("aria-labelledby");
            return !(label || el.getAttribute("aria-label") ||
              (by && document.getElementById(by)) || el.textContent.trim());
          }).map((el) => el.outerHTML.slice(0, 80))`);
          assert.deepEqual(unnamed, []);
          // No control is taken out of reading order: the only tabindex is site.js's, on Plotly's
          // toolbar (out of the tab order) and on regions that scroll (into it, to scroll them).
          assert.equal(
            await js(`document.querySelectorAll(
              '#playground [tabindex]:not(.modebar-btn[tabindex="-1"]):not(.scrolls[tabindex="0"])'
            ).length`),
            0,
          );
          await js(`document.getElementById("playground-a-kind").focus()`);
          const order: string[] = [];
          for (let i = 0; i < 5; i++) {
            await key(cdp, page.sessionId, "Tab", 9);
            order.push(await js("document.activeElement.id"));
          }
          assert.deepEqual(order, [
            "playground-a-remove",
            "playground-a-baseLr",
            "playground-a-baseLr-range",
            "playground-a-finalLr",
            "playground-a-finalLr-range",
          ]);
          // The copy buttons work from the keyboard. The button says so for a moment only, so
          // every label it takes is recorded as it changes, however long the test takes to look.
          await js(`(() => {
            const button = document.querySelector("#playground .pg-output .copy");
            const labels = globalThis.lrTestLabels = [];
            new MutationObserver(() => labels.push(button.textContent))
              .observe(button, { childList: true, characterData: true, subtree: true });
            button.focus();
          })()`);
          await key(cdp, page.sessionId, "Enter", 13);
          const labels: string[] = await waitFor(
            () => js("globalThis.lrTestLabels"),
            (labels: string[]) => labels.length > 0,
            { what: "the copy button's label to change" },
          );
          assert.equal(labels[0], "Copied");
        } finally {
          await page.close();
        }
      });

      await t.step("touch: large targets on a phone, no sideways scrolling", async () => {
        const { page, check, js } = await open("cosine.html", "light", true);
        const session = page.sessionId;
        try {
          await cdp.send("Emulation.setTouchEmulationEnabled", {
            enabled: true,
            maxTouchPoints: 5,
          }, session);
          assert.equal(await js(`matchMedia("(pointer: coarse)").matches`), true);
          // A tap on a slider's track moves it there, and the curve with it.
          const box = await js(`(() => {
            const el = document.getElementById("playground-a-baseLr-range");
            el.scrollIntoView({ block: "center" });
            const r = el.getBoundingClientRect();
            return { x: r.left + r.width * 0.6, y: r.top + r.height / 2 };
          })()`);
          for (const type of ["touchStart", "touchEnd"]) {
            await cdp.send("Input.dispatchTouchEvent", {
              type,
              touchPoints: type === "touchEnd" ? [] : [{ x: box.x, y: box.y }],
            }, session);
          }
          const baseLr = Number(
            await waitFor(
              () => js(`document.getElementById("playground-a-baseLr").value`),
              (value: string) => Number(value) !== CHAPTER_COSINE.baseLr,
              { what: "the tap to move baseLr's slider" },
            ),
          );
          assert(baseLr > 0.5 && baseLr < 0.7, `tapped to ${baseLr}`);
          const plotted: Plotted[] = await js(PLOTTED);
          assert.deepEqual(plotted[0].y, rates(cosine({ ...CHAPTER_COSINE, baseLr }), 30));
          const small = await js(`[...document.querySelectorAll(
            "#playground input, #playground select, #playground button"
          )].map((el) => {
            const r = el.getBoundingClientRect();
            const box = el.type === "checkbox" ? el.closest("label").getBoundingClientRect() : r;
            return { id: el.id || el.className, w: box.width, h: box.height };
          }).filter((b) => b.h < 24 || b.w < 24)`);
          assert.deepEqual(small, [], "targets of at least 24 px");
          const sliderHeight = await js(
            `document.getElementById("playground-a-baseLr-range").getBoundingClientRect().height`,
          );
          assert(sliderHeight >= 40, `slider height ${sliderHeight}`);
          const overflow = await js(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth",
          );
          assert(overflow <= 1, `no sideways scrolling (${overflow}px)`);
          assert.deepEqual(check.errors, []);
          await shoot(js, session, "playground-phone.png");
        } finally {
          await page.close();
        }
      });

      await t.step("light and dark: the panel follows the theme", async () => {
        for (const scheme of ["light", "dark"] as const) {
          const { page, check, js } = await open("playground.html", scheme);
          try {
            assert.equal(await js("document.documentElement.dataset.theme"), scheme);
            assert.deepEqual(check.errors, []);
            const offline = check.requests.filter((u) => !/^(file|data|blob|about):/.test(u));
            assert.deepEqual(offline, [], "only local files");
            await screenshot(cdp, page.sessionId, new URL(`playground-${scheme}.png`, ARTIFACTS));
            if (scheme === "light") {
              const legend =
                `getComputedStyle(document.querySelector("#playground .legendtext")).fill`;
              const before = await js(legend);
              await js(`document.querySelector(".theme-toggle").click()`);
              await waitFor(() => js(legend), (fill) => fill !== before, {
                what: "the panel to be redrawn in the dark theme",
              });
              await js(`localStorage.removeItem("lr-book-theme")`);
            }
          } finally {
            await page.close();
          }
        }
      });
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
