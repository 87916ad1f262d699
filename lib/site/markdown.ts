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
  /** `{#id .folded}`: the section under it is folded behind a disclosure. */
  folded?: boolean;
}

/** Renders the Markdown of one page; anchors are unique across its calls. */
export interface MarkdownRenderer {
  /** The HTML of a block of Markdown. */
  render(markdown: string): SafeHtml;
  /** Inline Markdown (no paragraph around it), e.g. a caption. */
  inline(markdown: string): SafeHtml;
  /** Headings seen so far, in order. */
  readonly headings: Heading[];
  /** Display equations seen so far, by label (`\label{name}` in the TeX) and by id. */
  readonly equations: Map<string, Numbered>;
  /** Tables of the prose seen so far, by id. */
  readonly tables: Numbered[];
  /** The citation keys seen so far, in order of first citation. */
  readonly cited: string[];
}

/** Something numbered on a page: an equation or a table. */
export interface Numbered {
  /** The element id. */
  id: string;
  /** The number as shown, e.g. `7.2`. */
  number: string;
}

/** How the renderer numbers and links. */
export interface MarkdownOptions {
  /**
   * The chapter's number: equations and tables are numbered `7.1`, `7.2`, ... (default: none,
   * `1`, `2`, ...).
   */
  chapter?: number;
  /** Where the number of the first table of the prose starts (tables of code cells come too). */
  tables?: () => number;
  /**
   * The link of a citation's key, `[Loshchilov & Hutter (2016)](cite:loshchilov2016)`.
   *
   * @throws {Error} When the key is in no bibliography: the build stops, naming it.
   */
  cite?: (key: string) => string;
  /**
   * Every table must have a caption (a chapter's prose): a table without one stops the build,
   * quoting its first line, instead of shipping a table nobody can refer to.
   */
  requireCaptions?: boolean;
}

/** The kinds of cross-reference, `[the schedule](fig:cosine-plot)`: figures, tables, equations. */
export const XREF_KINDS = { fig: "Fig.", tbl: "Table", eq: "Eq." } as const;

/** A cross-reference's kind. */
export type XrefKind = keyof typeof XREF_KINDS;

/**
 * A cross-reference waiting for its number: figures are numbered only when the whole page is
 * known (a reference may come before its figure), so the renderer leaves this mark and
 * {@linkcode resolveRefs} replaces it.
 */
const XREF_MARK = /\uE000(fig|tbl|eq):([A-Za-z0-9][\w-]*):(bare|paren)\uE000/g;

/**
 * Cross-references resolved: each mark the renderer left becomes the number of what it names.
 *
 * @param markup The page's markup.
 * @param lookup The id and number of what `kind:name` names, or `null` if there is none.
 * @returns The markup with the numbers and links.
 * @throws {Error} Naming every reference to something that does not exist.
 */
