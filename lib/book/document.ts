/**
 * The JSON document of `deno task chapter NAME --json FILE`: everything a
 * chapter run computed, in reading order.
 *
 * ```text
 * {
 *   "format": "lr-book/chapter-run", "version": 1,
 *   "slug": "cosine", "title": "Cosine Scheduler",
 *   "options": { "epochs": 1, "trainSize": 1024 },       // as given; absent = the default
 *   "cells": [                                            // every cell, in reading order
 *     { "kind": "prose", "markdown": "..." },             // as evaluated: measured numbers filled in
 *     { "kind": "code", "id": "cosine-plot", "caption": "...", "outputs": [
 *       { "kind": "schedule", "label": "...", "unit": "epoch", "steps": [0, ...], "lrs": [0.3, ...] } ] },
 *     { "kind": "code", "id": "cosine-run", "caption": "...", "outputs": [
 *       { "kind": "run", "reference": false, "run": {
 *         "name": "...", "key": "<sha-256>", "cached": true, "divergedAt": null,
 *         "config": { "epochs", "batchSize", "seed", "trainSize", "testSize", "stepsPer", "updatesPerEpoch" },
 *         "history": [ { "epoch": 1, "lr", "lrLast", "trainLoss", "trainAcc", "testAcc", "seconds" }, ... ] } } ] },
 *     { "kind": "code", "id": "cosine-seeds", "caption": "...", "outputs": [
 *       { "kind": "runs", "label": "cosine 0.3 → 0.01", "reference": false,    // one experiment over seeds
 *         "runs": [ { "name": "cosine 0.3 → 0.01, seed 0", ..., "config": { ..., "seed": 0, ... } },
 *                   { "name": "cosine 0.3 → 0.01, seed 1", ... }, ... ] } ] },   // each a run as above
 *     { "kind": "code", ..., "outputs": [ { "kind": "table", "columns": [...], "rows": [[...]] },
 *                                         { "kind": "text", "text": "..." } ] }
 *   ]
 * }
 * ```
 *
 * `trainLoss` is `null` in the epoch where a run diverged (JSON has no NaN).
 * Accuracies are fractions in [0, 1]; epochs are 1-based; schedule steps are
 * 0-based (`lrs[i]` is the rate after `steps[i]` completed steps). A curve of
 * something other than a rate (a simulation's error, say) names it in an
 * optional `"quantity"` (what the values are) and `"xQuantity"` (what the steps are, when they are
 * not steps), and `"log": "x" | "y" | "xy"` marks logarithmic axes.
 * A `"runs"` output is one experiment trained over several seeds: at least one
 * run, each seed once, the runs' settings and rates the same but for the seed
 * (`lib/book/seeds.ts`).
 *
 * @module
 */

import type { RunResult } from "../train/types.ts";
import { outputRuns } from "./outputs.ts";
import type { ChapterRun } from "./run.ts";
import { checkGroup } from "./seeds.ts";
import type { Chapter, Output, RunOptions, RunsOutput } from "./types.ts";

/** The format name of {@linkcode ChapterDocument}. */
export const DOCUMENT_FORMAT = "lr-book/chapter-run";

/** A prose cell of the document: its Markdown as evaluated. */
export interface DocumentProse {
  kind: "prose";
  markdown: string;
}

/** A code cell of the document, with what it produced. */
export interface DocumentCode {
  kind: "code";
  id: string;
  caption: string;
  outputs: Output[];
}

/** Everything a chapter run computed (see the module documentation for an example). */
export interface ChapterDocument {
  format: typeof DOCUMENT_FORMAT;
  version: 1;
  slug: string;
  title: string;
  /** The options the chapter ran with, as given (absent: the chapter's default). */
  options: RunOptions;
  /** Every cell in reading order. */
  cells: (DocumentProse | DocumentCode)[];
}

/**
 * The document of a chapter run.
 *
 * @param chapter The chapter (for the order of its cells).
 * @param run What {@linkcode runChapter} returned for it.
 * @returns The document, ready for `JSON.stringify`.
 */
