/**
 * Pages to HTML: the layout (top bar, sidebar, content, pager) around a page
 * model's blocks. Everything goes through the escaping {@linkcode html} tag.
 *
 * @module
 */

import { codeBlock } from "./highlight.ts";
import { html, jsonForScript, raw, type SafeHtml } from "./html.ts";
import { tableBox } from "./markdown.ts";
import { plotSvg } from "./svg.ts";
import { type Bibliography, type Reference, referenceLinks } from "./bibliography.ts";
import {
  type Block,
  type ChapterLink,
  type ChapterPage,
  COMPARISON_ID,
  COMPARISON_TITLE,
  type Figure,
  type IndexPage,
  type KindReference,
  type OutputBlock,
  type Page,
  type PanelModel,
  type PlaygroundPage,
  type ReferencesPage,
  type SiteModel,
  type TocEntry,
  type TrainerModel,
} from "./model.ts";
import type { TableModel } from "./figures.ts";

/** Where the site's own files are, relative to a page. */
export const ASSET_PATHS = {
  css: "assets/site.css",
  /** The playground panel's own rules, linked (after `css`) only by pages with a panel. */
  playgroundCss: "assets/playground.css",
  js: "assets/site.js",
  /** The book's icon. */
  icon: "assets/icon.svg",
  katexCss: "assets/katex/katex.min.css",
  plotly: "assets/plotly.min.js",
  /** The schedule playground: lib/playground/client.ts with lib/schedules, bundled at build time. */
  playground: "assets/playground.js",
  /** The training panel's engine: its worker (lib/train, bundled) and kernels, loaded on demand. */
  trainEngine: "assets/train.js",
  /** The training panel's data: a subset of Fashion-MNIST, loaded on demand. */
  trainData: "assets/train-data.js",
  /** MiniSearch, the search's library, as the npm package ships it for browsers. */
  minisearch: "assets/minisearch.js",
  /** The search index: every section of every page, as a script (file:// forbids fetch). */
  searchIndex: "assets/search-index.js",
} as const;

/** The key under which the reader's theme choice is remembered. */
export const THEME_KEY = "lr-book-theme";

// Runs before the first paint so a dark page never flashes white.
const THEME_BOOT = `(function(){var t=null;try{t=localStorage.getItem("${THEME_KEY}")}catch(e){}` +
  `if(t!=="light"&&t!=="dark")t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light";` +
  `document.documentElement.dataset.theme=t})()`;

const ICONS = {
  menu: raw(
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2" stroke-linecap="round" fill="none"/></svg>',
  ),
  sun: raw(
    '<svg class="icon-sun" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><circle cx="12" cy="12" r="4.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 1.5v3M12 19.5v3M1.5 12h3M19.5 12h3M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
  ),
  sliders: raw(
    '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" stroke="currentColor" stroke-width="2" stroke-linecap="round" fill="none"/><circle cx="15" cy="6" r="2" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="9" cy="12" r="2" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="17" cy="18" r="2" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
  ),
  book: raw(
    '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M5 4h10a3 3 0 0 1 3 3v13H8a3 3 0 0 1-3-3z M5 17a3 3 0 0 1 3-3h10" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>',
  ),
  search: raw(
    '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
  ),
  moon: raw(
    '<svg class="icon-moon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M20.5 14.5A8.5 8.5 0 0 1 9.5 3.5a8.5 8.5 0 1 0 11 11z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>',
  ),
};

function quickNote(site: SiteModel): SafeHtml | null {
  const q = site.quick;
  if (q === null) return null;
  const epochs = `${q.epochs} epoch${q.epochs === 1 ? "" : "s"}`;
  return html`
    <aside class="quick-note"
      role="note"><strong>Quick build.</strong> The numbers on this page come from a quick build: every training run was cut to ${epochs} on the first ${q
        .trainSize.toLocaleString("en-US")} training and ${q.testSize.toLocaleString(
          "en-US",
        )} test images, so they are far from the full runs the text discusses. <code>deno task build</code> computes the full results.</aside>
  `;
}

