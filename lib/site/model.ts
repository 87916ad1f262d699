/**
 * The page model: what a page says, before it is HTML. A chapter run (every
 * output and every evaluated prose cell) becomes a {@linkcode ChapterPage} of
 * {@linkcode Block}s; the renderer (./render.ts) only lays them out.
 *
 * To add a new kind of content (as the schedule playground's panel was
 * added), add a member to {@linkcode Block}, produce it here, and render it in
 * ./render.ts, whose `switch` is exhaustive so the compiler points at every
 * place that must learn about it. Its client code goes in `assets/` and is
 * listed in {@linkcode SiteModel.scripts}.
 *
 * @module
 */

import type { ChapterRun } from "../book/run.ts";
import { groupOutputs, outcome } from "../book/outputs.ts";
import { formatMeanSd, formatRange, groupSpread } from "../book/spread.ts";
import { describeGroup, describeRun, short } from "../book/terminal.ts";
import type { Cell, Chapter, ChapterPlayground, Output, SeedRuns } from "../book/types.ts";
import type { RunResult } from "../train/types.ts";
import {
  comparisonFigure,
  type FigureContent,
  multiplesFigure,
  runFigure,
  runsFigure,
  scheduleFigure,
  type TableModel,
} from "./figures.ts";
import {
  domainOf,
  type KindInfo,
  ownOptions,
  SCHEDULE_KINDS,
  WARMUP_OPTIONS,
} from "../preview/kinds.ts";
import {
  type PanelData,
  panelState,
  PLAYGROUND_HREF,
  type PlaygroundStart,
} from "../playground/presets.ts";
import { PLAY_KINDS } from "../playground/state.ts";
import { SUBSET, type TrainerData } from "../playground/train_protocol.ts";
import { html, raw, type SafeHtml } from "./html.ts";
import { type Heading, markdownRenderer, type Numbered, resolveRefs } from "./markdown.ts";
import { type Bibliography, REFERENCES_HREF } from "./bibliography.ts";
import { cutRegion } from "./source.ts";

/** How the numbers of a quick build were cut down. */
export interface QuickBuild {
  /** Epochs per training run. */
  epochs: number;
  /** Training images used. */
  trainSize: number;
  /** Test images used. */
  testSize: number;
}

/** A chapter in the navigation. */
export interface ChapterLink {
  /** The chapter's slug. */
  slug: string;
  /** The chapter's title. */
  title: string;
  /** The chapter's page, e.g. `cosine.html`. */
  href: string;
  /** 1-based position in the book. */
  number: number;
}

/** What every page shares. */
export interface SiteModel {
  /** The book's title. */
  title: string;
  /** The chapters, in reading order, for the navigation. */
  chapters: ChapterLink[];
  /** Set when the numbers come from a quick build (every page says so). */
  quick: QuickBuild | null;
  /** Scripts every page loads after Plotly and before `site.js`, as site paths. */
  scripts: string[];
  /** The schedule playground's page, linked from the navigation and the index (if built). */
  playground: { href: string; title: string } | null;
  /** The bibliography's page, linked from the navigation (if the book has a bibliography). */
  references: { href: string; title: string } | null;
  /** The book's bibliography (what citations link to). */
  bibliography: Bibliography;
}

/** A numbered figure of a page. */
export interface Figure extends FigureContent {
  /**
   * The element id, from the cell that drew it: `"fig-cosine-plot"`, then `"fig-cosine-plot-2"`
   * for its second figure; the text refers to it as `[the schedule](fig:cosine-plot)`.
   */
  id: string;
  /** 1-based number on the page. */
  number: number;
  /** The number as shown, by chapter: `"7.1"` (or `"1"` on a page that is no chapter). */
  label: string;
}

/** A numbered table of a cell's output. */
export interface NumberedTable {
  /** The element id, `"tbl-" + cell id` (then `-2`, ...). */
  id: string;
  /** The number as shown, `"7.1"`. */
  number: string;
  /** What the table is (the cell's caption). */
  caption: string;
  table: TableModel;
}

