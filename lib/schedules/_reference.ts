/**
 * The reference sequences the schedule tests compare against (not part of the public API):
 * `testdata/torch_lr_schedules.json`, 19 sequences read from PyTorch 1.13's own schedulers and
 * the chapter's five schedulers evaluated from their formulas. `torch_reference.py` regenerates
 * the file; `torch_reference_test.ts` checks that it still does.
 *
 * @module
 */

/** Where the committed reference file is. */
export const REFERENCE_URL: URL = new URL("./testdata/torch_lr_schedules.json", import.meta.url);

/** One reference sequence. */
export interface ReferenceEntry {
  /** A unique name, e.g. `"StepLR_s10_g0.5"`. */
  label: string;
  /** PyTorch's class name (absent for the chapter's own schedulers). */
  cls?: string;
  /** The arguments the scheduler was built with, as PyTorch (or the chapter) spells them. */
  args: Record<string, unknown>;
  /** The optimizer's rate before the scheduler touched it (PyTorch entries only). */
  base_lr?: number;
  /** The rate at steps 0, 1, ..., as the file's `protocol` field says they were read. */
  lrs: number[];
  /** The metric fed to each step (ReduceLROnPlateau only). */
  metrics?: number[];
  /** The optimizer's momentum at steps 0, 1, ..., where the scheduler cycles it. */
  momentums?: number[];
}

/** The reference file, in the parts the tests use. */
export interface Reference {
  /** How the sequences were read from PyTorch. */
  protocol: string;
  /** The chapter's schedulers, from their formulas. */
  d2l_chapter_schedulers: ReferenceEntry[];
  /** PyTorch's schedulers. */
  torch_schedulers: ReferenceEntry[];
}

/**
 * Read the committed reference file.
 *
 * @returns Its content, parsed.
 *
 * @example Look up the chapter's cosine curve
 * ```ts
 * import assert from "node:assert/strict";
 * import { readReference } from "./_reference.ts";
 *
 * const reference = await readReference();
 * const cosine = reference.d2l_chapter_schedulers.find((e) =>
 *   e.label === "d2l_CosineScheduler_T20_0.3_to_0.01"
 * )!;
 * assert.equal(cosine.lrs[0], 0.3);
 * assert.equal(cosine.lrs[20], 0.01);
 * ```
 */
export async function readReference(): Promise<Reference> {
  return JSON.parse(await Deno.readTextFile(REFERENCE_URL)) as Reference;
}