/** A table in its frame, with its number and caption (`id` and `number` null: no number). */
function table(
  t: TableModel,
  caption: SafeHtml | string,
  className = "data",
  id: string | null = null,
  number: string | null = null,
): SafeHtml {
  const align = (i: number) => (t.numeric[i] ? "num" : null);
  const markup = html`
    <table class="${className}">
      <thead>
        <tr>${t.columns.map((c, i) => html`<th scope="col" class="${align(i)}">${c}</th>`)}</tr>
      </thead>
      <tbody>${t.rows.map((r) =>
        html`<tr>${r.map((v, i) => html`<td class="${align(i)}">${v}</td>`)}</tr>`
      )}</tbody>
    </table>
  `;
  return raw(tableBox(id, number, html`${caption}`.value, markup.value));
}

function figure(f: Figure): SafeHtml {
  return html`<figure class="figure figure-${f.kind}" id="${f.id}">
<div class="plot" data-plot style="height:${f.spec.height}px" aria-hidden="true"></div>
<div class="plot-static">${raw(plotSvg(f.spec))}</div>
<script type="application/json" class="plot-data">${jsonForScript(f.spec)}</script>
<figcaption><a class="fig-num" href="#${f.id}">Fig. ${f.label}.</a> <span class="fig-title">${f.title}.</span> ${f.caption}</figcaption>
${
    f.table && f.kind !== "comparison"
      ? html`<details class="fig-table"><summary>The numbers</summary>${
        table(f.table, `The numbers of Fig. ${f.label}.`)
      }</details>`
      : null
  }
</figure>`;
}

function output(o: OutputBlock): SafeHtml {
  switch (o.kind) {
    case "figure":
      return figure(o.figure);
    case "reference":
      return html`
        <p
          class="run-reference"><span class="run-reference-label">Compared with</span> <strong>${o
            .name}</strong>: ${o.text}</p>
      `;
    case "text":
      return html`<pre class="output-text">${o.text}</pre>`;
    case "table":
      return table(o.table.table, o.table.caption, "data", o.table.id, o.table.number);
    case "folded":
      return html`<details class="folded"><summary>${o.summary}</summary>${
        o.blocks.map((b) => html`${output(b)}\n`)
      }</details>`;
  }
}

/** A playground panel: its heading, its starting state as JSON, and room for the controls. */
function panel(p: PanelModel): SafeHtml {
  const level = p.level ?? 3;
  const head = p.title === null ? null : html`<header class="pg-head">
<p class="eyebrow">${ICONS.sliders} Playground</p>
${raw(`<h${level} class="pg-title"`)} id="${p.id}-title">${p.title}${raw(`</h${level}>`)}
${p.lede ? html`<p class="pg-lede">${p.lede}</p>` : null}
</header>`;
  const label = p.title === null
    ? html`aria-label="Schedule playground"`
    : html`aria-labelledby="${p.id}-title"`;
  return html`<section class="playground" id="${p.id}" data-playground ${label}>
${head}
<script type="application/json" class="playground-data">${jsonForScript(p.data)}</script>
<div class="pg-body"><p class="pg-noscript">The playground needs JavaScript: it computes its curves in the browser, with the book's own schedule library.</p></div>
</section>
${p.trainer ? trainer(p.trainer) : null}`;
}

/** The training panel: its heading, what it does, its data as JSON, and room for the controls. */
function trainer(t: TrainerModel): SafeHtml {
  return html`
    <section class="playground trainer" id="${t.id}" data-trainer
      aria-labelledby="${t.id}-title">
      <header class="pg-head">
    <p class="eyebrow">${ICONS.sliders} Train it</p>
    ${raw(`<h${t.level} class="pg-title"`)} id="${t.id}-title">${t.title}${raw(`</h${t.level}>`)}
    <p class="pg-lede">${t.lede}</p>
    <p class="pg-lede tr-compare">${t.compare}</p>
      </header>
      <script type="application/json" class="trainer-data">${jsonForScript(t.data)}</script>
      <div class="tr-body">
        <p
          class="pg-noscript">Training in the page needs JavaScript: the network trains in a worker thread of this page.</p>
      </div>
    </section>
  `;
}

