/**
 * `deno task chapter NAME [flags]`: run one chapter of the book in the
 * terminal (see lib/book/cli.ts; `--help` lists the flags).
 *
 * @module
 */

import { chapters } from "./chapters/mod.ts";
import { chapterCli } from "./lib/book/cli.ts";

if (import.meta.main) Deno.exit(await chapterCli(Deno.args, chapters));