/** What a code cell printed or computed, in order. */
export type OutputBlock =
  | { kind: "figure"; figure: Figure }
  /** A run (or a group over seeds) brought in only to compare against: one line, no figure. */
  | { kind: "reference"; name: string; text: string }
  | { kind: "text"; text: string }
  | { kind: "table"; table: NumberedTable }
  /**
   * Outputs folded away behind a disclosure: the runs a cell brought in only to compare against,
   * one line each; the schedule figure a playground draws again.
   */
  | { kind: "folded"; summary: string; blocks: OutputBlock[] };

/** An entry of a page's "on this page" list: a section, a code cell, a figure, a panel. */
export interface TocEntry {
  kind: "section" | "cell" | "figure" | "panel";
  /** 2 for sections, 3 for subsections and for what is inside a section. */
  depth: number;
  /** The anchor. */
  id: string;
  /** The entry's text, as markup. */
  html: SafeHtml;
}

/** A piece of a page, in reading order. */
export type Block =
  | { kind: "prose"; html: SafeHtml }
  | {
    kind: "cell";
    id: string;
    caption: string;
    /** The source region shown: exactly the code that ran. */
    code: string;
    /** Library regions the cell relies on, shown beside it. */
    see: SourceRegion[];
    outputs: OutputBlock[];
  }
  | { kind: "comparison"; figure: Figure }
  /** The schedule playground, preset to the chapter's schedule. */
  | { kind: "playground"; panel: PanelModel }
  /**
   * A section folded behind a disclosure (its heading said `{#id .folded}`): the heading, with
   * its id, is the disclosure's summary.
   */
  | { kind: "fold"; id: string; heading: SafeHtml; blocks: Block[] };

/** A schedule playground panel (its controls are built by its script, `lib/playground/client.ts`). */
export interface PanelModel {
  /** The element id (one panel per page: the URL hash is its state). */
  id: string;
  /** A heading over the panel, or `null` when the page's own heading says it all. */
  title: string | null;
  /** What the panel is, one or two sentences. */
  lede: SafeHtml | null;
  /** The starting state, the x axis' unit, the playground page's link. */
  data: PanelData;
  /** The level of the panel's heading: one below the section it is in. */
  level?: 2 | 3;
  /** The training panel beside it, if the page has one. */
  trainer?: TrainerModel;
}

/** The training panel beside a playground (its controls are built by lib/playground/trainer.ts). */
export interface TrainerModel {
  /** The element id. */
  id: string;
  /** Its heading. */
  title: string;
  /** What it does, and what it is not. */
  lede: SafeHtml;
  /** What is drawn beside the page's run: the chapter's full-size run, or why none is. */
  compare: SafeHtml;
  /** The level of its heading (the playground's, or 2 where the playground has none). */
  level: 2 | 3;
  /** The chapter's full-size run and the scripts to load. */
  data: TrainerData;
}

/** The id of a page's training panel. */
export const TRAINER_ID = "train";

const thousands = (n: number) => n.toLocaleString("en-US");

/**
 * The training panel of a page, from what the build found for it.
 *
 * @param data The chapter's full-size run (or why there is none), and the scripts.
 * @param level The level of its heading.
 * @returns The panel.
 */
export function trainerModel(data: TrainerData, level: 2 | 3): TrainerModel {
  const md = markdownRenderer();
  const full = data.full;
  const lede = md.inline(
    `Press Train and LeNet trains here, in a worker thread of this page (two, each taking half ` +
      `of every minibatch, where the page is cross-origin isolated, as \`deno task serve\` ` +
      `serves it), with a schedule of the ` +
      `playground as it is at that moment: the same engine code as the chapters (\`lib/train\`, ` +
      `its training loop and its WebAssembly kernels, bundled for the page), on a class-balanced ` +
      `subset of the real Fashion-MNIST shipped with the site (${thousands(SUBSET.train)} ` +
      `training and ${thousands(SUBSET.test)} test images, a tenth of each class), in ` +
      `minibatches of 256. The same settings give the same numbers as \`lib/train\` in Deno ` +
      `with as many workers.`,
  );
  const last = full?.history.at(-1);
  const compare = full === null ? md.inline(data.fullNote ?? "") : md.inline(
    `Dashed grey, for comparison: the chapter's full-size run, "${full.name}", from the ` +
      `frozen results: ${thousands(full.trainSize)} training and ${thousands(full.testSize)} ` +
      `test images, ${full.epochs} epochs, seed ${full.seed}${
        last ? `, ending at a test accuracy of ${(100 * last.testAcc).toFixed(2)}%` : ""
      }${full.divergedAt === null ? "" : ` (it diverged in epoch ${full.divergedAt})`}. ` +
      `The run in the page is much smaller (at most ${thousands(SUBSET.train)} training ` +
      `images), so it ends lower: compare the shapes of the curves, not their heights.`,
  );
  return {
    id: TRAINER_ID,
    title: "Train it: LeNet on this schedule, in your browser",
    lede,
    compare,
    level,
    data,
  };
}

