/**
 * The book's bibliography: one list of works, each with a link to it (DOI or arXiv), which the
 * chapters cite as Markdown links, `[Loshchilov & Hutter (2016)](cite:loshchilov2016)`. The
 * terminal shows the link's text; the site links it to the work's entry on the references page
 * (`references.html#ref-KEY`), and a citation of a key the bibliography lacks stops the build.
 *
 * @module
 */

/** A work the book cites. */
export interface Reference {
  /** The key citations use: lower case, e.g. `loshchilov2016`. */
  key: string;
  /** The authors as cited in full, e.g. `Ilya Loshchilov and Frank Hutter`. */
  authors: string;
  /** The year of publication. */
  year: number;
  /** The title. */
  title: string;
  /** Where it appeared, e.g. `ICLR 2017` or `arXiv preprint`. */
  venue: string;
  /** The DOI, e.g. `10.1109/CVPR.2016.90`. */
  doi?: string;
  /** The arXiv identifier, e.g. `1608.03983`. */
  arxiv?: string;
  /** Any other address of the work (when it has neither a DOI nor an arXiv identifier). */
  url?: string;
}

/** The whole bibliography, in the order the references page lists it. */
export type Bibliography = readonly Reference[];

/** The references page. */
export const REFERENCES_HREF = "references.html";

/**
 * The links of a work: its DOI, its arXiv page, its other address.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceLinks } from "./bibliography.ts";
 * assert.deepEqual(
 *   referenceLinks({ key: "k", authors: "A", year: 2016, title: "T", venue: "V", arxiv: "1608.03983" }),
 *   [{ label: "arXiv:1608.03983", href: "https://arxiv.org/abs/1608.03983" }],
 * );
 * ```
 */
export function referenceLinks(r: Reference): { label: string; href: string }[] {
  return [
    ...(r.doi ? [{ label: `doi:${r.doi}`, href: `https://doi.org/${r.doi}` }] : []),
    ...(r.arxiv ? [{ label: `arXiv:${r.arxiv}`, href: `https://arxiv.org/abs/${r.arxiv}` }] : []),
    ...(r.url ? [{ label: r.url.replace(/^https?:\/\//, ""), href: r.url }] : []),
  ];
}

/**
 * Problems of a bibliography: keys that are not unique or not well formed, entries with no link.
 *
 * @param bibliography The works.
 * @returns One line per problem (none: it is fine).
 */
export function bibliographyProblems(bibliography: Bibliography): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of bibliography) {
    if (!/^[a-z][a-z0-9-]*$/.test(r.key)) problems.push(`"${r.key}": a key is lower case`);
    if (seen.has(r.key)) problems.push(`"${r.key}": two entries have this key`);
    seen.add(r.key);
    if (referenceLinks(r).length === 0) problems.push(`"${r.key}": no DOI, arXiv id or URL`);
  }
  return problems;
}
