/**
 * The site in headless Chromium, from `file://`: every browser test of the book, in one test
 * file so that they share one quick build of the whole book (made-up training) and one Chromium
 * (`_site.ts`); `deno test` gives each test file an isolate of its own, so tests in separate
 * files could not.
 *
 * - `browser/pages.ts`: every page at 1280 px in light and dark (figures drawn, no errors, nothing
 *   fetched, axe-core, wide tables, tab stops) and at 390 px (no sideways scrolling, tab stops);
 *   the theme toggle, a figure's hover, search, print and no-script views.
 * - `browser/playground.ts`: the schedule playground's panel.
 * - `browser/seeds.ts`: a group over seeds draws its band, hides its seeds, hovers them all.
 *
 * Each of them also runs alone (`deno test -A tests/browser/seeds.ts`), and `--filter` starts only
 * what the chosen tests need. Skipped, with a message, when `/usr/bin/chromium` is missing (CI
 * installs it).
 *
 * @module
 */

import "./browser/pages.ts";
import "./browser/playground.ts";
import "./browser/seeds.ts";
