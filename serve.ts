/**
 * `deno task serve [--dir DIR] [--port N]`: serve the built site on localhost with the headers
 * that make it cross-origin isolated, so that the training panel trains in two workers (see
 * lib/site/serve_cli.ts; `--help` lists the flags). Optional: the site works from `file://`.
 *
 * @module
 */

import { serveCli } from "./lib/site/serve_cli.ts";

if (import.meta.main) Deno.exit(await serveCli(Deno.args));
