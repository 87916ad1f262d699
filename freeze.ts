/**
 * `deno task freeze [--check] [--prune] [--fresh] [--quiet] [--data DIR]`:
 * train the full-size runs the book needs that have no valid frozen record, then those of the
 * chapters waiting to join it (chapters/forthcoming.ts)
 * (see lib/book/freeze_cli.ts; `--help` lists the flags).
 *
 * @module
 */

import { chapters } from "./chapters/mod.ts";
import { forthcoming } from "./chapters/forthcoming.ts";
import { freezeCli } from "./lib/book/freeze_cli.ts";

if (import.meta.main) Deno.exit(await freezeCli(Deno.args, chapters, undefined, forthcoming));
