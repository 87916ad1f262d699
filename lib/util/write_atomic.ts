/**
 * Writing a file so that no reader ever sees half of it.
 *
 * @module
 */

/** The file operations {@linkcode writeAtomic} needs: the disk's by default, or a site's output. */
export interface AtomicWriteFs {
  /** Create a directory and its parents; no error if it exists. */
  mkdir(path: string): Promise<void>;
  /** Write `data` to the file `path`. */
  write(path: string, data: Uint8Array): Promise<void>;
  /** Move the file `from` over `to`, replacing it. */
  rename(from: string, to: string): Promise<void>;
  /** Delete the file `path`. */
  remove(path: string): Promise<void>;
}

/** The disk, through Deno. */
const disk: AtomicWriteFs = {
  mkdir: (path) => Deno.mkdir(path, { recursive: true }),
  write: (path, data) => Deno.writeFile(path, data),
  rename: (from, to) => Deno.rename(from, to),
  remove: (path) => Deno.remove(path),
};

/**
 * Write a file atomically: create its directory if it is missing, write a
 * temporary file beside it, then rename that over the target, so a reader
 * (or a browser reloading) never sees a half-written file. On failure the
 * temporary file is removed and the target is left as it was.
 *
 * @param path The target file (`/`-separated).
 * @param data Its new content: text (written as UTF-8) or bytes.
 * @param fs Where to write (default: the disk).
 * @returns When the file is in place.
 *
 * @example Writing a file in a new directory
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAtomic } from "./write_atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeAtomic(`${dir}/out/a.txt`, "hello");
 * assert.equal(await Deno.readTextFile(`${dir}/out/a.txt`), "hello");
 * assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((e) => e.name), ["a.txt"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeAtomic(
  path: string,
  data: string | Uint8Array,
  fs: AtomicWriteFs = disk,
): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await fs.mkdir(path.slice(0, slash));
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await fs.write(temp, bytes);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.remove(temp).catch(() => {});
    throw error;
  }
}