function block(b: Block): SafeHtml {
  switch (b.kind) {
    case "prose":
      return html`<div class="prose">${b.html}</div>`;
    case "cell":
      return html`<section class="cell" id="cell-${b.id}" aria-label="Code cell ${b.id}">
<div class="cell-head"><span class="cell-caption">${b.caption}</span><a class="cell-id" href="#cell-${b.id}" title="Link to this cell">${b.id}</a></div>
${codeBlock(b.code, "ts")}
${
        b.see.map((r) =>
          html`
            <details
              class="see"><summary>Library code it relies on: <code>${r
                .path}</code>, region <code>${r.region}</code></summary>${codeBlock(
                  r.code,
                  "ts",
                )}</details>
          `
        )
      }
${
        b.outputs.length
          ? html`<div class="cell-outputs">${b.outputs.map((o) => html`${output(o)}\n`)}</div>`
          : null
      }
</section>`;
    case "playground":
      return panel(b.panel);
    case "fold":
      return html`<details class="section-fold" data-fold="${b.id}"><summary>${b.heading}</summary>
${b.blocks.map((inner) => html`${block(inner)}\n`)}
</details>`;
    case "comparison":
      return html`<section class="comparison">
<h2 id="${COMPARISON_ID}">${COMPARISON_TITLE}<a class="anchor" href="#${COMPARISON_ID}" aria-label="Link to this section">#</a></h2>
${figure(b.figure)}
${
        b.figure.table
          ? table(b.figure.table, `How each run of Fig. ${b.figure.label} ended.`, "data summary")
          : null
      }
</section>`;
  }
}

/** What the menu lists of the page it is on (narrow screens): its sections and figures. */
function sections(page: ChapterPage): TocEntry[] {
  return page.toc.filter((e) => e.kind === "section" || e.kind === "figure");
}

function sidebar(site: SiteModel, current: string, page: Page): SafeHtml {
  const entry = (link: ChapterLink) => {
    const here = link.href === current;
    return html`
      <li
        class="${here ? "current" : null}"><a href="${link.href}"${raw(
          here ? ' aria-current="page"' : "",
        )}><span class="num">${link.number}</span><span>${link
          .title}</span></a>${here && page.kind === "chapter" && sections(page).length
          ? html`<ul class="page-toc">${
            sections(page).map((e) =>
              html`<li class="depth-${Math.min(e.depth, 3)}"><a href="#${e.id}">${e.html}</a></li>`
            )
          }</ul>`
          : null}</li>
    `;
  };
  return html`
    <nav class="sidebar" id="sidebar" aria-label="Chapters">
      <a class="sidebar-home${current === "index.html"
        ? " current"
        : ""}" href="index.html">Contents</a>
      <ol class="toc">${site.chapters.map(entry)}</ol>
      ${site.playground
        ? html`
          <a class="sidebar-extra${current === site.playground.href ? " current" : ""}" href="${site
            .playground.href}"
            ${raw(
              current === site.playground.href ? ' aria-current="page"' : "",
            )}>${ICONS.sliders}<span>${site.playground.title}</span></a>
        `
        : null}
      ${site.references
        ? html`
          <a class="sidebar-extra${current === site.references.href ? " current" : ""}" href="${site
            .references.href}"
            ${raw(
              current === site.references.href ? ' aria-current="page"' : "",
            )}>${ICONS.book}<span>${site.references.title}</span></a>
        `
        : null}
    </nav>
  `;
}

function pager(page: ChapterPage): SafeHtml {
  const link = (l: ChapterLink | null, rel: "prev" | "next") =>
    l
      ? html`
        <a class="pager-${rel}" rel="${rel}"
          href="${l.href}"><span class="pager-dir">${rel === "prev"
            ? "← Previous"
            : "Next →"}</span><span class="pager-title">${l.number}. ${l.title}</span></a>
      `
      : null;
  return html`<nav class="pager" aria-label="Previous and next chapter">${link(page.prev, "prev")}${
    link(page.next, "next")
  }</nav>`;
}

