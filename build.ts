/**
 * `deno task build [--quick] [--out DIR] [--fresh] [--force] [--quiet] [--data DIR]`:
 * render the book to static HTML in `_site/` (see lib/site/cli.ts and
 * lib/site/build.ts; `--help` lists the flags).
 *
 * @module
 */

import { bibliography, chapters, index, playground } from "./chapters/mod.ts";
import { buildCli } from "./lib/site/cli.ts";

if (import.meta.main) {
  Deno.exit(await buildCli(Deno.args, { chapters, index, playground, bibliography }));
}
