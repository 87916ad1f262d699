/**
 * The package is what it says it is: its manifest names it, versions it,
 * licenses it and exports its two entry points; the module graph of those
 * entry points stays inside this folder (no npm, no JSR, no file of the book:
 * the TensorFlow.js adapter takes tfjs from its caller) and uses no Deno API,
 * so that the published package runs anywhere and the site's playground can
 * bundle it for the browser.
 *
 * @module
 */

import assert from "node:assert/strict";

const here = new URL("./", import.meta.url);
const manifest = JSON.parse(await Deno.readTextFile(new URL("deno.json", here)));

Deno.test("package: the manifest names, versions and licenses it, and exports its entry points", async () => {
  assert.equal(manifest.name, "@lr-scheduling/schedules");
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
  assert.equal(manifest.license, "MIT");
  assert.match(await Deno.readTextFile(new URL("LICENSE", here)), /^MIT License/);
  assert.deepEqual(manifest.exports, { ".": "./mod.ts", "./tfjs": "./tfjs.ts" });
  const readme = await Deno.readTextFile(new URL("README.md", here));
  for (const heading of ["Quick start", "Names: ours and theirs", "Where the semantics differ"]) {
    assert.ok(readme.includes(`## ${heading}`), heading);
  }
  for (const pattern of ["**/*_test.ts", "testdata/", "*.py"]) {
    assert.ok(manifest.publish.exclude.includes(pattern), `publish excludes ${pattern}`);
  }
});

/** The modules an entry point loads, by `deno info`. */
async function graph(entry: string): Promise<{ specifier: string; local?: string }[]> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, here).pathname],
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout)).modules;
}

/** Source text without comments (the examples in documentation may import what they like). */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

for (const entry of Object.values(manifest.exports) as string[]) {
  Deno.test(`package: ${entry} loads only files of the package, and no Deno API`, async () => {
    const modules = await graph(entry);
    assert.ok(modules.length > 1);
    for (const { specifier, local } of modules) {
      assert.ok(specifier.startsWith(here.href), `${entry} loads ${specifier}`);
      const name = specifier.slice(here.href.length);
      assert.ok(!name.includes("/") && !/_test\.ts$/.test(name), `${entry} loads ${name}`);
      const text = code(await Deno.readTextFile(local ?? new URL(specifier)));
      assert.ok(!/\bDeno\s*\./.test(text), `${name} uses a Deno API`);
      assert.ok(!/\bimport\s*\(/.test(text), `${name} imports dynamically`);
    }
  });
}

Deno.test("package: the tfjs adapter imports no tfjs of its own", async () => {
  const modules = await graph("./tfjs.ts");
  assert.ok(modules.every(({ specifier }) => !/tensorflow|npm:/.test(specifier)));
});