/** A region of a library file, as shown beside a cell. */
export interface SourceRegion {
  /** The file, relative to the project root (e.g. `lib/train/lenet.ts`). */
  path: string;
  /** The region's name. */
  region: string;
  /** The region's code. */
  code: string;
}

/** A chapter's page. */
export interface ChapterPage {
  /** What kind of page this is. */
  kind: "chapter";
  /** The chapter's slug. */
  slug: string;
  /** The page's file, e.g. `cosine.html`. */
  href: string;
  /** The chapter's title (in the navigation and the window title). */
  title: string;
  /** The page heading: the first prose cell's `# heading` if it starts with one, else the title. */
  heading: SafeHtml;
  /** What the page shows, in reading order. */
  blocks: Block[];
  /** Section headings (levels 2 and 3) for the "on this page" list. */
  headings: Heading[];
  /** The "on this page" list: sections, with the cells and figures in them. */
  toc: TocEntry[];
  /** The page's figures, numbered in order. */
  figures: Figure[];
  /** The chapter's number in the book. */
  number: number;
  /** The section of the original book this chapter follows, if there is one. */
  original: { title: string; href: string } | null;
  /** The works the chapter cites, in order of first citation (keys of the bibliography). */
  cited: string[];
  /** Whether the page shows training runs (then a quick build's note applies to it). */
  trained: boolean;
  /** The chapter before, if any. */
  prev: ChapterLink | null;
  /** The chapter after, if any. */
  next: ChapterLink | null;
}

/** The index page. */
export interface IndexPage {
  /** What kind of page this is. */
  kind: "index";
  /** The page's file. */
  href: "index.html";
  /** The page's title. */
  title: string;
  /** The introduction (what the book is). */
  intro: SafeHtml;
  /** One entry per chapter with a one-line summary. */
  contents: { link: ChapterLink; summary: SafeHtml | null; runs: number }[];
  /** How to run the book (the README's commands, highlighted). */
  howTo: SafeHtml;
}

/** One kind in the playground page's reference: its options and their domains. */
export interface KindReference {
  /** The kind's name, e.g. `cosine`. */
  kind: string;
  /** What the kind computes. */
  doc: string;
  /** Its options: name, type, domain, default and what each does. */
  options: { name: string; type: string; domain: string; default: string | null; doc: string }[];
}

/** The playground's own page. */
export interface PlaygroundPage {
  /** What kind of page this is. */
  kind: "playground";
  /** The page's file. */
  href: string;
  /** The page's title. */
  title: string;
  /** What the playground is and how to use it. */
  intro: SafeHtml;
  /** The panel. */
  panel: PanelModel;
  /** Every kind the panel offers, with its options (from the library's table). */
  kinds: KindReference[];
  /** What the warmup takes, for every kind. */
  warmup: KindReference["options"];
}

/** The bibliography's page. */
export interface ReferencesPage {
  /** What kind of page this is. */
  kind: "references";
  /** The page's file. */
  href: string;
  /** The page's title. */
  title: string;
  /** For each work, the chapters that cite it. */
  citedBy: ReadonlyMap<string, ChapterLink[]>;
}

/** Any page. */
export type Page = ChapterPage | IndexPage | PlaygroundPage | ReferencesPage;

/** The anchor and heading of a page's comparison of all its runs. */
export const COMPARISON_ID = "all-runs";
/** The title of a page's comparison of all its runs. */
export const COMPARISON_TITLE = "All runs compared";

/** The navigation entries of `chapters`. */
export function chapterLinks(chapters: readonly Pick<Chapter, "slug" | "title">[]): ChapterLink[] {
  return chapters.map((c, i) => ({
    slug: c.slug,
    title: c.title,
    href: `${c.slug}.html`,
    number: i + 1,
  }));
}

