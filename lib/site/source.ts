/**
 * Reading code: the region of a chapter file that a code cell shows, and the
 * local modules a file imports (for the build's content hash).
 *
 * @module
 */

const REGION = /^\s*\/\/\s*#region\s+(\S+)\s*$/;
const END = /^\s*\/\/\s*#endregion(?:\s+(\S+))?\s*$/;

/**
 * The lines between `// #region ID` and `// #endregion ID` (or a bare
 * `// #endregion` closing it), without the markers, with their common
 * indentation removed. Marker lines of other regions inside it are dropped.
 *
 * @param text The file's source.
 * @param id The region name (a code cell's id).
 * @returns The code, without trailing blank lines.
 * @throws {Error} if the region is missing, unclosed or defined twice.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { cutRegion } from "./source.ts";
 * const text = "x\n  // #region f\n  function f() {\n    return 1;\n  }\n  // #endregion f\n";
 * assert(cutRegion(text, "f") === "function f() {\n  return 1;\n}");
 * ```
 */
export function cutRegion(text: string, id: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const starts = lines.flatMap((l, i) => (l.match(REGION)?.[1] === id ? [i] : []));
  if (starts.length === 0) throw new Error(`no region "// #region ${id}"`);
  if (starts.length > 1) throw new Error(`region "${id}" is defined ${starts.length} times`);
  const body: string[] = [];
  let depth = 0;
  for (let i = starts[0] + 1; i < lines.length; i++) {
    const line = lines[i];
    if (REGION.test(line)) {
      depth++;
      continue;
    }
    const end = line.match(END);
    if (end) {
      if (depth === 0 || end[1] === id) {
        return dedent(body);
      }
      depth--;
      continue;
    }
    body.push(line);
  }
  throw new Error(`region "${id}" has no "// #endregion ${id}"`);
}

function dedent(lines: string[]): string {
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd()).join("\n");
}

/**
 * The relative module specifiers `text` imports or re-exports, statically or
 * dynamically, and the `new URL("./x.ts", import.meta.url)` files it names
 * (workers). Bare and URL specifiers (npm packages) are left out: the lock
 * file stands for them.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { localImports } from "./source.ts";
 * const text = `import { a } from "./a.ts";\nexport * from "../b.ts";\nimport "npm:x";\n` +
 *   `const w = new Worker(new URL("./w.ts", import.meta.url));`;
 * assert(localImports(text).join() === "./a.ts,../b.ts,./w.ts");
 * ```
 */
export function localImports(text: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\b(?:import|export)\b[^"';]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(?\s*["']([^"']+)["']/g,
    /new URL\(\s*["']([^"']+\.[jt]sx?)["']\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      if (match[1].startsWith("./") || match[1].startsWith("../")) found.add(match[1]);
    }
  }
  return [...found];
}