/** The "on this page" list beside the text (wide screens); it follows the reader (site.js). */
function pageNav(entries: readonly TocEntry[]): SafeHtml | null {
  if (entries.length === 0) return null;
  return html`
    <nav class="page-nav" aria-labelledby="page-nav-title">
      <p class="page-nav-title" id="page-nav-title">On this page</p>
      <ul>${entries.map((e) =>
        html`<li class="toc-${e.kind} depth-${e.depth}"><a href="#${e.id}">${e.html}</a></li>`
      )}</ul>
    </nav>
  `;
}

/** A heading with its anchor link. */
function h1(id: string, content: SafeHtml | string): SafeHtml {
  return html`
    <h1
      id="${id}">${content}<a class="anchor" href="#${id}" aria-label="Link to the top of this page">#</a></h1>
  `;
}

/** A work of the bibliography: authors, year, title, where, and its links. */
function referenceEntry(r: Reference): SafeHtml {
  return html`
    <span
      class="ref-authors">${r.authors}</span> (${r.year}). <cite>${r.title}</cite>. ${r
        .venue}. ${referenceLinks(r).map((l, i) =>
          html`${i ? ", " : ""}<a href="${l.href}" rel="noopener">${l.label}</a>`
        )}
  `;
}

function chapterBody(site: SiteModel, page: ChapterPage): SafeHtml {
  const cited = page.cited.map((key) => site.bibliography.find((r) => r.key === key))
    .filter((r): r is Reference => r !== undefined);
  return html`<article class="chapter">
<header class="chapter-head"><p class="eyebrow">Chapter ${page.number}</p>${
    h1("title", page.heading)
  }${
    page.original
      ? html`
        <p
          class="original">Follows <a href="${page.original.href}" rel="noopener">${page.original
            .title}</a> of <cite>Dive into Deep Learning</cite> (d2l.ai).</p>
      `
      : null
  }</header>
${page.trained ? quickNote(site) : null}
${page.blocks.map((b) => html`${block(b)}\n`)}
${
    cited.length
      ? html`
        <section class="cited" aria-labelledby="cited-title">
          <h2
            id="cited-title">Works cited<a class="anchor" href="#cited-title" aria-label="Link to this section">#</a></h2>
          <ul class="references">${cited.map((r) =>
            html`<li>${
              referenceEntry(r)
            } <a class="ref-back" href="references.html#ref-${r.key}">In the bibliography</a></li>`
          )}</ul>
        </section>
      `
      : null
  }
</article>
${pager(page)}`;
}

function referencesBody(site: SiteModel, page: ReferencesPage): SafeHtml {
  const works: Bibliography = site.bibliography;
  return html`
    <article class="chapter references-page">
      <header class="chapter-head"><p class="eyebrow">Bibliography</p>${h1(
        "title",
        page.title,
      )}</header>
      <div class="prose">
        <p>Every work the book cites, with a link to it. A citation in the text links to its entry here.</p>
      </div>
      <ol class="references">${works.map((r) =>
        html`<li id="ref-${r.key}">${referenceEntry(r)}${
          page.citedBy.get(r.key)?.length
            ? html`
              <span class="cited-by">Cited in ${page.citedBy.get(r.key)!.map((l, i) =>
                html`${i ? ", " : ""}<a href="${l.href}">${l.number}. ${l.title}</a>`
              )}.</span>
            `
            : null
        }</li>`
      )}</ol>
    </article>
  `;
}

function indexBody(site: SiteModel, page: IndexPage): SafeHtml {
  return html`<article class="index">
<header class="hero"><p class="eyebrow">An executable book</p>${h1("title", page.title)}
<p class="lede">Learning-rate schedules for training neural networks, in TypeScript on Deno: every number and every figure computed by the code beside it.</p></header>
${quickNote(site)}
<div class="prose">${page.intro}</div>
<h2 id="contents">Contents<a class="anchor" href="#contents" aria-label="Link to this section">#</a></h2>
<ol class="contents">${
    page.contents.map((c) =>
      html`<li><a class="contents-card" href="${c.link.href}"><span class="num">${c.link.number}</span><span class="contents-text"><span class="contents-title">${c.link.title}</span>${
        c.summary ? html`<span class="contents-summary">${c.summary}</span>` : null
      }<span class="contents-meta">${
        c.runs ? `${c.runs} training run${c.runs === 1 ? "" : "s"}` : "no training"
      }</span></span></a></li>`
    )
  }</ol>
${
    site.playground
      ? html`
        <a class="contents-card playground-card"
          href="${site.playground.href}"><span class="num">${ICONS
            .sliders}</span><span class="contents-text"><span class="contents-title">${site
            .playground
            .title}</span><span class="contents-summary">Shape any schedule of the book's library with sliders, overlay up to three, add a warmup, and copy the command or the code that makes it.</span><span class="contents-meta">interactive, in your browser</span></span></a>
      `
      : null
  }
<h2 id="run-it">Run it yourself<a class="anchor" href="#run-it" aria-label="Link to this section">#</a></h2>
<div class="prose">${page.howTo}</div>
</article>`;
}