/** The library regions a code cell shows beside it (`CodeCell.see`). */
export function seeRefs(cell: Cell): { source: string; region: string }[] {
  if (cell.kind !== "code") return [];
  return (cell as { see?: { source: string; region: string }[] }).see ?? [];
}

/** A `# Title` line opening a chapter's first prose cell. */
const TITLE_LINE = /^\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|$)/;

/** A problem in a chapter that keeps its page from being built. */
export class PageError extends Error {
  /** The error's name. */
  override name = "PageError";
}

function outputBlocks(
  outputs: Output[],
  cellId: string,
  figure: (content: FigureContent, cellId: string) => Figure,
  table: (t: TableModel, cellId: string) => NumberedTable,
  runs: RunResult[],
  seedGroups: SeedRuns[],
): OutputBlock[] {
  const groups = groupOutputs(outputs);
  const own = groups.flatMap((g) => (g.kind === "run" && !g.reference ? [g.run] : []));
  // Many runs of one cell: small multiples, one panel per run on shared axes, instead of one
  // crowded figure or a full-size figure each.
  const multiples = own.length >= FOLD_RUNS;
  const blocks = groups.flatMap((group): OutputBlock[] => {
    if (group.kind === "curves") {
      return [{ kind: "figure", figure: figure(scheduleFigure(group.curves, cellId), cellId) }];
    }
    if (group.kind === "text") return [{ kind: "text", text: group.text }];
    if (group.kind === "table") {
      return [{
        kind: "table",
        table: table({
          columns: group.columns,
          rows: group.rows.map((r) => r.map((v) => (typeof v === "number" ? short(v) : v))),
          numeric: group.columns.map((_c, i) =>
            group.rows.length > 0 &&
            group.rows.every((r) => typeof r[i] === "number" || NUMBER_LIKE.test(r[i] as string))
          ),
        }, cellId),
      }];
    }
    if (group.kind === "runs") {
      seedGroups.push(group);
      if (!group.reference) return [{ kind: "figure", figure: figure(runsFigure(group), cellId) }];
      const s = groupSpread(group);
      return [{
        kind: "reference",
        name: group.label,
        text: `final test accuracy ${formatMeanSd(s.finalTestAcc, "accuracy")} (mean ± sd; ` +
          `min–max ${formatRange(s.finalTestAcc, "accuracy")}); ${describeGroup(group)}.`,
      }];
    }
    runs.push(group.run);
    if (!group.reference) {
      return multiples ? [] : [{ kind: "figure", figure: figure(runFigure(group.run), cellId) }];
    }
    return [{
      kind: "reference",
      name: group.run.name,
      text: `${outcome(group.run)}; ${describeRun(group.run)}.`,
    }];
  });
  if (multiples) {
    const grid = figure(multiplesFigure(own, `of cell "${cellId}"`), cellId);
    return [...blocks, { kind: "figure", figure: grid }];
  }
  // Many runs shown only for comparison (their numbers are in the cell's table): one line each,
  // folded away, so the page does not say the same numbers twice.
  const references = blocks.filter((b) => b.kind === "reference");
  if (references.length >= FOLD_RUNS - 1) {
    return [
      ...blocks.filter((b) => b.kind !== "reference"),
      {
        kind: "folded",
        summary: `The ${references.length} runs compared, with their settings`,
        blocks: references,
      },
    ];
  }
  return blocks;
}

/** A table cell that holds a number: `0.3`, `+0.07 pp`, `96.76% (30)`, `30 (diverged)`. */
const NUMBER_LIKE =
  /^[+\-−]?\d[\d,.]*(?:e[+\-−]?\d+)?\s?(?:%|pp|s)?(?:\s\((?:epoch\s)?[\w.%\s]+\))?$|^–$/;

/** A cell with this many runs shows them as small multiples, one panel each, not a figure each. */
export const FOLD_RUNS = 4;

/** More runs than this on a page are not compared all together (they compare within cells). */
export const COMPARE_AT_MOST = 12;

/**
 * The page of a chapter from its run.
 *
 * @param chapter The chapter (cells in order).
 * @param run What running it produced: outputs by cell, prose as evaluated.
 * @param source The text of the chapter's module (code regions are cut from it).
 * @param links The book's chapters, for previous/next.
 * @param files The text of every file a cell's `see` names, by URL, and the
 *   project root they are shown relative to.
 * @returns The page; with the chapter's schedule playground, if it has one,
 *   right after the cell it follows.
 * @throws {PageError} naming the chapter and cell when a region is missing,
 *   a formula does not render, or the playground follows no cell that plots a
 *   schedule.
 */