export function chapterDocument(chapter: Chapter, run: ChapterRun): ChapterDocument {
  let prose = 0, code = 0;
  const cells = chapter.cells.map((cell): DocumentProse | DocumentCode => {
    if (cell.kind === "prose") return { kind: "prose", markdown: run.prose[prose++] };
    const { id, caption, outputs } = run.cells[code++];
    return { kind: "code", id, caption, outputs };
  });
  return {
    format: DOCUMENT_FORMAT,
    version: 1,
    slug: run.slug,
    title: run.title,
    options: run.options,
    cells,
  };
}

/**
 * The document as JSON text (NaN losses become `null`).
 *
 * @param document The document.
 * @returns JSON, one value per line where short.
 */
export function documentJson(document: ChapterDocument): string {
  return JSON.stringify(document, null, 1) + "\n";
}

type Json = unknown;

class ShapeError extends Error {
  override name = "ShapeError";
}

function expect(ok: boolean, path: string, what: string, value: Json): void {
  if (!ok) {
    const shown = JSON.stringify(value);
    throw new ShapeError(
      `${path}: expected ${what}, got ${
        shown === undefined ? "nothing" : shown.length > 60 ? shown.slice(0, 57) + "..." : shown
      }`,
    );
  }
}

function object(v: Json, path: string): Record<string, Json> {
  expect(typeof v === "object" && v !== null && !Array.isArray(v), path, "an object", v);
  return v as Record<string, Json>;
}

function array(v: Json, path: string): Json[] {
  expect(Array.isArray(v), path, "an array", v);
  return v as Json[];
}

function string(v: Json, path: string): void {
  expect(typeof v === "string", path, "a string", v);
}

function number(v: Json, path: string, nullable = false): void {
  expect(
    (typeof v === "number" && Number.isFinite(v)) || (nullable && v === null),
    path,
    nullable ? "a number or null" : "a finite number",
    v,
  );
}

function checkRun(v: Json, path: string): void {
  const run = object(v, path);
  string(run.name, `${path}.name`);
  string(run.key, `${path}.key`);
  expect(typeof run.cached === "boolean", `${path}.cached`, "a boolean", run.cached);
  expect(
    run.divergedAt === null || Number.isInteger(run.divergedAt),
    `${path}.divergedAt`,
    "an epoch or null",
    run.divergedAt,
  );
  const config = object(run.config, `${path}.config`);
  for (const k of ["epochs", "batchSize", "seed", "trainSize", "testSize", "updatesPerEpoch"]) {
    expect(Number.isInteger(config[k]), `${path}.config.${k}`, "an integer", config[k]);
  }
  expect(
    config.stepsPer === "epoch" || config.stepsPer === "update",
    `${path}.config.stepsPer`,
    '"epoch" or "update"',
    config.stepsPer,
  );
  array(run.history, `${path}.history`).forEach((e, i) => {
    const p = `${path}.history[${i}]`;
    const epoch = object(e, p);
    expect(epoch.epoch === i + 1, `${p}.epoch`, `${i + 1}`, epoch.epoch);
    for (const k of ["lr", "lrLast", "trainAcc", "testAcc", "seconds"]) {
      number(epoch[k], `${p}.${k}`);
    }
    number(epoch.trainLoss, `${p}.trainLoss`, true);
    for (const k of ["trainAcc", "testAcc"]) {
      expect(
        (epoch[k] as number) >= 0 && (epoch[k] as number) <= 1,
        `${p}.${k}`,
        "in [0, 1]",
        epoch[k],
      );
    }
  });
}

