/**
 * The files the pages use, copied into the site so it works offline: the
 * site's own stylesheets and script, KaTeX's stylesheet and fonts, and
 * Plotly's minified bundle, all from the installed npm packages (no CDN).
 * One is changed on the way: the site's stylesheet gets its dark palette a
 * second time ({@linkcode withSystemDark}).
 *
 * @module
 */

import type { SourceReader } from "./fs.ts";
import { ASSET_PATHS } from "./render.ts";

/** A file to copy: where it goes in the site and where it comes from. */
export interface Asset {
  /** Where it goes in the site. */
  path: string;
  /** The file it is made from. */
  source: URL;
  /** What the build makes of the source's text (default: the source's bytes, as they are). */
  transform?: (text: string) => string;
}

/** The rule of `site.css` that holds the dark palette, from the start of its line. */
const DARK_PALETTE = /^:root\[data-theme="dark"\] \{\n([^{}]*)^\}\n/gm;

/**
 * The site's stylesheet as the site serves it: `site.css` with its dark palette, the rule
 * `:root[data-theme="dark"]`, emitted a second time for a page that has no theme (its scripts are
 * off, so nothing set one) on a system that prefers dark. So the palette is written once, though
 * no one CSS rule can apply both to `:root[data-theme="dark"]` and, inside a media query, to
 * `:root:not([data-theme])`; and `light-dark()` is no way out: `site.js` reads the palette with
 * `getComputedStyle` for Plotly, and would get the text `light-dark(…, …)`, not a colour.
 *
 * @param css The text of `site.css`.
 * @returns The same text with the second copy right after the palette.
 * @throws {Error} When the palette's rule is not there exactly once.
 *
 * @example The palette, then the same palette for a dark system without a theme
 * ```ts
 * import assert from "node:assert/strict";
 * import { withSystemDark } from "./assets.ts";
 *
 * const css = withSystemDark(':root[data-theme="dark"] {\n  --ink: #e4e7eb;\n}\n');
 * assert.equal(
 *   css.slice(css.indexOf("@media")),
 *   "@media (prefers-color-scheme: dark) {\n  :root:not([data-theme]) {\n    --ink: #e4e7eb;\n  }\n}\n",
 * );
 * assert.throws(() => withSystemDark(":root {\n  --ink: #1d2127;\n}\n"), /dark palette/);
 * ```
 */
export function withSystemDark(css: string): string {
  const found = [...css.matchAll(DARK_PALETTE)];
  if (found.length !== 1) {
    throw new Error(
      `site.css must hold its dark palette, a rule ':root[data-theme="dark"] { ... }' from the ` +
        `start of a line to a '}' that starts one, exactly once; found ${found.length}`,
    );
  }
  const [rule, body] = found[0];
  const end = found[0].index + rule.length;
  const indented = body.replace(/^(?=.)/gm, "  ");
  return `${css.slice(0, end)}
/* The dark palette again, made by the build (lib/site/assets.ts): no theme set, a dark system. */
@media (prefers-color-scheme: dark) {
  :root:not([data-theme]) {
${indented}  }
}
${css.slice(end)}`;
}

/** The `file:` URL of `specifier` as installed in `node_modules/`. */
function installed(specifier: string): URL {
  const url = new URL(import.meta.resolve(specifier));
  if (url.protocol !== "file:") {
    throw new Error(
      `${specifier} resolves to ${url.href}, not to a file: the site copies files out of ` +
        `node_modules/, so deno.json must keep "nodeModulesDir": "auto"`,
    );
  }
  return url;
}

/**
 * Every asset of the site.
 *
 * @param sources Where to list KaTeX's fonts.
 * @returns The files, the site's own last.
 */
export async function siteAssets(sources: SourceReader): Promise<Asset[]> {
  const katexDist = new URL(".", installed("katex")); // .../katex/dist/
  const fonts = new URL("fonts/", katexDist);
  const fontNames = (await sources.list(fonts)).filter((name) => /\.(woff2?|ttf)$/.test(name));
  return [
    { path: ASSET_PATHS.plotly, source: installed("plotly.js-dist-min") },
    { path: ASSET_PATHS.katexCss, source: new URL("katex.min.css", katexDist) },
    ...fontNames.map((name) => ({
      path: `assets/katex/fonts/${name}`,
      source: new URL(name, fonts),
    })),
    {
      path: ASSET_PATHS.css,
      source: new URL("./assets/site.css", import.meta.url),
      transform: withSystemDark,
    },
    {
      path: ASSET_PATHS.playgroundCss,
      source: new URL("./assets/playground.css", import.meta.url),
    },
    { path: ASSET_PATHS.js, source: new URL("./assets/site.js", import.meta.url) },
    // The book's icon: a rate stepping down (and no request for a missing /favicon.ico).
    { path: ASSET_PATHS.icon, source: new URL("./assets/icon.svg", import.meta.url) },
    // MiniSearch as the package builds it for browsers: a classic script that sets `MiniSearch`.
    { path: ASSET_PATHS.minisearch, source: new URL("../umd/index.js", installed("minisearch")) },
  ];
}

/**
 * The bytes of `asset` as the site serves them.
 *
 * @param asset The asset.
 * @param sources Where to read its source.
 * @returns The source's bytes, or its text transformed if the asset says how.
 */
export async function assetBytes(asset: Asset, sources: SourceReader): Promise<Uint8Array> {
  const bytes = await sources.read(asset.source);
  if (!asset.transform) return bytes;
  return new TextEncoder().encode(asset.transform(new TextDecoder().decode(bytes)));
}
