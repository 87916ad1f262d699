/**
 * The file systems the build uses, injected: the output directory (written)
 * and the project's sources (read). Tests build the whole site in memory.
 *
 * @module
 */

/** The output directory. Paths are relative to its root and use `/`. */
export interface SiteFs {
  /** The file's bytes, or `null` if there is no such file. */
  read(path: string): Promise<Uint8Array | null>;
  /**
   * Write `data` to `path` (the directory exists). Write pages through `writeAtomic`
   * (`lib/util/write_atomic.ts`), not with this.
   */
  write(path: string, data: Uint8Array): Promise<void>;
  /** Move `from` over `to`, replacing it. */
  rename(from: string, to: string): Promise<void>;
  /** Delete a file; no error if it is missing. */
  remove(path: string): Promise<void>;
  /** Create a directory and its parents; no error if it exists. */
  mkdir(path: string): Promise<void>;
  /** Whether a file exists at `path`. */
  exists(path: string): Promise<boolean>;
}

/** Read access to the project: chapter sources, library code, npm packages' files. */
export interface SourceReader {
  /** The bytes at `url` (a `file:` URL). Throws if missing. */
  read(url: URL): Promise<Uint8Array>;
  /** The names of the files (not directories) in the directory `url`. */
  list(url: URL): Promise<string[]>;
}

/** An output directory in memory; `files` maps each path to its bytes. */
export function memoryFs(): SiteFs & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    read: (path) => Promise.resolve(files.get(path) ?? null),
    write: (path, data) => {
      files.set(path, data.slice());
      return Promise.resolve();
    },
    rename: (from, to) => {
      const data = files.get(from);
      if (data === undefined) return Promise.reject(new Error(`rename: no file ${from}`));
      files.delete(from);
      files.set(to, data);
      return Promise.resolve();
    },
    remove: (path) => {
      files.delete(path);
      return Promise.resolve();
    },
    mkdir: () => Promise.resolve(),
    exists: (path) => Promise.resolve(files.has(path)),
  };
}

/** The output directory `root` on disk. */
export function diskFs(root: string): SiteFs {
  const at = (path: string) => `${root.replace(/\/+$/, "")}/${path}`;
  return {
    async read(path) {
      try {
        return await Deno.readFile(at(path));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return null;
        throw error;
      }
    },
    write: (path, data) => Deno.writeFile(at(path), data),
    rename: (from, to) => Deno.rename(at(from), at(to)),
    async remove(path) {
      try {
        await Deno.remove(at(path));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    },
    mkdir: (path) => Deno.mkdir(at(path), { recursive: true }),
    async exists(path) {
      try {
        return (await Deno.stat(at(path))).isFile;
      } catch {
        return false;
      }
    },
  };
}

/** The project's files, read from disk. */
export const diskSources: SourceReader = {
  read: (url) => Deno.readFile(url),
  async list(url) {
    const names: string[] = [];
    for await (const entry of Deno.readDir(url)) if (entry.isFile) names.push(entry.name);
    return names.sort();
  },
};
