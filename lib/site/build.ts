/**
 * The build: chapters -> runs -> page models -> HTML -> files.
 *
 * 1. **Load**: the chapters are modules; each page gets a key, the hash of
 *    everything its HTML depends on that is known before running: the chapter
 *    file and every local module it imports (schedules, training engine, book
 *    format), the site's own code, the npm lock file, the dataset checksum, the
 *    run options (quick or full) and the book's table of contents.
 * 2. **Run**: a page whose key is in the previous build's manifest (and whose
 *    file is still there) is skipped without running anything. Otherwise the
 *    chapter is run through `runChapter`, so training runs come from the
 *    engine's run cache when it has them.
 * 3. **Model and render**: the run becomes a page model (./model.ts), the
 *    model HTML (./render.ts). The chapters that say so get a playground
 *    panel (their `playground` field), and the playground has a page of its
 *    own (the book's {@linkcode Book.playground}); its script,
 *    lib/playground/client.ts with the schedule library, is bundled once per
 *    build (lib/playground/bundle.ts) and reads its start from the page.
 * 4. **Write**: each file is written atomically, and only if its content hash
 *    differs from the manifest's; files a previous build wrote that are no
 *    longer produced are removed. The manifest is `.manifest.json` in the site.
 *
 * The output directory and the project sources are injected (./fs.ts), so a
 * test builds the whole site in memory.
 *
 * @module
 */

import { outputRuns } from "../book/outputs.ts";
import { type ChapterRun, QUICK_RUN, runChapter, type Trainer } from "../book/run.ts";
import type { Chapter, RunOptions } from "../book/types.ts";
import type { TrainRequest } from "../train/types.ts";
import { FASHION_MNIST_CHECKSUM } from "../data/manifest.ts";
import { bundlePlayground, PLAYGROUND_ENTRY } from "../playground/bundle.ts";
import { PLAYGROUND_HREF, type PlaygroundStart } from "../playground/presets.ts";
import {
  type FrozenStore,
  TRAIN_DATA_CODE,
  TRAIN_WORKER_ENTRY,
  trainDataScript,
  trainEngineScript,
  trainerData,
} from "../playground/train_assets.ts";
import type { TrainerData } from "../playground/train_protocol.ts";
import { fileCache, FROZEN_DIR } from "../train/cache.ts";
import { assetBytes, siteAssets } from "./assets.ts";
import { diskSources, type SiteFs, type SourceReader } from "./fs.ts";
import {
  chapterLinks,
  chapterPage,
  chapterSummary,
  indexPage,
  playgroundPage,
  type QuickBuild,
  seeRefs,
  type SiteModel,
} from "./model.ts";
import { ASSET_PATHS, renderPage } from "./render.ts";
import { type Bibliography, bibliographyProblems, REFERENCES_HREF } from "./bibliography.ts";
import { type SearchDoc, searchDocs, searchIndexScript } from "./search.ts";
import { localImports } from "./source.ts";
import { hashKey } from "../util/hash_key.ts";
import { sha256Hex } from "../util/sha256.ts";
import { writeAtomic } from "../util/write_atomic.ts";

/** Bump to rebuild every page after a change the hashes cannot see. */
const SITE_FORMAT = 1;

/** Where a build keeps what it wrote, and under which keys. */
export const MANIFEST = ".manifest.json";

/** The settings of a quick build: short runs on a subset (for CI and for writing). */
export const QUICK: QuickBuild = { ...QUICK_RUN };

/** The title of the book. */
export const BOOK_TITLE = "Learning-Rate Scheduling";

/** The index page's prose: the book's (`chapters/index.ts`). */
export interface IndexProse {
  /** The introduction, Markdown with TeX: what the book is. */
  intro: string;
  /**
   * How to run the book, Markdown.
   *
   * @param commands The commands of the README's first `sh` block.
   * @returns The section's text, showing them.
   */
  howTo(commands: string): string;
}

/** What the site is made of: the book's (`chapters/mod.ts`). */
export interface Book {
  /** The chapters, in reading order. */
  chapters: readonly Chapter[];
  /** The index page's prose. */
  index: IndexProse;
  /** What the playground page's panel starts with. */
  playground: PlaygroundStart;
  /** Every work the chapters cite (`chapters/references.ts`); none: no references page. */
  bibliography?: Bibliography;
}

