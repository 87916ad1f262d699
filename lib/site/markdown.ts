/**
 * Markdown with TeX to HTML, at build time: `marked` for the Markdown, KaTeX
 * for `$...$` and `$$...$$`, highlight.js for fenced code.
 *
 * Raw HTML in the Markdown is shown as text (escaped), links may only point
 * to relative paths, anchors, `http(s):` and `mailto:`, images only to
 * relative paths (the site works offline), and a TeX error stops the build
 * with the offending formula instead of shipping broken math.
 *
 * @module
 */

import katex from "katex";
import { Marked, type Tokens } from "marked";
import { codeBlock } from "./highlight.ts";
import { escapeHtml } from "../util/escape_html.ts";
import { raw, type SafeHtml } from "./html.ts";

/** A section heading of a page (for the "on this page" list). */
export interface Heading {
  depth: number;
  /** The anchor id. */
  id: string;
  /** The heading's text as plain text (math left as TeX). */
  text: string;
  /** The heading's content as markup (math rendered). */
  html: SafeHtml;
}

/** Renders the Markdown of one page; anchors are unique across its calls. */
export interface MarkdownRenderer {
  /** The HTML of a block of Markdown. */
  render(markdown: string): SafeHtml;
  /** Inline Markdown (no paragraph around it), e.g. a caption. */
  inline(markdown: string): SafeHtml;
  /** Headings seen so far, in order. */
  readonly headings: Heading[];
}

/** A TeX formula KaTeX could not render. */
export class MathError extends Error {
  override name = "MathError";
}

/**
 * TeX rendered by KaTeX, HTML and MathML.
 *
 * @throws {MathError} naming the formula when it does not parse.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTex } from "./markdown.ts";
 * assert(renderTex("\\eta_t", false).includes('class="katex"'));
 * ```
 */
export function renderTex(tex: string, display: boolean): string {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      output: "htmlAndMathml",
      strict: "ignore",
      trust: false,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new MathError(
      `cannot render ${display ? "$$" : "$"}${tex}${display ? "$$" : "$"}: ${why}`,
    );
  }
}