function options(rows: KindReference["options"], caption: SafeHtml): SafeHtml {
  return html`
    <div class="table-box">
      <p
        class="table-caption"><span>${caption}</span><span class="scroll-hint" aria-hidden="true">scroll sideways →</span></p>
      <div class="table-wrap">
        <table class="data options">
          <thead>
            <tr>
              <th scope="col">option</th>
              <th scope="col">values</th>
              <th scope="col">default</th>
              <th scope="col">what it is</th>
            </tr>
          </thead>
          <tbody>${rows.map((o) =>
            html`
              <tr>
                <td><code>${o.name}</code></td>
                <td>${o.domain}</td>
                <td>${o.default === null
                  ? html`<span class="required">required</span>`
                  : html`<code>${o.default}</code>`}</td>
                <td class="wrap">${o.doc}</td>
              </tr>
            `
          )}</tbody>
        </table>
      </div>
    </div>
  `;
}

function playgroundBody(page: PlaygroundPage): SafeHtml {
  return html`<article class="chapter playground-page">
<header class="chapter-head"><p class="eyebrow">Interactive</p>${h1("title", page.title)}</header>
<div class="prose">${page.intro}</div>
${panel(page.panel)}
<h2 id="kinds">The schedules and their options<a class="anchor" href="#kinds" aria-label="Link to this section">#</a></h2>
<div class="prose"><p>The panel's controls are made from this table, the book's description of the library's options (<code>lib/preview/kinds.ts</code>, checked against the factories by its tests): one control per option, with the option's name as the factory takes it and as <code>deno task lr</code> spells it in kebab-case (<code>maxUpdate</code> is <code>--max-update</code>).</p></div>
${
    page.kinds.map((k) =>
      html`
        <section class="kind-ref"
          id="kind-${k.kind}"><h3><code>${k.kind}</code></h3><p>${k.doc}</p>${options(
            k.options,
            html`The options of <code>${k.kind}</code>.`,
          )}</section>
      `
    )
  }
<section class="kind-ref" id="kind-warmup"><h3><code>warmup</code></h3><p>Any schedule can start with a warmup: <code>warmup(schedule, { steps, beginLr, kind })</code> ramps from <code>beginLr</code> to the schedule's first rate, then runs the schedule. For <code>cosine</code> the warmup is the schedule's own (<code>warmupSteps</code>, <code>warmupBeginLr</code>), counted inside <code>maxUpdate</code> as in the chapter.</p>${
    options(page.warmup, html`The options of <code>warmup</code>.`)
  }</section>
</article>`;
}

/**
 * The HTML document of `page`.
 *
 * @param site What every page shares (title, chapters, quick-build note, scripts).
 * @param page The page.
 * @returns The whole document.
 */