/** What to build, from what, into what. */
export interface BuildOptions extends Book {
  /** The output directory. */
  out: SiteFs;
  /** The project's files (default: the disk). */
  sources?: SourceReader;
  /** The project root, where `README.md` and `deno.lock` are (default: two levels up). */
  root?: URL;
  /** Short runs on a subset, said on every page; `null` (default) for full runs. */
  quick?: QuickBuild | null;
  /** Retrain even when the run cache has a run (and rebuild every page). */
  fresh?: boolean;
  /** Rebuild every page even when its key is unchanged. */
  force?: boolean;
  /** No progress bars from the training engine. */
  quiet?: boolean;
  /** Where the Fashion-MNIST files are, if given. */
  dataDir?: string;
  /** The training function (the engine by default; tests inject their own). */
  trainer?: Trainer;
  /**
   * The frozen results the training panels draw the chapters' full-size runs from (default:
   * `data/frozen/`; tests inject their own).
   */
  frozen?: FrozenStore;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** What happened to one output file. */
export interface FileReport {
  /** The file, relative to the site's root. */
  path: string;
  /** `skipped`: key unchanged, nothing run; `unchanged`: rebuilt, same bytes; `written`. */
  status: "skipped" | "unchanged" | "written" | "failed";
  /** How long it took. */
  seconds: number;
  /** For chapter pages that were built: figures drawn and training runs used. */
  figures?: number;
  /** How many training runs the page shows. */
  runs?: number;
  /** How many of them were read back from a store (frozen results or run cache). */
  cachedRuns?: number;
  /** Why the page failed (`failed` only). */
  error?: string;
}

/** The outcome of a build. */
export interface BuildReport {
  /** The index, the playground's page and the chapters' pages, in that order. */
  pages: FileReport[];
  /** The stylesheets, scripts and fonts copied, and the bundled playground script. */
  assets: FileReport[];
  /** Files of an earlier build that are no longer produced, now removed. */
  removed: string[];
  /** How long the whole build took. */
  seconds: number;
  /** True when every page was built. */
  ok: boolean;
}

interface ManifestEntry {
  key: string;
  hash: string;
}

interface Manifest {
  format: number;
  files: Record<string, ManifestEntry>;
}

const decoder = new TextDecoder();

async function readManifest(out: SiteFs): Promise<Manifest> {
  const empty: Manifest = { format: SITE_FORMAT, files: {} };
  const bytes = await out.read(MANIFEST);
  if (bytes === null) return empty;
  try {
    const value = JSON.parse(decoder.decode(bytes));
    return value?.format === SITE_FORMAT && typeof value.files === "object" ? value : empty;
  } catch {
    return empty;
  }
}

/**
 * The hash of a module and every local module it imports, recursively.
 * Missing files count as missing (their absence is hashed).
 */
export async function moduleGraphHash(
  entry: URL,
  sources: SourceReader,
  memo: Map<string, Promise<string | null>> = new Map(),
): Promise<string> {
  const seen = new Map<string, string | null>();
  const visit = async (url: URL): Promise<void> => {
    if (seen.has(url.href)) return;
    seen.set(url.href, null);
    let text = memo.get(url.href);
    if (text === undefined) {
      text = sources.read(url).then((b) => decoder.decode(b), () => null);
      memo.set(url.href, text);
    }
    const content = await text;
    seen.set(url.href, content);
    if (content === null) return;
    await Promise.all(localImports(content).map((spec) => visit(new URL(spec, url))));
  };
  await visit(entry);
  const parts = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return hashKey(parts.map(([href, text]) => [href, text === null ? null : text]));
}

/** The `sh` commands of the README (its first ```sh block), or the book's two commands. */
export function readmeCommands(readme: string | null): string {
  const block = readme?.match(/```(?:sh|bash|shell)\n([\s\S]*?)```/)?.[1];
  return (block ?? "deno task chapter cosine\ndeno task test\n").trimEnd();
}

function seconds(start: number): number {
  return Math.round((performance.now() - start) / 100) / 10;
}

/**
 * Build the site.
 *
 * @param options What to build and where.
 * @returns What was written, skipped or removed, and how long it took.
 */
export async function buildSite(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const { out, chapters, index } = options;
  const sources = options.sources ?? diskSources;
  const root = options.root ?? new URL("../../", import.meta.url);
  const quick = options.quick ?? null;
  const log = options.log ?? (() => {});
  const rebuildAll = (options.force ?? false) || (options.fresh ?? false);
  const frozen = options.frozen ?? fileCache(FROZEN_DIR);
  const trainScripts = { engine: ASSET_PATHS.trainEngine, data: ASSET_PATHS.trainData };
  /** A training panel's data: the full-size run the frozen results hold, or why none is drawn. */
  const trainerFor = (fullRun: (() => TrainRequest) | undefined): Promise<TrainerData> =>
    trainerData(fullRun ? fullRun() : null, frozen, trainScripts);
  const text = (url: URL) => sources.read(url).then((b) => decoder.decode(b), () => null);

  const slugs = new Set<string>();
  for (const c of chapters) {
    if (
      !/^[a-z0-9][a-z0-9-]*$/.test(c.slug) || c.slug === "index" ||
      `${c.slug}.html` === PLAYGROUND_HREF
    ) {
      throw new Error(`chapter slug ${JSON.stringify(c.slug)} cannot name a page`);
    }
    if (slugs.has(c.slug)) throw new Error(`two chapters have the slug "${c.slug}"`);
    slugs.add(c.slug);
  }

  const old = await readManifest(out);
  const manifest: Manifest = { format: SITE_FORMAT, files: {} };
  let saved = JSON.stringify(old, null, 1) + "\n";
  const saveManifest = async () => {
    const json = JSON.stringify(manifest, null, 1) + "\n";
    if (json === saved) return;
    await writeAtomic(MANIFEST, json, out);
    saved = json;
  };

  // Keys: what each file depends on, known before anything runs.
  const memo = new Map<string, Promise<string | null>>();
  const [siteCode, lock, readme] = await Promise.all([
    moduleGraphHash(new URL(import.meta.url), sources, memo),
    text(new URL("deno.lock", root)),
    text(new URL("README.md", root)),
  ]);
  const links = chapterLinks(chapters);
  const bibliography = options.bibliography ?? [];
  const problems = bibliographyProblems(bibliography);
  if (problems.length) throw new Error(`the bibliography: ${problems.join("; ")}`);
  const site: SiteModel = {
    title: BOOK_TITLE,
    chapters: links,
    quick,
    scripts: [],
    playground: { href: PLAYGROUND_HREF, title: "Schedule playground" },
    references: bibliography.length ? { href: REFERENCES_HREF, title: "References" } : null,
    bibliography,
  };
  const shared = {
    format: SITE_FORMAT,
    siteCode,
    lock,
    quick,
    links,
    title: site.title,
    bibliography,
  };

  /** Write `path` unless the manifest says it already holds these bytes. */
  const put = async (path: string, key: string, data: string | Uint8Array) => {
    const hash = await sha256Hex(data);
    const before = old.files[path];
    manifest.files[path] = { key, hash };
    if (before?.hash === hash && await out.exists(path)) return "unchanged" as const;
    await writeAtomic(path, data, out);
    return "written" as const;
  };
  const keep = async (path: string, key: string) => {
    const before = old.files[path];
    if (rebuildAll || before?.key !== key || !(await out.exists(path))) return false;
    manifest.files[path] = before;
    return true;
  };

  // Assets: copied when their bytes changed.
  const assets: FileReport[] = [];
  for (const asset of await siteAssets(sources)) {
    const t = performance.now();
    const bytes = await assetBytes(asset, sources);
    const status = await put(asset.path, await sha256Hex(bytes), bytes);
    assets.push({ path: asset.path, status, seconds: seconds(t) });
  }

  // The playground's script: bundled once per build (memoised by the hash of its sources).
  {
    const t = performance.now();
    const key = await moduleGraphHash(PLAYGROUND_ENTRY, sources, memo);
    const bytes = await bundlePlayground(key);
    const status = await put(ASSET_PATHS.playground, await sha256Hex(bytes), bytes);
    assets.push({ path: ASSET_PATHS.playground, status, seconds: seconds(t) });
  }

  // The training panel's two scripts, which its pages load only when the reader trains: the
  // engine (its worker bundled, and the kernels), and the subset of Fashion-MNIST, made once from
  // the data files and kept (none when the data is not on this machine: the panel says so).
  {
    const t = performance.now();
    const key = await moduleGraphHash(TRAIN_WORKER_ENTRY, sources, memo);
    const bytes = await trainEngineScript(key);
    const status = await put(ASSET_PATHS.trainEngine, await sha256Hex(bytes), bytes);
    assets.push({ path: ASSET_PATHS.trainEngine, status, seconds: seconds(t) });
  }
  {
    const t = performance.now();
    const code = await Promise.all(TRAIN_DATA_CODE.map((u) => moduleGraphHash(u, sources, memo)));
    const bytes = await trainDataScript({ key: await hashKey(code), dataDir: options.dataDir });
    if (bytes === null) {
      log(`${ASSET_PATHS.trainData.padEnd(24)} none: Fashion-MNIST is not on this machine`);
    } else {
      const status = await put(ASSET_PATHS.trainData, await sha256Hex(bytes), bytes);
      assets.push({ path: ASSET_PATHS.trainData, status, seconds: seconds(t) });
    }
  }

  const pages: FileReport[] = [];
  // The index page.
  {
    const t = performance.now();
    const path = "index.html";
    const summaries = chapters.map(chapterSummary);
    const howTo = index.howTo(readmeCommands(readme));
    const key = await hashKey({ ...shared, page: path, summaries, intro: index.intro, howTo });
    const runs = chapters.map((c) => c.trainingRuns ?? 0);
    const fullKey = await hashKey({ key, runs });
    if (await keep(path, fullKey)) pages.push({ path, status: "skipped", seconds: seconds(t) });
    else {
      const page = indexPage(chapters, links, index.intro, howTo);
      const status = await put(path, fullKey, renderPage(site, page));
      pages.push({ path, status, seconds: seconds(t) });
    }
    log(`${path.padEnd(24)} ${pages.at(-1)!.status}`);
  }

  // The playground's page.
  {
    const t = performance.now();
    const path = PLAYGROUND_HREF;
    const withPanel = chapters.filter((c) => c.playground).map((c) => c.slug);
    const trainer = await trainerFor(options.playground.fullRun);
    const key = await hashKey({
      ...shared,
      page: path,
      withPanel,
      start: options.playground,
      trainer,
    });
    if (await keep(path, key)) pages.push({ path, status: "skipped", seconds: seconds(t) });
    else {
      const page = playgroundPage(links, options.playground, withPanel, trainer);
      const status = await put(path, key, renderPage(site, page));
      pages.push({ path, status, seconds: seconds(t) });
    }
    log(`${path.padEnd(24)} ${pages.at(-1)!.status}`);
  }

  const runOptions: RunOptions = {
    ...(quick
      ? { epochs: quick.epochs, trainSize: quick.trainSize, testSize: quick.testSize }
      : {}),
    fresh: options.fresh,
    quiet: options.quiet,
    dataDir: options.dataDir,
  };
  let ok = true;
  for (const [i, chapter] of chapters.entries()) {
    const t = performance.now();
    const path = `${chapter.slug}.html`;
    const where = `[${i + 1}/${chapters.length}] ${path}`;
    const sourceUrl = new URL(chapter.source);
    const seen = [
      ...new Set(
        chapter.cells.flatMap(seeRefs).map((r) => r.source),
      ),
    ];
    const keyWith = async (trainer: TrainerData | null) =>
      await hashKey({
        ...shared,
        page: path,
        chapter: await moduleGraphHash(sourceUrl, sources, memo),
        see: await Promise.all(seen.map((u) => moduleGraphHash(new URL(u), sources, memo))),
        data: FASHION_MNIST_CHECKSUM,
        run: {
          epochs: runOptions.epochs,
          trainSize: runOptions.trainSize,
          testSize: runOptions.testSize,
        },
        ...(trainer ? { trainer } : {}),
      });
    let trainer = chapter.playground ? await trainerFor(chapter.playground.fullRun) : null;
    let key = await keyWith(trainer);
    if (await keep(path, key)) {
      pages.push({ path, status: "skipped", seconds: seconds(t) });
      log(`${where.padEnd(24)} skipped (nothing changed)`);
      continue;
    }
    log(`${where.padEnd(24)} running "${chapter.title}"…`);
    try {
      const run: ChapterRun = await runChapter(chapter, runOptions, {}, options.trainer);
      if (trainer && trainer.full === null && chapter.playground?.fullRun) {
        // A full build may just have trained and frozen the run the panel compares with.
        trainer = await trainerFor(chapter.playground.fullRun);
        key = await keyWith(trainer);
      }
      const source = await text(sourceUrl);
      if (source === null) throw new Error(`cannot read the chapter's source ${sourceUrl.href}`);
      const texts = new Map<string, string>();
      for (const url of seen) {
        const content = await text(new URL(url));
        if (content !== null) texts.set(url, content);
      }
      const page = chapterPage(chapter, run, source, links, {
        texts,
        root,
        bibliography,
        ...(trainer ? { trainer } : {}),
      });
      const status = await put(path, key, renderPage(site, page));
      const runs = run.cells.flatMap((c) => outputRuns(c.outputs));
      const report: FileReport = {
        path,
        status,
        seconds: seconds(t),
        figures: page.figures.length,
        runs: runs.length,
        cachedRuns: runs.filter((r) => r.cached).length,
      };
      pages.push(report);
      log(
        `${where.padEnd(24)} ${status}: ${report.figures} figures, ${report.runs} runs ` +
          `(${report.cachedRuns} stored), ${report.seconds} s`,
      );
    } catch (error) {
      ok = false;
      const message = error instanceof Error ? error.message : String(error);
      pages.push({ path, status: "failed", seconds: seconds(t), error: message });
      log(`${where.padEnd(24)} FAILED: ${message}`);
      // Keep the old file and its entry, but under a key that forces a rebuild next time.
      if (old.files[path]) manifest.files[path] = { ...old.files[path], key: "failed" };
    }
    await saveManifest();
  }

  // The pages as written (or kept): what they cite, and what the search finds in them.
  const written = new Map<string, string>();
  for (const p of pages) {
    const bytes = p.status === "failed" ? null : await out.read(p.path);
    if (bytes !== null) written.set(p.path, decoder.decode(bytes));
  }

  // The references page: every work, and which chapters cite it.
  if (site.references) {
    const t = performance.now();
    const path = REFERENCES_HREF;
    const citedBy = new Map<string, typeof links>();
    for (const link of links) {
      const markup = written.get(link.href) ?? "";
      const keys = new Set(
        [...markup.matchAll(/class="citation" href="references\.html#ref-([\w-]+)"/g)].map((m) =>
          m[1]
        ),
      );
      for (const key of keys) citedBy.set(key, [...(citedBy.get(key) ?? []), link]);
    }
    const key = await hashKey({ ...shared, page: path, citedBy: [...citedBy] });
    if (await keep(path, key)) pages.push({ path, status: "skipped", seconds: seconds(t) });
    else {
      const page = { kind: "references" as const, href: path, title: "References", citedBy };
      const status = await put(path, key, renderPage(site, page));
      pages.push({ path, status, seconds: seconds(t) });
    }
    const bytes = await out.read(path);
    if (bytes !== null) written.set(path, decoder.decode(bytes));
    log(`${path.padEnd(24)} ${pages.at(-1)!.status}`);
  }

  // The search index: every section of every page, as a script (see ./search.ts).
  {
    const t = performance.now();
    const docs: SearchDoc[] = [...written].flatMap(([path, markup]) => searchDocs(markup, path));
    const script = searchIndexScript(docs);
    const status = await put(ASSET_PATHS.searchIndex, await sha256Hex(script), script);
    assets.push({ path: ASSET_PATHS.searchIndex, status, seconds: seconds(t) });
  }
  await saveManifest();

  const removed: string[] = [];
  for (const path of Object.keys(old.files)) {
    if (!(path in manifest.files)) {
      await out.remove(path);
      removed.push(path);
    }
  }
  await saveManifest();
  return { pages, assets, removed, seconds: seconds(started), ok };
}
