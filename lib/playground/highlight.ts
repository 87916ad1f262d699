/**
 * A small highlighter for the two texts the playground writes, in the
 * browser: the `deno task lr` command and the TypeScript snippet. It marks
 * tokens with highlight.js's class names, so the site's stylesheet colours
 * them as it colours the code highlighted at build time.
 *
 * @module
 */

import { escapeHtml } from "../util/escape_html.ts";

function mark(text: string, pattern: RegExp, classes: (string | null)[]): string {
  let out = "", last = 0;
  for (const match of text.matchAll(pattern)) {
    const group = match.slice(1).findIndex((g) => g !== undefined);
    const cls = classes[group];
    out += escapeHtml(text.slice(last, match.index));
    out += cls ? `<span class="${cls}">${escapeHtml(match[0])}</span>` : escapeHtml(match[0]);
    last = match.index! + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

const TS = new RegExp(
  [
    /(\/\/[^\n]*)/, // comment
    /("(?:[^"\\\n]|\\.)*")/, // string
    /(?<![\w$.])(import|from|const|let)\b/, // keyword
    /\b(true|false|null|undefined)\b/, // literal
    /((?<![\w$.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)/, // number
    /([A-Za-z_$][\w$]*(?=\())/, // a call
  ].map((r) => r.source).join("|"),
  "g",
);

/**
 * TypeScript as highlighted HTML (escaped).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { highlightTs } from "./highlight.ts";
 * assert.equal(
 *   highlightTs('const lr = sqrt({ baseLr: 0.1 }); // "<"'),
 *   '<span class="hljs-keyword">const</span> lr = <span class="hljs-title function_">sqrt</span>' +
 *     '({ baseLr: <span class="hljs-number">0.1</span> }); <span class="hljs-comment">// &quot;&lt;&quot;</span>',
 * );
 * ```
 */
export function highlightTs(code: string): string {
  return mark(code, TS, [
    "hljs-comment",
    "hljs-string",
    "hljs-keyword",
    "hljs-literal",
    "hljs-number",
    "hljs-title function_",
  ]);
}

const SH = /^(deno)\b|(\s--[a-z0-9-]+)|(\s-?\d[\d.e+-]*(?:,\d+)*)(?=\s|$)/gm;

/**
 * A `deno task lr` command line as highlighted HTML (escaped).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { highlightCommand } from "./highlight.ts";
 * assert.equal(
 *   highlightCommand("deno task lr sqrt --base-lr 0.1"),
 *   '<span class="hljs-built_in">deno</span> task lr sqrt<span class="hljs-attr"> --base-lr</span><span class="hljs-number"> 0.1</span>',
 * );
 * ```
 */
export function highlightCommand(command: string): string {
  return mark(command, SH, ["hljs-built_in", "hljs-attr", "hljs-number"]);
}
