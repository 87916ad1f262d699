/**
 * The built site served cross-origin isolated: every response carries
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
 * require-corp` (and `Cross-Origin-Resource-Policy: same-origin`, so that the
 * site's own files may be embedded), the headers under which a browser gives a
 * page `SharedArrayBuffer`, and so the training panel its two workers. Behind
 * `deno task serve` (./serve_cli.ts); the files are read through a function
 * handed in, so that tests serve a site held in memory.
 *
 * @module
 */

import { escapeHtml } from "../util/escape_html.ts";

/** The headers that make a page cross-origin isolated, on every response. */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
} as const;

/** The content types of the files a site holds, by extension. */
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  woff2: "font/woff2",
  woff: "font/woff",
  ttf: "font/ttf",
  wasm: "application/wasm",
  txt: "text/plain; charset=utf-8",
};

/**
 * Reads a file of the site: its bytes, or `null` when there is no such file (a directory is no
 * file).
 */
export type ReadSiteFile = (path: string) => Promise<Uint8Array | null>;

/**
 * A request handler that serves the site's files with the isolation headers: `GET` and `HEAD`
 * only, `/` and every directory as its `index.html`, nothing outside the site (a path that
 * climbs out of it is refused), a page of its own for what is not there.
 *
 * @param read How to read a file of the site, by its path relative to the site (`a/b.js`).
 * @returns The handler, for `Deno.serve`.
 *
 * @example A site in memory
 * ```ts
 * import assert from "node:assert/strict";
 * import { isolatedHandler } from "./serve.ts";
 * const files = new Map([["index.html", new TextEncoder().encode("<p>hi</p>")]]);
 * const serve = isolatedHandler((path) => Promise.resolve(files.get(path) ?? null));
 * const response = await serve(new Request("http://localhost/"));
 * assert.equal(response.status, 200);
 * assert.equal(response.headers.get("cross-origin-embedder-policy"), "require-corp");
 * assert.equal(await response.text(), "<p>hi</p>");
 * ```
 */
export function isolatedHandler(read: ReadSiteFile): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = new Headers(ISOLATION_HEADERS);
    headers.set("cache-control", "no-cache");
    const page = (status: number, text: string) => {
      headers.set("content-type", "text/html; charset=utf-8");
      return new Response(
        request.method === "HEAD"
          ? null
          : `<!doctype html><title>${status}</title><p>${escapeHtml(text)}</p>`,
        { status, headers },
      );
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      headers.set("allow", "GET, HEAD");
      return page(405, `${request.method} is not served here: only GET and HEAD.`);
    }
    const path = sitePath(new URL(request.url).pathname);
    if (path === null) return page(403, "That path leads out of the site.");
    let bytes = await read(path);
    let served = path;
    if (bytes === null && !/\.[a-z0-9]+$/i.test(path)) {
      served = `${path === "" ? "" : `${path}/`}index.html`;
      bytes = await read(served);
    }
    if (bytes === null) return page(404, `Not in the site: /${path}`);
    headers.set(
      "content-type",
      TYPES[served.split(".").pop()!.toLowerCase()] ?? "application/octet-stream",
    );
    headers.set("content-length", String(bytes.byteLength));
    return new Response(request.method === "HEAD" ? null : bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers,
    });
  };
}

/**
 * The file a URL's path names, relative to the site (`""` for its root), or `null` when the path
 * is not one (it climbs out with `..`, or holds a NUL or a backslash).
 *
 * @param pathname The URL's path, percent-encoded as it came.
 * @returns The path inside the site, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { sitePath } from "./serve.ts";
 * assert.equal(sitePath("/assets/site.js"), "assets/site.js");
 * assert.equal(sitePath("/a%20b.html"), "a b.html");
 * assert.equal(sitePath("/"), "");
 * assert.equal(sitePath("/../etc/passwd"), null);
 * assert.equal(sitePath("/a/%2e%2e/%2e%2e/x"), null);
 * ```
 */
export function sitePath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const parts = decoded.split("/").filter((part) => part !== "" && part !== ".");
  // A site's links never climb with `..`: any that does is refused, inside or not.
  if (/[\0\\]/.test(decoded) || parts.includes("..")) return null;
  return parts.join("/");
}
