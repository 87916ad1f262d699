/**
 * The files the pages use, copied into the site so it works offline: the
 * site's own stylesheets and script, KaTeX's stylesheet and fonts, and
 * Plotly's minified bundle, all from the installed npm packages (no CDN).
 *
 * @module
 */

import type { SourceReader } from "./fs.ts";
import { ASSET_PATHS } from "./render.ts";

/** A file to copy: where it goes in the site and where it comes from. */
export interface Asset {
  path: string;
  source: URL;
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
    { path: ASSET_PATHS.css, source: new URL("./assets/site.css", import.meta.url) },
    {
      path: ASSET_PATHS.playgroundCss,
      source: new URL("./assets/playground.css", import.meta.url),
    },
    { path: ASSET_PATHS.js, source: new URL("./assets/site.js", import.meta.url) },
  ];
}
