/**
 * HTML that is escaped unless it says otherwise.
 *
 * Every page of the site is written with the {@linkcode html} template tag:
 * interpolated values are HTML-escaped, arrays are joined, and only a
 * {@linkcode SafeHtml} (from another `html` template, or from {@linkcode raw}
 * for markup that a trusted renderer produced: Markdown, KaTeX, highlight.js)
 * passes through as markup. Forgetting to escape is therefore impossible; one
 * has to ask for raw output by name.
 *
 * @module
 */

import { escapeHtml } from "../util/escape_html.ts";

/** Markup that is already safe to put in a page. */
export class SafeHtml {
  /**
   * Wrap markup that is known to be safe (see {@linkcode raw}).
   *
   * @param value The markup.
   */
  constructor(readonly value: string) {}

  /** The markup itself, so a `SafeHtml` also works where a string is expected. */
  toString(): string {
    return this.value;
  }
}

/**
 * Mark `markup` as safe: it is put in the page as it is. Only for the output
 * of renderers that escape their own input.
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A value the template accepts: text (escaped), markup, or lists of them. */
export type HtmlValue =
  | SafeHtml
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly HtmlValue[];

function piece(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(piece).join("");
  if (value === null || value === undefined || value === false || value === true) return "";
  return escapeHtml(String(value));
}

/**
 * The template tag: literal parts are markup, interpolations are escaped
 * (except {@linkcode SafeHtml}); `null`, `undefined` and booleans vanish, so
 * `${cond && html`...`}` works.
 *
 * @example Interpolations are escaped
 * ```ts
 * import assert from "node:assert/strict";
 * import { html, raw } from "./html.ts";
 * const name = "<script>alert(1)</script>";
 * assert(html`<p>${name}</p>`.value === "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
 * assert(html`<p>${raw("<b>ok</b>")}</p>`.value === "<p><b>ok</b></p>");
 * assert(html`<ul>${["a", "b"].map((x) => html`<li>${x}</li>`)}</ul>`.value === "<ul><li>a</li><li>b</li></ul>");
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/**
 * `value` as JSON that is safe inside `<script type="application/json">`:
 * `<`, `>`, `&` and the JavaScript line separators are written as `\uXXXX`
 * escapes, so no string in the data can close the script element.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonForScript } from "./html.ts";
 * const text = jsonForScript({ name: "</script><script>alert(1)</script>" }).value;
 * assert(!text.includes("<") && JSON.parse(text).name.startsWith("</script>"));
 * ```
 */
export function jsonForScript(value: unknown): SafeHtml {
  return new SafeHtml(
    JSON.stringify(value).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    ),
  );
}