export function renderPage(site: SiteModel, page: Page): string {
  const title = page.kind === "index" ? site.title : `${page.title} · ${site.title}`;
  const panels = page.kind === "playground" ||
    (page.kind === "chapter" && page.blocks.some((b) => b.kind === "playground"));
  const plots = panels || (page.kind === "chapter" && page.figures.length > 0);
  const body = page.kind === "index"
    ? indexBody(site, page)
    : page.kind === "playground"
    ? playgroundBody(page)
    : page.kind === "references"
    ? referencesBody(site, page)
    : chapterBody(site, page);
  const command = html`<code>deno task build${site.quick ? " --quick" : ""}</code>`;
  const footer = page.kind === "playground"
    ? html`The curves on this page are computed in your browser by the book's schedule library, bundled into the page when the site was built (${command}).`
    : page.kind === "chapter" && page.figures.length > 0
    ? html`Every figure on this page is drawn from numbers the chapter's own code computed when the site was built (${command}).`
    : page.kind === "chapter" && page.blocks.some((b) => b.kind === "cell")
    ? html`Every number on this page was computed by the chapter's own code when the site was built (${command}).`
    : null;
  const toc = page.kind === "chapter" ? page.toc : page.kind === "index"
    ? [
      { kind: "section" as const, depth: 2, id: "contents", html: html`Contents` },
      { kind: "section" as const, depth: 2, id: "run-it", html: html`Run it yourself` },
    ]
    : page.kind === "playground"
    ? [
      { kind: "panel" as const, depth: 2, id: page.panel.id, html: html`The playground` },
      ...(page.panel.trainer
        ? [{ kind: "panel" as const, depth: 2, id: page.panel.trainer.id, html: html`Train it` }]
        : []),
      { kind: "section" as const, depth: 2, id: "kinds", html: html`The schedules and options` },
      ...[...page.kinds.map((k) => k.kind), "warmup"].map((k) => ({
        kind: "section" as const,
        depth: 3,
        id: `kind-${k}`,
        html: html`<code>${k}</code>`,
      })),
    ]
    : [];
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <link rel="icon" href="${ASSET_PATHS.icon}" type="image/svg+xml">
        <title>${title}</title>
        <script>${raw(THEME_BOOT)}</script>
        <link rel="stylesheet" href="${ASSET_PATHS.katexCss}">
        <link rel="stylesheet" href="${ASSET_PATHS.css}">
        ${panels ? html`<link rel="stylesheet" href="${ASSET_PATHS.playgroundCss}">` : null}
      </head>
      <body class="page-${page.kind}">
    <a class="skip-link" href="#content">Skip to content</a>
    <header class="topbar">
    <button type="button" class="icon-button menu-toggle" aria-controls="sidebar" aria-expanded="false" aria-label="Show chapters">${ICONS
      .menu}</button>
    <a class="brand" href="index.html">${site.title}</a>
    ${site.quick
      ? html`<span class="badge" title="Numbers from a quick build">quick build</span>`
      : null}
    <span class="spacer"></span>
    <button type="button" class="search-toggle" aria-haspopup="dialog" aria-keyshortcuts="/ Control+K" title="Search the book (/ or Ctrl+K)" hidden>${ICONS
      .search}<span class="search-label">Search</span><kbd>/</kbd></button>
    <button type="button" class="icon-button theme-toggle" aria-label="Toggle dark mode" title="Toggle dark mode">${ICONS
      .sun}${ICONS.moon}</button>
    </header>
    <div class="layout">
    ${sidebar(site, page.href, page)}
    <div class="scrim" hidden></div>
    <main id="content" class="content">
    ${body}
    ${footer
      ? html`
        <footer class="site-footer">
          <p>${footer}</p>
        </footer>
      `
      : null}
    </main>
    ${pageNav(toc)}
    </div>
    <dialog class="search-dialog" aria-labelledby="search-title" data-library="${ASSET_PATHS
      .minisearch}" data-index="${ASSET_PATHS.searchIndex}">
    <form method="dialog" class="search-form" role="search"><label id="search-title" for="search-input" class="sr-only">Search the book</label>${ICONS
      .search}<input id="search-input" type="search" placeholder="Search the book" autocomplete="off" spellcheck="false" aria-controls="search-results" aria-describedby="search-status"><button type="submit" class="search-close" aria-label="Close the search">Esc</button></form>
    <p id="search-status" class="search-status" aria-live="polite"></p>
    <ol id="search-results" class="search-results"></ol>
    </dialog>
    ${plots ? html`<script src="${ASSET_PATHS.plotly}"></script>` : null}
    ${site.scripts.map((s) => html`<script src="${s}"></script>`)}
    <script src="${ASSET_PATHS.js}"></script>
    ${panels ? html`<script src="${ASSET_PATHS.playground}"></script>` : null}
      </body>
    </html>
  `.value;
}
