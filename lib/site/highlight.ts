/**
 * Syntax highlighting at build time with highlight.js (only the languages the
 * book uses are loaded). The page gets `<span class="hljs-...">` markup and
 * the site's stylesheet colours it, in light and dark mode.
 *
 * @module
 */

import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import json from "highlight.js/lib/languages/json";
import typescript from "highlight.js/lib/languages/typescript";
import { escapeHtml } from "../util/escape_html.ts";
import { html, raw, SafeHtml } from "./html.ts";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("json", json);

const ALIASES: Record<string, string> = {
  ts: "typescript",
  typescript: "typescript",
  js: "typescript",
  javascript: "typescript",
  sh: "bash",
  shell: "bash",
  bash: "bash",
  console: "bash",
  json: "json",
};

/**
 * `code` as highlighted markup (escaped text in `<span>`s). An unknown or
 * missing language gives the code escaped and unhighlighted.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { highlight } from "./highlight.ts";
 * assert(highlight("const a = '<b>';", "ts").value.includes('<span class="hljs-keyword">const</span>'));
 * assert(highlight("<b>", "nope").value === "&lt;b&gt;");
 * ```
 */
export function highlight(code: string, language: string | undefined): SafeHtml {
  const name = ALIASES[(language ?? "").toLowerCase()];
  if (name === undefined) return raw(escapeHtml(code));
  return raw(hljs.highlight(code, { language: name, ignoreIllegals: true }).value);
}

/**
 * A code block as the site shows it: highlighted, in a frame with a copy
 * button (the client script reveals and wires the button; without scripts the
 * code is still there to select).
 *
 * @param code The code, as it will be copied.
 * @param language A highlight.js language or alias (`ts`, `sh`, ...).
 */
export function codeBlock(code: string, language: string | undefined): SafeHtml {
  const name = ALIASES[(language ?? "").toLowerCase()] ?? "plaintext";
  return html`
    <div
      class="code-block"><button type="button" class="copy" aria-label="Copy code" hidden>Copy</button><pre><code class="hljs language-${name}">${highlight(
        code,
        language,
      )}</code></pre></div>
  `;
}
