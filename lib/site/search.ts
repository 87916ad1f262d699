/**
 * The site's search: every section of every page as a document, indexed at build time with
 * MiniSearch (npm), and shipped as a script, `assets/search-index.js`, which the pages load when
 * the reader opens the search: a page opened from `file://` may not `fetch` the files beside it,
 * but it may load scripts. The documents are read back from the pages as written, so a page the
 * build skipped (nothing changed) is searched as it is.
 *
 * @module
 */

import MiniSearch from "minisearch";
import { DOMParser } from "linkedom";

/** One section of a page, as the search finds it. */
export interface SearchDoc {
  /** The section's link: the page and its anchor, e.g. `cosine.html#cell-cosine-run`. */
  id: string;
  /** The page's title. */
  page: string;
  /** The section's heading (the page's own title for what comes before its first section). */
  heading: string;
  /** The section's words: prose, captions, headings; no code, no math. */
  text: string;
}

/** MiniSearch's settings, the same when indexing (here) and loading the index (`site.js`). */
export const SEARCH_OPTIONS = {
  fields: ["heading", "page", "text"],
  storeFields: ["page", "heading", "text"],
  searchOptions: { boost: { heading: 3, page: 2 }, prefix: true, fuzzy: 0.2 },
} as const;

/** What the search leaves out of a section's words. */
const SKIP = [
  "script",
  "style",
  "pre",
  "button",
  "nav",
  "dialog",
  "noscript",
  "svg",
  ".katex",
  ".anchor",
  ".plot",
  ".pg-body",
  ".fig-table",
  ".see",
  ".scroll-hint",
  ".eq-num",
].join(", ");

// deno-lint-ignore no-explicit-any
type Node = any;

/**
 * The sections of a page.
 *
 * @param page The page's HTML.
 * @param href The page's file, e.g. `cosine.html`.
 * @returns One document per section (h2 or h3 with an id), and one for the text before the first.
 *
 * @example Sections of a page
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchDocs } from "./search.ts";
 * const docs = searchDocs(
 *   `<title>Cosine · Book</title><main><h1 id="title">Cosine</h1><p>A schedule.</p>` +
 *     `<h2 id="runs">Runs</h2><p>It trains.</p><pre>code()</pre></main>`,
 *   "cosine.html",
 * );
 * assert.deepEqual(docs.map((d) => [d.id, d.heading, d.text]), [
 *   ["cosine.html", "Cosine", "A schedule."],
 *   ["cosine.html#runs", "Runs", "It trains."],
 * ]);
 * ```
 */
export function searchDocs(page: string, href: string): SearchDoc[] {
  const doc = new DOMParser().parseFromString(page, "text/html");
  const main = doc.querySelector("main");
  if (!main) return [];
  const title = (doc.querySelector("main h1")?.textContent ?? doc.title).replace(/#$/, "").trim();
  const docs: SearchDoc[] = [];
  let current: { id: string; heading: string; parts: string[] } = {
    id: href,
    heading: title,
    parts: [],
  };
  const flush = () => {
    const text = current.parts.join(" ").replace(/\s+/g, " ").trim();
    if (text || current.id !== href) {
      docs.push({ id: current.id, page: title, heading: current.heading, text });
    }
  };
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      current.parts.push(node.textContent);
      return;
    }
    if (node.nodeType !== 1) return;
    if (node.matches(SKIP)) return;
    const tag = node.tagName.toLowerCase();
    if ((tag === "h2" || tag === "h3") && node.id) {
      flush();
      const heading = [...node.childNodes].filter((c: Node) => !c.matches?.(".anchor"))
        .map((c: Node) => c.textContent).join("").trim();
      current = { id: `${href}#${node.id}`, heading, parts: [] };
      return;
    }
    if (tag === "h1") return;
    const block = /^(p|li|div|section|figcaption|td|th|tr|h4|summary|header)$/.test(tag);
    for (const child of node.childNodes) walk(child);
    if (block) current.parts.push(" ");
  };
  walk(main);
  flush();
  return docs;
}

/**
 * The search index as the script the pages load: MiniSearch's index of `docs`, serialised, set
 * on `globalThis.lrBookSearch` with the options it was made with.
 *
 * @param docs Every section of every page.
 * @returns The script's text.
 */
export function searchIndexScript(docs: readonly SearchDoc[]): string {
  const search = new MiniSearch<SearchDoc>({
    ...SEARCH_OPTIONS,
    fields: [...SEARCH_OPTIONS.fields],
    storeFields: [...SEARCH_OPTIONS.storeFields],
  });
  search.addAll(docs);
  const payload = JSON.stringify({ options: SEARCH_OPTIONS, index: search.toJSON() })
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `// The book's search index (lib/site/search.ts), made by MiniSearch when the site was built.\nglobalThis.lrBookSearch = ${payload};\n`;
}
