import assert from "node:assert/strict";
import { UsageError } from "../cli/usage_error.ts";
import { estimate, listing, parseChapterArgs } from "./cli.ts";
import { QUICK_RUN } from "./run.ts";
import { QUICK } from "../site/build.ts";
import type { Chapter } from "./types.ts";

const SLUGS = ["intro", "cosine", "warmup"];

Deno.test("chapter args: a chapter, its run options, --json, --list, --help", () => {
  assert.deepEqual(
    parseChapterArgs(
      ["cosine", "--epochs", "2", "--train-size=1024", "--test-size", "500", "--fresh", "--quiet"],
      SLUGS,
    ),
    {
      list: false,
      help: false,
      slug: "cosine",
      options: { epochs: 2, trainSize: 1024, testSize: 500, fresh: true, quiet: true },
    },
  );
  assert.deepEqual(parseChapterArgs(["--data", "/d", "warmup", "--json", "a.json"], SLUGS), {
    list: false,
    help: false,
    slug: "warmup",
    json: "a.json",
    options: { dataDir: "/d" },
  });
  assert.deepEqual(parseChapterArgs(["cosine", "--seeds", "2"], SLUGS).options, { seeds: 2 });
  // --quick is the build's quick run; a flag of its own still wins.
  assert.deepEqual(parseChapterArgs(["cosine", "--quick"], SLUGS).options, { ...QUICK_RUN });
  assert.deepEqual(parseChapterArgs(["cosine", "--quick", "--epochs", "1"], SLUGS).options, {
    ...QUICK_RUN,
    epochs: 1,
  });
  assert.deepEqual(QUICK_RUN, QUICK);
  assert.deepEqual(parseChapterArgs(["--list"], SLUGS), { list: true, help: false, options: {} });
  assert.equal(parseChapterArgs(["-h"], SLUGS).help, true);
  assert.equal(parseChapterArgs(["nope", "--bogus", "--help"], SLUGS).help, true);
});

Deno.test("chapter args: usage errors name the problem and quote the value", () => {
  const cases: [string[], string][] = [
    [[], "which chapter? one of: intro, cosine, warmup (or --list)"],
    [["cosin"], 'no chapter "cosin" (did you mean cosine?); chapters: intro, cosine, warmup'],
    [["zzz"], 'no chapter "zzz"; chapters: intro, cosine, warmup'],
    [["intro", "cosine"], "one chapter at a time: got intro and cosine"],
    [["cosine", "--epoch", "1"], "unknown flag --epoch (did you mean --epochs?); see --help"],
    [["cosine", "--epochs", "0"], '--epochs must be a whole number from 1 to 10,000, got "0"'],
    [["cosine", "--epochs"], "--epochs needs a number"],
    [
      ["cosine", "--train-size", "100"],
      '--train-size must be a whole number from 256 to 60,000, got "100"',
    ],
    [["cosine", "--fresh=1"], '--fresh takes no value, got "--fresh=1"'],
    [["cosine", "--seeds", "0"], '--seeds must be a whole number from 1 to 100, got "0"'],
    [["cosine", "--json"], "--json needs a file name"],
    [["cosine", "--data", "--fresh"], "--data needs a directory"],
    [["cosine", "--epochs", "2", "--epochs", "3"], "--epochs given twice"],
  ];
  for (const [args, message] of cases) {
    assert.throws(
      () => parseChapterArgs(args, SLUGS),
      { name: UsageError.name, message },
      args.join(" "),
    );
  }
});

Deno.test("chapter list: every chapter with its title and the time a full run takes", () => {
  const chapter = (slug: string, trainingRuns: number): Chapter => ({
    slug,
    title: slug.toUpperCase(),
    source: "",
    cells: [],
    trainingRuns,
  });
  assert.equal(estimate(chapter("a", 0)), "seconds (no training)");
  assert.equal(estimate(chapter("a", 1)), "~2 min (1 training run; less if cached)");
  assert.equal(
    listing([chapter("intro", 0), chapter("cosine", 2)]),
    "intro   INTRO   seconds (no training)\ncosine  COSINE  ~3 min (2 training runs; less if cached)",
  );
});