export function chapterPage(
  chapter: Chapter,
  run: ChapterRun,
  source: string,
  links: ChapterLink[],
  files: {
    texts: ReadonlyMap<string, string>;
    root: URL;
    /** The book's bibliography, which citations must name. */
    bibliography?: Bibliography;
    /** The training panel's data, for a chapter with a playground (none: no training panel). */
    trainer?: TrainerData;
  } = {
    texts: new Map(),
    root: new URL("file:///"),
  },
): ChapterPage {
  const index = links.findIndex((l) => l.slug === chapter.slug);
  const number = index + 1;
  const prefix = index >= 0 ? `${number}.` : "";
  const figures: Figure[] = [];
  const tables: NumberedTable[] = [];
  const runs: RunResult[] = [];
  const groups: SeedRuns[] = [];
  const md = markdownRenderer({
    chapter: index >= 0 ? number : undefined,
    tables: () => tables.length,
    cite: citeIn(files.bibliography),
    requireCaptions: true,
  });
  /** Ids by cell: the first of a cell is `fig-ID`, the next `fig-ID-2`, ... */
  const perCell = new Map<string, number>();
  const idFor = (kind: "fig" | "tbl", cellId: string) => {
    const n = (perCell.get(`${kind}:${cellId}`) ?? 0) + 1;
    perCell.set(`${kind}:${cellId}`, n);
    return n === 1 ? `${kind}-${cellId}` : `${kind}-${cellId}-${n}`;
  };
  const figure = (content: FigureContent, cellId: string): Figure => {
    const n = figures.length + 1;
    const numbered = { ...content, number: n, label: `${prefix}${n}`, id: idFor("fig", cellId) };
    figures.push(numbered);
    return numbered;
  };
  const captions = new Map(
    chapter.cells.flatMap((c) => (c.kind === "code" ? [[c.id, c.caption] as const] : [])),
  );
  const table = (t: TableModel, cellId: string): NumberedTable => {
    const numbered: NumberedTable = {
      id: idFor("tbl", cellId),
      number: `${prefix}${tables.length + md.tables.length + 1}`,
      caption: `${captions.get(cellId) ?? cellId}.`,
      table: t,
    };
    tables.push(numbered);
    return numbered;
  };
  const outputs = new Map(run.cells.map((c) => [c.id, c.outputs]));
  const blocks: Block[] = [];
  /** The headings of each prose block, by the block's index. */
  const headingsAt = new Map<number, Heading[]>();
  let prose = 0;
  let heading = html`${chapter.title}`;
  for (const cell of chapter.cells) {
    const where = `chapter "${chapter.slug}"`;
    if (cell.kind === "prose") {
      let markdown = run.prose[prose++] ?? "";
      try {
        const title = blocks.length === 0 ? markdown.match(TITLE_LINE) : null;
        if (title) {
          heading = md.inline(title[1]);
          markdown = markdown.slice(title[0].length);
        }
        const before = md.headings.length;
        if (markdown.trim()) blocks.push({ kind: "prose", html: md.render(markdown) });
        if (md.headings.length > before) {
          headingsAt.set(blocks.length - 1, md.headings.slice(before));
        }
      } catch (error) {
        throw new PageError(`${where}, prose cell ${prose}: ${(error as Error).message}`);
      }
      continue;
    }
    let code: string;
    try {
      code = cutRegion(source, cell.id);
    } catch (error) {
      throw new PageError(`${where}, code cell "${cell.id}": ${(error as Error).message}`);
    }
    const see = seeRefs(cell).map((ref): SourceRegion => {
      const text = files.texts.get(ref.source);
      const path = ref.source.startsWith(files.root.href)
        ? ref.source.slice(files.root.href.length)
        : ref.source;
      if (text === undefined) {
        throw new PageError(`${where}, code cell "${cell.id}": cannot read ${path}`);
      }
      try {
        return { path, region: ref.region, code: cutRegion(text, ref.region) };
      } catch (error) {
        throw new PageError(
          `${where}, code cell "${cell.id}", see ${path}: ${(error as Error).message}`,
        );
      }
    });
    blocks.push({
      kind: "cell",
      id: cell.id,
      caption: cell.caption,
      code,
      see,
      outputs: outputBlocks(outputs.get(cell.id) ?? [], cell.id, figure, table, runs, groups),
    });
  }
  if (chapter.playground) {
    const { after } = chapter.playground;
    const at = blocks.findIndex((b) => b.kind === "cell" && b.id === after);
    const curve = outputs.get(after)?.find((o) => o.kind === "schedule");
    if (at < 0 || curve?.kind !== "schedule") {
      throw new PageError(
        `chapter "${chapter.slug}": its playground follows the cell "${after}", ` +
          `but ${at < 0 ? "there is no such code cell" : "that cell plots no schedule"}`,
      );
    }
    // The panel's heading sits one level below the section it is in.
    const inSection = [...headingsAt.entries()].some(([i, hs]) =>
      i <= at && hs.some((h) => h.depth === 2)
    );
    const level = inSection ? 3 as const : 2 as const;
    const panel = {
      ...chapterPanel(chapter.playground, curve.steps.length, curve.unit),
      level,
      ...(files.trainer ? { trainer: trainerModel(files.trainer, level) } : {}),
    };
    blocks.splice(at + 1, 0, { kind: "playground", panel });
    // The panel draws the cell's curve again, live: the cell's own figure is folded away.
    const cell = blocks[at];
    if (cell.kind === "cell") {
      cell.outputs = cell.outputs.map((o): OutputBlock =>
        o.kind === "figure" && o.figure.kind === "schedule"
          ? {
            kind: "folded",
            summary: `The cell's own figure (Fig.\u00a0${o.figure.label}), drawn again by the ` +
              `playground below`,
            blocks: [o],
          }
          : o
      );
    }
    for (const i of [...headingsAt.keys()].filter((i) => i > at).sort((a, b) => b - a)) {
      headingsAt.set(i + 1, headingsAt.get(i)!);
      headingsAt.delete(i);
    }
  }
  const headings = md.headings.filter((h) => h.depth === 2 || h.depth === 3);
  // Every distinct run and group the page shows, references included (they are there to be
  // compared); a group is the same group when its runs are.
  const distinct = [...new Map(runs.map((r) => [r.key, r])).values()];
  const distinctGroups = [
    ...new Map(groups.map((g) => [g.runs.map((r) => r.key).join(" "), g])).values(),
  ];
  const shown = distinct.length + distinctGroups.length;
  if (shown >= 2 && shown <= COMPARE_AT_MOST) {
    const f = figure(comparisonFigure(distinct, distinctGroups), COMPARISON_ID);
    blocks.push({ kind: "comparison", figure: f });
    const comparison = {
      depth: 2,
      id: COMPARISON_ID,
      text: COMPARISON_TITLE,
      html: html`${COMPARISON_TITLE}`,
    };
    headings.push(comparison);
    headingsAt.set(blocks.length - 1, [comparison]);
  }
  // Cross-references: every figure, table and equation the text names must be on the page.
  const lookup = (kind: "fig" | "tbl" | "eq", name: string): Numbered | null => {
    if (kind === "fig") {
      const f = figures.find((f) => f.id === `fig-${name}`);
      return f ? { id: f.id, number: f.label } : null;
    }
    if (kind === "tbl") {
      return [...tables, ...md.tables].find((t) => t.id === `tbl-${name}`) ?? null;
    }
    return md.equations.get(name) ?? null;
  };
  const resolved = blocks.map((b): Block => {
    if (b.kind !== "prose") return b;
    try {
      return { ...b, html: raw(resolveRefs(b.html.value, lookup)) };
    } catch (error) {
      throw new PageError(`chapter "${chapter.slug}": ${(error as Error).message}`);
    }
  });
  return {
    kind: "chapter",
    slug: chapter.slug,
    href: `${chapter.slug}.html`,
    title: chapter.title,
    heading,
    blocks: foldSections(resolved),
    headings,
    toc: pageToc(resolved, headingsAt),
    figures,
    number,
    original: chapter.original ?? null,
    cited: [...md.cited],
    // Runs over seeds count too: most chapters train nothing else.
    trained: runs.length > 0 || groups.length > 0,
    prev: index > 0 ? links[index - 1] : null,
    next: index >= 0 && index + 1 < links.length ? links[index + 1] : null,
  };
}