function checkOutput(v: Json, path: string): void {
  const o = object(v, path);
  switch (o.kind) {
    case "schedule": {
      string(o.label, `${path}.label`);
      expect(
        o.unit === "epoch" || o.unit === "update",
        `${path}.unit`,
        '"epoch" or "update"',
        o.unit,
      );
      const steps = array(o.steps, `${path}.steps`), lrs = array(o.lrs, `${path}.lrs`);
      expect(steps.length === lrs.length, `${path}.lrs`, `${steps.length} rates`, lrs.length);
      steps.forEach((s, i) => number(s, `${path}.steps[${i}]`));
      lrs.forEach((s, i) => number(s, `${path}.lrs[${i}]`));
      if (o.quantity !== undefined) string(o.quantity, `${path}.quantity`);
      if (o.xQuantity !== undefined) string(o.xQuantity, `${path}.xQuantity`);
      expect(
        o.log === undefined || o.log === "x" || o.log === "y" || o.log === "xy",
        `${path}.log`,
        '"x", "y" or "xy"',
        o.log,
      );
      return;
    }
    case "run":
      expect(
        o.reference === undefined || typeof o.reference === "boolean",
        `${path}.reference`,
        "a boolean",
        o.reference,
      );
      checkRun(o.run, `${path}.run`);
      return;
    case "runs": {
      string(o.label, `${path}.label`);
      expect(
        o.reference === undefined || typeof o.reference === "boolean",
        `${path}.reference`,
        "a boolean",
        o.reference,
      );
      const runs = array(o.runs, `${path}.runs`);
      expect(runs.length > 0, `${path}.runs`, "at least one run", runs);
      runs.forEach((r, i) => checkRun(r, `${path}.runs[${i}]`));
      try {
        checkGroup(o.label as string, runs as RunResult[]);
      } catch (error) {
        throw new ShapeError(`${path}.runs: ${(error as Error).message}`);
      }
      return;
    }
    case "text":
      string(o.text, `${path}.text`);
      return;
    case "table": {
      const columns = array(o.columns, `${path}.columns`);
      columns.forEach((c, i) => string(c, `${path}.columns[${i}]`));
      array(o.rows, `${path}.rows`).forEach((r, i) => {
        const row = array(r, `${path}.rows[${i}]`);
        expect(row.length === columns.length, `${path}.rows[${i}]`, `${columns.length} cells`, r);
        row.forEach((c, j) =>
          expect(
            typeof c === "string" || typeof c === "number",
            `${path}.rows[${i}][${j}]`,
            "a string or number",
            c,
          )
        );
      });
      return;
    }
    default:
      expect(false, `${path}.kind`, '"schedule", "run", "runs", "text" or "table"', o.kind);
  }
}

/**
 * Check that `value` (parsed JSON) has the shape of a {@linkcode ChapterDocument}.
 *
 * @param value The parsed document.
 * @returns The same value, typed.
 * @throws {Error} naming the first path that does not fit, e.g.
 *   `cells[3].outputs[0].run.history[0].testAcc: expected a finite number, got "x"`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkDocument } from "./document.ts";
 * const doc = { format: "lr-book/chapter-run", version: 1, slug: "s", title: "T", options: {}, cells: [] };
 * assert.equal(checkDocument(doc), doc);
 * assert.throws(() => checkDocument({ ...doc, cells: [{ kind: "code" }] }), /cells\[0\]\.id/);
 * ```
 */
export function checkDocument(value: Json): ChapterDocument {
  const doc = object(value, "document");
  expect(doc.format === DOCUMENT_FORMAT, "format", JSON.stringify(DOCUMENT_FORMAT), doc.format);
  expect(doc.version === 1, "version", "1", doc.version);
  string(doc.slug, "slug");
  string(doc.title, "title");
  object(doc.options, "options");
  array(doc.cells, "cells").forEach((c, i) => {
    const cell = object(c, `cells[${i}]`);
    if (cell.kind === "prose") return string(cell.markdown, `cells[${i}].markdown`);
    expect(cell.kind === "code", `cells[${i}].kind`, '"prose" or "code"', cell.kind);
    string(cell.id, `cells[${i}].id`);
    string(cell.caption, `cells[${i}].caption`);
    array(cell.outputs, `cells[${i}].outputs`).forEach((o, j) =>
      checkOutput(o, `cells[${i}].outputs[${j}]`)
    );
  });
  return value as ChapterDocument;
}

/** The runs of a document, each seed of a group included (for readers of saved documents). */
export function documentRuns(document: ChapterDocument): RunResult[] {
  return document.cells.flatMap((c) => (c.kind === "code" ? outputRuns(c.outputs) : []));
}

/** The groups over seeds of a document, in reading order. */
export function documentGroups(document: ChapterDocument): RunsOutput[] {
  return document.cells.flatMap((c) =>
    c.kind === "code" ? c.outputs.flatMap((o) => (o.kind === "runs" ? [o] : [])) : []
  );
}