const INLINE_MATH = /^\$(?!\s)((?:\\.|[^\\$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\d)/;
const INLINE_DISPLAY = /^\$\$((?:\\.|[^\\$])+?)\$\$/;
const BLOCK_MATH = /^ {0,3}\$\$((?:\\.|[^\\$])+?)\$\$[ \t]*(?:\n|$)/;
const ANY_MATH = /\$\$(?:\\.|[^\\$])+?\$\$|\$(?!\s)(?:\\.|[^\\$\n])+?(?<!\s)\$(?!\d)/g;

const HEADING_ID = /\s*\{#([A-Za-z][\w-]*)\}\s*$/;

/** The heading's inline tokens without the trailing `{#id}`. */
function stripId(tokens: Tokens.Heading["tokens"]): Tokens.Heading["tokens"] {
  const last = tokens.at(-1);
  if (last?.type !== "text") return tokens;
  const text = (last as Tokens.Text).text.replace(HEADING_ID, "");
  const kept = tokens.slice(0, -1);
  return text ? [...kept, { ...last, raw: text, text } as Tokens.Text] : kept;
}

/** Index of the first `$` not escaped by a backslash, or -1. */
function firstDollar(src: string): number {
  for (let i = 0; i < src.length; i++) {
    if (src[i] === "\\") i++;
    else if (src[i] === "$") return i;
  }
  return -1;
}

function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (/^(?:https?:|mailto:)/i.test(trimmed)) return trimmed;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith("//")) return null;
  return trimmed;
}

/** `text` as an anchor id: lower case, words joined by `-`. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/\$[^$]*\$/g, "").replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "") || "section";
}

/**
 * A Markdown renderer for one page.
 *
 * @example Math, escaping and headings
 * ```ts
 * import assert from "node:assert/strict";
 * import { markdownRenderer } from "./markdown.ts";
 * const md = markdownRenderer();
 * const out = md.render("## Rates\n\nA rate $\\eta_t$ <script>x</script>").value;
 * assert(out.includes('id="rates"') && out.includes("katex") && out.includes("&lt;script&gt;"));
 * assert(md.headings[0].text === "Rates");
 * ```
 */
export function markdownRenderer(): MarkdownRenderer {
  const headings: Heading[] = [];
  const ids = new Map<string, number>();
  const uniqueId = (text: string, exact = false) => {
    const base = exact ? text : slugify(text);
    const n = ids.get(base) ?? 0;
    ids.set(base, n + 1);
    return n === 0 ? base : `${base}-${n + 1}`;
  };
  const marked = new Marked({
    gfm: true,
    extensions: [
      {
        name: "blockMath",
        level: "block",
        start: (src: string) => src.match(/^ {0,3}\$\$/m)?.index,
        tokenizer(src: string) {
          const match = src.match(BLOCK_MATH);
          if (match) return { type: "blockMath", raw: match[0], text: match[1].trim() };
        },
        renderer: (token: Tokens.Generic) =>
          `<div class="math-display">${renderTex(token.text, true)}</div>\n`,
      },
      {
        name: "inlineMath",
        level: "inline",
        start: (src: string) => {
          const i = firstDollar(src);
          return i < 0 ? undefined : i;
        },
        tokenizer(src: string) {
          const display = src.match(INLINE_DISPLAY);
          if (display) {
            return { type: "inlineMath", raw: display[0], text: display[1].trim(), display: true };
          }
          const match = src.match(INLINE_MATH);
          if (match) return { type: "inlineMath", raw: match[0], text: match[1], display: false };
        },
        renderer: (token: Tokens.Generic) =>
          token.display
            ? `<span class="math-display">${renderTex(token.text, true)}</span>`
            : renderTex(token.text, false),
      },
    ],
    hooks: {
      // `*` and `_` inside math are not emphasis delimiters.
      emStrongMask: (src: string) =>
        src.replace(ANY_MATH, (m) => m[0] + "a".repeat(m.length - 2) + m[m.length - 1]),
    },
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      code: ({ text, lang }: Tokens.Code) => codeBlock(text, lang?.split(/\s+/)[0]).value + "\n",
      heading({ tokens, depth, text }: Tokens.Heading) {
        // An explicit anchor, `## Title {#id}`, as in Pandoc; otherwise one made from the text.
        const explicit = text.match(HEADING_ID);
        if (explicit) {
          text = text.slice(0, explicit.index).trimEnd();
          tokens = stripId(tokens);
        }
        const inner = this.parser.parseInline(tokens);
        const plain = text.replace(/[*_`]/g, "");
        const id = explicit ? uniqueId(explicit[1], true) : uniqueId(plain);
        headings.push({ depth, id, text: plain, html: raw(inner) });
        return `<h${depth} id="${escapeHtml(id)}">${inner}<a class="anchor" href="#${
          escapeHtml(id)
        }" aria-label="Link to this section">#</a></h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const target = safeHref(href);
        if (target === null) return inner;
        const external = /^https?:/i.test(target);
        return `<a href="${escapeHtml(target)}"${title ? ` title="${escapeHtml(title)}"` : ""}${
          external ? ' rel="noopener"' : ""
        }>${inner}</a>`;
      },
      image({ href, title, text }: Tokens.Image) {
        const target = safeHref(href);
        if (target === null || /^[a-z]+:/i.test(target)) return escapeHtml(text);
        return `<img src="${escapeHtml(target)}" alt="${escapeHtml(text)}"${
          title ? ` title="${escapeHtml(title)}"` : ""
        } loading="lazy">`;
      },
    },
  });
  const wrapTables = (out: string) =>
    out.replaceAll("<table>", '<div class="table-wrap"><table>').replaceAll(
      "</table>",
      "</table></div>",
    );
  return {
    headings,
    render: (markdown) => raw(wrapTables(marked.parse(markdown, { async: false }))),
    inline: (markdown) => raw(marked.parseInline(markdown, { async: false })),
  };
}
