import assert from "node:assert/strict";
import { computeFingerprint, engineFingerprint } from "./fingerprint.ts";

const root = new URL("../../", import.meta.url).pathname;

/** A scratch copy of the repository's tracked files (node_modules linked), with `edit` applied. */
async function scratchCopy(edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lr-fingerprint-" });
  const listed = await new Deno.Command("git", {
    args: ["ls-files", "-z"],
    cwd: root,
    stdout: "piped",
  })
    .output();
  const files = new TextDecoder().decode(listed.stdout).split("\0").filter((f) => f.length > 0);
  for (const file of files) {
    const to = `${dir}/${file}`;
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${root}${file}`, to).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // deleted but not yet committed
    });
  }
  await Deno.symlink(`${root}node_modules`, `${dir}/node_modules`);
  await edit(dir);
  return dir;
}

/** The fingerprint the code in `dir` computes, in a process of its own. */
async function fingerprintIn(dir: string): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "freeze.ts", "--fingerprint"],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout).trim();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return text;
}

/** Replace `from` by `to` in `file` of `dir`, failing if `from` is not there. */
async function replaceIn(dir: string, file: string, from: string, to: string) {
  const path = `${dir}/${file}`;
  const text = await Deno.readTextFile(path);
  assert.ok(text.includes(from), `${file} no longer holds ${JSON.stringify(from)}`);
  await Deno.writeTextFile(path, text.replace(from, to));
}

Deno.test("the fingerprint is the same for every computation in and across processes", async () => {
  const here = await engineFingerprint();
  assert.match(here, /^[0-9a-f]{64}$/);
  assert.equal(await computeFingerprint(), here, "computed again, same process");
  const copy = await scratchCopy(async () => {});
  try {
    assert.equal(await fingerprintIn(copy), here, "another process, another folder");
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});

Deno.test("a comment-only edit of the engine keeps the fingerprint; one changed constant changes it", async () => {
  const here = await engineFingerprint();
  const commented = await scratchCopy((dir) =>
    replaceIn(dir, "lib/train/replica.ts", "// #region loop", "// A comment.\n  // #region loop")
  );
  const changed = await scratchCopy((dir) =>
    // The Glorot bound of the initial weights, sqrt(6 / (fanIn + fanOut)), nudged.
    replaceIn(
      dir,
      "lib/train/init.ts",
      "Math.sqrt(6 / (fanIn + fanOut))",
      "Math.sqrt(6.01 / (fanIn + fanOut))",
    )
  );
  try {
    assert.equal(await fingerprintIn(commented), here, "a comment changes no number");
    assert.notEqual(await fingerprintIn(changed), here, "other initial weights, other numbers");
  } finally {
    await Deno.remove(commented, { recursive: true });
    await Deno.remove(changed, { recursive: true });
  }
});
