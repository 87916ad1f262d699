/**
 * The schedule playground, in memory: the state's URL hash round-trips
 * exactly; the command and the TypeScript it shows reproduce its curves; each
 * chapter's panel starts from that chapter's own curve; the panel, its data
 * and the bundled script are on the right pages (read back with linkedom,
 * from one build of the book with made-up training).
 *
 * The panel in Chromium is `browser/playground.ts`'s (run by `browser_test.ts`,
 * which shares one build and one Chromium among the browser tests).
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
import type { PanelData } from "../lib/playground/presets.ts";
import { fromSlider, sliderRange, toSlider } from "../lib/playground/ranges.ts";
import {
  canonical,
  commandText,
  type Curve,
  decodeState,
  encodeState,
  MAX_CURVES,
  type PanelState,
  PLAY_KINDS,
  snippetText,
} from "../lib/playground/state.ts";
import { computeRates, parseArgs } from "../lib/preview/cli.ts";
import {
  type OptionInfo,
  type OptionValue,
  ownOptions,
  SCHEDULE_KINDS,
  WARMUP_OPTIONS,
} from "../lib/preview/kinds.ts";
import { mulberry32 as random } from "../lib/train/rng.ts";
import { buildSite, QUICK } from "../lib/site/build.ts";
import type { PlotSpec } from "../lib/site/figures.ts";
import { memoryFs } from "../lib/site/fs.ts";
import { fakeTrainer } from "./_fake_trainer.ts";
import {
  chapterCosine,
  chapterWarmup,
  cosinePanel,
  outcomes,
  PAGE_PANEL,
  PANELS,
  snippetRates,
} from "./_playground.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;

const decoder = new TextDecoder();

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

/** The book, built in memory with made-up training, and a reader of its pages. */
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

/** {@linkcode buildBook}, once for the tests that read it. */
const builtBook = () => (built ??= buildBook());
let built: ReturnType<typeof buildBook> | undefined;

Deno.test("playground: each chapter's panel starts with exactly that chapter's curve", async () => {
  const { page } = await builtBook();
  const traces: number[][] = [];
  for (const chapter of book) {
    for (const script of page(`${chapter.slug}.html`).querySelectorAll("script.plot-data")) {
      const spec: PlotSpec = JSON.parse(script.textContent);
      if (spec.kind === "schedule") traces.push(...spec.traces.map((t) => t.y as number[]));
    }
  }
  assert.deepEqual(
    PANELS.map((p) => p.slug),
    ["schedulers", "factor", "multifactor", "cosine", "sgdr", "warmup"],
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
  const { fs, report, page } = await builtBook();
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