/** A heading marked `{#id .folded}` opening a prose block, and what follows it. */
const FOLDED_HEADING = /^<h([23]) id="([^"]+)" class="folded">([\s\S]*?)<\/h\1>\n?/;

/**
 * The sections whose heading says `.folded`, each behind a disclosure: from its heading to the
 * next heading of its level that is not folded, or to the page's comparison.
 */
function foldSections(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  let fold: (Block & { kind: "fold" }) | null = null;
  let level = 2;
  for (const b of blocks) {
    if (b.kind === "prose") {
      const m = b.html.value.match(FOLDED_HEADING);
      if (m) {
        const heading = m[0].replace(/<a class="anchor"[^>]*>#<\/a>/, "");
        fold = { kind: "fold", id: m[2], heading: raw(heading.trim()), blocks: [] };
        level = Number(m[1]);
        out.push(fold);
        const rest = b.html.value.slice(m[0].length);
        if (rest.trim()) fold.blocks.push({ kind: "prose", html: raw(rest) });
        continue;
      }
      const ends = level === 2 ? /<h2[ >]/ : /<h[23][ >]/;
      if (fold && ends.test(b.html.value)) fold = null;
    }
    if (b.kind === "comparison") fold = null;
    (fold ? fold.blocks : out).push(b);
  }
  return out;
}

/** The link of a citation, checked against the bibliography (no bibliography: no links). */
function citeIn(bibliography: Bibliography | undefined): ((key: string) => string) | undefined {
  if (bibliography === undefined) return undefined;
  return (key) => {
    if (!bibliography.some((r) => r.key === key)) {
      throw new Error(
        `a citation of "${key}", which is not in the bibliography (chapters/references.ts)`,
      );
    }
    return `${REFERENCES_HREF}#ref-${key}`;
  };
}

/** The "on this page" list: each section, and in it its cells (with their figures) and panel. */
function pageToc(blocks: readonly Block[], headingsAt: ReadonlyMap<number, Heading[]>): TocEntry[] {
  const toc: TocEntry[] = [];
  let depth = 1;
  blocks.forEach((b, i) => {
    for (const h of headingsAt.get(i) ?? []) {
      if (h.depth !== 2 && h.depth !== 3) continue;
      toc.push({ kind: "section", depth: h.depth, id: h.id, html: h.html });
      depth = h.depth;
    }
    const inner = Math.min(depth + 1, 4);
    if (b.kind === "cell") {
      toc.push({ kind: "cell", depth: inner, id: `cell-${b.id}`, html: html`${b.caption}` });
      for (const o of b.outputs.flatMap((o) => (o.kind === "folded" ? [] : [o]))) {
        if (o.kind === "figure") {
          toc.push({
            kind: "figure",
            depth: inner,
            id: o.figure.id,
            html: html`<span class="toc-fig">Fig. ${o.figure.label}</span> ${o.figure.title}`,
          });
        }
      }
    } else if (b.kind === "playground") {
      toc.push({
        kind: "panel",
        depth: inner,
        id: b.panel.id,
        html: html`${b.panel.title ?? "Playground"}`,
      });
      if (b.panel.trainer) {
        toc.push({ kind: "panel", depth: inner, id: b.panel.trainer.id, html: html`Train it` });
      }
    } else if (b.kind === "comparison") {
      toc.push({
        kind: "figure",
        depth: 3,
        id: b.figure.id,
        html: html`<span class="toc-fig">Fig. ${b.figure.label}</span> ${b.figure.title}`,
      });
    }
  });
  return toc;
}

/** The first sentence of a chapter's first paragraph of prose (if its prose is static text). */
export function chapterSummary(chapter: Chapter): string | null {
  const first = chapter.cells.find((c) => c.kind === "prose");
  if (!first || first.kind !== "prose" || typeof first.markdown !== "string") return null;
  const paragraph = first.markdown.trim().split(/\n\s*\n/).map((p) => p.trim())
    .find((p) => p && !/^(#|[-*] |\d+\. |\$\$|```|\||>)/.test(p));
  if (!paragraph) return null;
  // Links keep their words (a summary cut short must not cut a link's markup in two).
  const text = paragraph.replace(/\s+/g, " ").replace(/\[([^\]]+)\]\([^)]*\)/g, "$1");
  const sentence = text.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? text;
  return sentence.length > 240 ? sentence.slice(0, 237).replace(/\s+\S*$/, "") + "…" : sentence;
}

/** The index page. */
export function indexPage(
  chapters: readonly Chapter[],
  links: ChapterLink[],
  intro: string,
  howTo: string,
): IndexPage {
  const md = markdownRenderer();
  return {
    kind: "index",
    href: "index.html",
    title: "Learning-Rate Scheduling",
    intro: md.render(intro),
    contents: chapters.map((chapter, i) => {
      const summary = chapterSummary(chapter);
      return {
        link: links[i],
        summary: summary === null ? null : md.inline(summary),
        runs: chapter.trainingRuns ?? 0,
      };
    }),
    howTo: md.render(howTo),
  };
}

/** The id of a page's playground panel. */
export const PANEL_ID = "playground";

/** The panel of a chapter's playground, over the steps of the curve it follows. */
function chapterPanel(
  playground: ChapterPlayground,
  steps: number,
  unit: PanelData["unit"],
): PanelModel {
  const md = markdownRenderer();
  return {
    id: PANEL_ID,
    title: "Try it: shape this schedule",
    lede: md.inline(
      "The curves below are computed in your browser by the same `lib/schedules` code as the " +
        "cell above. Move a slider or type a value, change the kind, add a warmup, or " +
        "compare with up to two more schedules; an invalid combination shows the library's " +
        "own error. The link, the command and the code always reproduce what you see.",
    ),
    data: { state: panelState(steps, playground.schedules), unit, playground: PLAYGROUND_HREF },
  };
}

const optionText = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));

