/**
 * Downloading the official Fashion-MNIST files, verified, without ever leaving a partial file
 * under a final name.
 *
 * @module
 */

import { join } from "node:path";
import { DataError, DataNotFoundError } from "./errors.ts";
import { locateFiles, projectDataDir } from "./find.ts";
import { gunzip, isGzip } from "./gzip.ts";
import {
  FASHION_MNIST_BASE_URL,
  FASHION_MNIST_FILES,
  type FilePaths,
  type FileSpec,
} from "./manifest.ts";
import type { DownloadProgress } from "./progress.ts";
import { sha256Hex } from "../util/sha256.ts";

/** The part of `fetch` the downloader uses; the global `fetch` is one. */
export type Fetch = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/** Options of {@link downloadFashionMnist}. */
export interface DownloadOptions {
  /** Directory to download into, created if needed (default: {@link projectDataDir}). */
  dir?: string;
  /** The fetch function (default: the global `fetch`); tests pass a fake. */
  fetch?: Fetch;
  /** Where the files are served (default: {@link FASHION_MNIST_BASE_URL}). */
  baseUrl?: string;
  /** The files to fetch and verify (default: the four Fashion-MNIST files). */
  files?: readonly FileSpec[];
  /** Called as bytes arrive (default: nothing is reported). */
  onProgress?: (progress: DownloadProgress) => void;
  /** Cancels the download; the partial file is removed. */
  signal?: AbortSignal;
}

// The error's message plus its cause's, e.g. "fetch failed: client error (Connect): dns error:
// ...", without the URL the cause repeats.
function message(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error
    ? err.cause.message.replace(/^error sending request for url \([^)]*\): /, "")
    : "";
  return cause && !err.message.includes(cause) ? `${err.message}: ${cause}` : err.message;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

async function downloadOne(
  spec: FileSpec,
  dir: string,
  options: DownloadOptions,
): Promise<string> {
  const fetchFn = options.fetch ?? fetch;
  const file = `${spec.name}.gz`;
  const url = new URL(file, options.baseUrl ?? FASHION_MNIST_BASE_URL).href;
  const report = options.onProgress ?? (() => {});
  const signal = options.signal;

  let response: Response;
  try {
    response = await fetchFn(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new DataNotFoundError(`${url}: download failed (${message(err)})`, { cause: err });
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    throw new DataNotFoundError(`${url}: download failed (${response.ok ? "empty body" : status})`);
  }
  const length = Number(response.headers.get("content-length"));
  const total = Number.isFinite(length) && length > 0 ? length : null;

  const tmp = await Deno.makeTempFile({ dir, prefix: `.${spec.name}.`, suffix: ".part" });
  try {
    let received = 0;
    const out = await Deno.open(tmp, { write: true, truncate: true });
    try {
      report({ file, url, received, total, done: false });
      for await (const chunk of response.body) {
        await writeAll(out, chunk);
        received += chunk.length;
        report({ file, url, received, total, done: false });
      }
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new DataError(
        `${url}: download interrupted after ${received} bytes (${message(err)})`,
        { cause: err },
      );
    } finally {
      out.close();
    }
    if (total !== null && received !== total) {
      throw new DataError(`${url}: download incomplete: ${received} of ${total} bytes`);
    }
    report({ file, url, received, total, done: true });

    // Verify what is on disk, decompressed: Debian's and the official .gz bytes differ, but
    // their content does not.
    const stored = await Deno.readFile(tmp);
    const gz = isGzip(stored);
    const raw = gz ? await gunzip(stored, url) : stored;
    if (raw.length !== spec.bytes) {
      throw new DataError(
        `${url}: downloaded file is ${raw.length} bytes decompressed, expected ${spec.bytes}`,
      );
    }
    const sha = await sha256Hex(raw);
    if (sha !== spec.sha256) {
      throw new DataError(
        `${url}: checksum mismatch: SHA-256 of the decompressed data is ${sha}, ` +
          `expected ${spec.sha256}`,
      );
    }
    const target = join(dir, gz ? file : spec.name);
    if (Deno.build.os !== "windows") await Deno.chmod(tmp, 0o644);
    await Deno.rename(tmp, target);
    return target;
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Download the official Fashion-MNIST files into a directory, skipping those already there.
 *
 * Each file is streamed into a temporary file in the same directory (`.<name>.*.part`), its
 * decompressed content checked against the known length and SHA-256, and only then renamed to
 * its final name (`<name>.gz`). On any failure (network, HTTP status, interrupted stream,
 * checksum mismatch, abort) the temporary file is removed, so no partial or wrong file is ever
 * left under a final name; files completed before the failure are kept.
 *
 * @param options Target directory, fetch function, progress callback, abort signal.
 * @returns The path of every file, downloaded or already present.
 * @throws {DataNotFoundError} When a file cannot be fetched at all (network failure, HTTP
 *   error), naming the URL.
 * @throws {DataError} When what arrives is wrong (interrupted, incomplete, wrong length or
 *   checksum, corrupt gzip), naming the URL and what went wrong; the abort reason when
 *   aborted.
 *
 * @example A simulated download of one tiny file
 * ```ts
 * import assert from "node:assert/strict";
 * import { downloadFashionMnist, encodeIdxLabels, sha256Hex } from "./mod.ts";
 *
 * const raw = encodeIdxLabels([1, 2, 3]);
 * const spec = {
 *   key: "testLabels" as const,
 *   name: "tiny-labels",
 *   sha256: await sha256Hex(raw),
 *   bytes: raw.length,
 * };
 * const fakeFetch = (url: string) => {
 *   assert.equal(url, "http://example.com/tiny-labels.gz");
 *   return Promise.resolve(new Response(raw));
 * };
 * const dir = await Deno.makeTempDir();
 * const paths = await downloadFashionMnist({
 *   dir,
 *   fetch: fakeFetch,
 *   baseUrl: "http://example.com/",
 *   files: [spec],
 * });
 * // The server sent uncompressed bytes, so the file is saved without `.gz`.
 * assert.equal(paths.testLabels, `${dir}/tiny-labels`);
 * assert.deepEqual(await Deno.readFile(paths.testLabels!), raw);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function downloadFashionMnist(
  options: DownloadOptions = {},
): Promise<Partial<FilePaths>> {
  const dir = options.dir ?? projectDataDir();
  if (dir === null) {
    throw new DataError("no directory to download into (this module is not a local file)");
  }
  const files = options.files ?? FASHION_MNIST_FILES;
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new DataError(`${dir}: cannot create directory (${message(err)})`, { cause: err });
  }
  const { paths } = await locateFiles(dir, files);
  for (const spec of files) {
    paths[spec.key] ??= await downloadOne(spec, dir, options);
  }
  return paths;
}