export function resolveRefs(
  markup: string,
  lookup: (kind: XrefKind, name: string) => Numbered | null,
): string {
  const missing: string[] = [];
  const out = markup.replace(XREF_MARK, (_m, kind: XrefKind, name: string, mode: string) => {
    const found = lookup(kind, name);
    if (found === null) {
      missing.push(`${kind}:${name}`);
      return "";
    }
    const label = kind === "eq" ? `(${found.number})` : `${XREF_KINDS[kind]}\u00a0${found.number}`;
    return mode === "bare" ? label : ` (${label})`;
  }).replace(/href="#\uE001(fig|tbl|eq):([A-Za-z0-9][\w-]*)"/g, (_m, kind: XrefKind, name) => {
    const found = lookup(kind, name);
    return `href="#${escapeHtml(found?.id ?? `${kind}-${name}`)}"`;
  });
  if (missing.length) {
    throw new Error(`a reference to what the page does not have: ${missing.join(", ")}`);
  }
  return out;
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

/**
 * An explicit anchor after a heading, `{#id}`, as in Pandoc, with classes: `{#answer-1 .folded}`
 * folds the section under the heading behind a disclosure (./model.ts).
 */
const HEADING_ID = /\s*\{#([A-Za-z][\w-]*)((?:\s+\.[A-Za-z][\w-]*)*)\}\s*$/;

/** An equation's label, `\label{name}`, anywhere in its TeX (KaTeX has no labels: it is cut). */
const TEX_LABEL = /\\label\{([A-Za-z0-9][\w:-]*)\}/;

/** A caption after a table, as in Pandoc: `Table: What the table shows.` */
const TABLE_CAPTION = /^Table:\s+([\s\S]+?)\s*$/;

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
export function markdownRenderer(options: MarkdownOptions = {}): MarkdownRenderer {
  const headings: Heading[] = [];
  const equations = new Map<string, Numbered>();
  const tables: Numbered[] = [];
  const cited: string[] = [];
  const prefix = options.chapter === undefined ? "" : `${options.chapter}.`;
  let equationCount = 0;
  /** A display equation: numbered, with an anchor, its number a link to it. */
  const equation = (tex: string, tag: "div" | "span") => {
    const label = tex.match(TEX_LABEL)?.[1];
    const body = tex.replace(TEX_LABEL, "").trim();
    const number = `${prefix}${++equationCount}`;
    const id = label ? `eq-${label.replace(/^eq[:-]/, "")}` : `eq-${number.replace(".", "-")}`;
    const numbered = { id, number };
    equations.set(id, numbered);
    if (label) equations.set(label.replace(/^eq[:-]/, ""), numbered);
    return `<${tag} class="equation" id="${escapeHtml(id)}"><${tag} class="math-display">${
      renderTex(body, true)
    }</${tag}><a class="eq-num" href="#${
      escapeHtml(id)
    }" aria-label="Equation ${number}">(${number})</a></${tag}>`;
  };
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
        renderer: (token: Tokens.Generic) => `${equation(token.text, "div")}\n`,
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
          token.display ? equation(token.text, "span") : renderTex(token.text, false),
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
        const folded = /\.folded\b/.test(explicit?.[2] ?? "");
        headings.push({ depth, id, text: plain, html: raw(inner), ...(folded ? { folded } : {}) });
        return `<h${depth} id="${escapeHtml(id)}"${
          folded ? ' class="folded"' : ""
        }>${inner}<a class="anchor" href="#${
          escapeHtml(id)
        }" aria-label="Link to this section">#</a></h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const cite = href.match(/^cite:([A-Za-z0-9][\w-]*)$/);
        if (cite) {
          if (!options.cite) return inner;
          const target = options.cite(cite[1]);
          if (!cited.includes(cite[1])) cited.push(cite[1]);
          return `<a class="citation" href="${escapeHtml(target)}">${inner}</a>`;
        }
        const xref = href.match(/^(fig|tbl|eq):([A-Za-z0-9][\w-]*)$/);
        if (xref) {
          // `[Fig.](fig:x)` is the number alone; `[the schedule](fig:x)`, the words and the number.
          const kind = xref[1] as XrefKind;
          const bare = /^(?:fig\.?|figure|table|tbl\.?|eq\.?|equation)$/i.test(inner.trim());
          return `<a class="xref" href="#\uE001${kind}:${xref[2]}">${
            bare ? "" : inner
          }\uE000${kind}:${xref[2]}:${bare ? "bare" : "paren"}\uE000</a>`;
        }
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
  /** Tables numbered and captioned (a `Table: ...` paragraph right after one is its caption). */
  const render = (markdown: string) => {
    const tokens = marked.lexer(markdown);
    const captions: (string | null)[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type !== "table") continue;
      let j = i + 1;
      while (tokens[j]?.type === "space") j++;
      const caption = tokens[j]?.type === "paragraph"
        ? (tokens[j] as Tokens.Paragraph).text.match(TABLE_CAPTION)?.[1] ?? null
        : null;
      if (caption === null && options.requireCaptions) {
        const head = (tokens[i] as Tokens.Table).raw.split("\n")[0].trim();
        throw new Error(
          `a table without a caption (${JSON.stringify(head.slice(0, 60))}): add a line ` +
            `"Table: what it shows." right after it`,
        );
      }
      captions.push(caption);
      if (caption !== null) tokens.splice(i + 1, j - i);
    }
    let k = 0;
    const out = marked.parser(tokens).replace(/<table>[\s\S]*?<\/table>/g, (table) => {
      const caption = captions[k++] ?? null;
      const explicit = caption?.match(HEADING_ID);
      const text = explicit ? caption!.slice(0, explicit.index).trimEnd() : caption;
      const number = `${prefix}${(options.tables?.() ?? 0) + tables.length + 1}`;
      const id = explicit
        ? `tbl-${explicit[1].replace(/^tbl-/, "")}`
        : `tbl-${number.replace(".", "-")}`;
      tables.push({ id, number });
      return tableBox(id, number, text ? marked.parseInline(text, { async: false }) : "", table);
    });
    return raw(out);
  };
  return {
    headings,
    equations,
    tables,
    cited,
    render,
    inline: (markdown) => raw(marked.parseInline(markdown, { async: false })),
  };
}

/**
 * A table with its number and caption above it, in the frame that scrolls it when it is wider
 * than the column (`site.js` gives the frame focus and a cue then).
 *
 * @param id The anchor.
 * @param number The table's number, e.g. `7.1`.
 * @param caption The caption, as markup (may be empty).
 * @param table The `<table>` element's markup.
 * @returns The markup.
 */
export function tableBox(
  id: string | null,
  number: string | null,
  caption: string,
  table: string,
): string {
  const idAttr = id === null ? "" : ` id="${escapeHtml(id)}"`;
  const num = number === null
    ? ""
    : id === null
    ? `<span class="tbl-num">Table\u00a0${escapeHtml(number)}.</span>`
    : `<a class="tbl-num" href="#${escapeHtml(id)}">Table\u00a0${escapeHtml(number)}.</a>`;
  const text = [num, caption].filter(Boolean).join(" ");
  return `<div class="table-box"${idAttr}><p class="table-caption"><span>${text}</span><span class="scroll-hint" aria-hidden="true">scroll sideways →</span></p><div class="table-wrap">${table}</div></div>`;
}