function reference(options: KindInfo["options"]): KindReference["options"] {
  return options.map((o) => ({
    name: o.name,
    type: o.type,
    domain: domainOf(o).replace(/>=/g, "≥").replace(/<=/g, "≤"),
    default: o.default !== undefined
      ? optionText(o.default)
      : o.defaultFrom !== undefined
      ? o.defaultFrom
      : null,
    doc: o.doc,
  }));
}

/**
 * The playground's own page: an introduction, the panel, and a reference of
 * every kind it offers with its options, from the library's table.
 *
 * @param links The book's chapters (the introduction links those with a panel).
 * @param start The panel's starting point (the book's, `chapters/playground.ts`).
 * @param chaptersWithPanel The slugs of the chapters that show a panel.
 * @param trainer The training panel's data (none: no training panel).
 * @returns The page.
 */
export function playgroundPage(
  links: ChapterLink[],
  start: PlaygroundStart,
  chaptersWithPanel: readonly string[],
  trainer?: TrainerData,
): PlaygroundPage {
  const md = markdownRenderer();
  const where = links.filter((l) => chaptersWithPanel.includes(l.slug))
    .map((l) => `[${l.title}](${l.href})`);
  const intro = `Every schedule of the book's library, \`lib/schedules\`, to shape by hand. The
curves are computed in your browser by the library itself, bundled for the page when the site was
built: what you see is exactly what \`deno task lr\` prints and what the TypeScript below
returns. Pick a kind for each of up to three schedules, move the sliders (or type any value in the
fields beside them), and put a warmup in front of any of them. \`plateau\`, the one schedule that
follows training rather than the step, is fed a list of metrics you type, one per epoch, as
\`plateauSchedule\` replays them. The link in the address bar keeps
every setting, so it reproduces the panel for anyone you send it to.${
    where.length
      ? `

The schedule chapters have a panel of their own, preset to their schedule: ${where.join(", ")}.`
      : ""
  }`;
  return {
    kind: "playground",
    href: PLAYGROUND_HREF,
    title: "Schedule Playground",
    intro: md.render(intro),
    panel: {
      id: PANEL_ID,
      title: null,
      lede: null,
      data: { state: panelState(start.steps, start.schedules), unit: "step", playground: null },
      ...(trainer ? { trainer: trainerModel(trainer, 2) } : {}),
    },
    kinds: PLAY_KINDS.map((kind) => ({
      kind,
      doc: SCHEDULE_KINDS[kind].doc,
      options: reference(ownOptions(kind)),
    })),
    warmup: reference(WARMUP_OPTIONS),
  };
}
