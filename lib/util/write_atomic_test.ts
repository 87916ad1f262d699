import assert from "node:assert/strict";
import { type AtomicWriteFs, writeAtomic } from "./write_atomic.ts";

Deno.test("writeAtomic: replaces a file on disk and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.txt`, "old");
    await writeAtomic(`${dir}/a.txt`, "new");
    assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "new");
    await writeAtomic(`${dir}/b/c/d.bin`, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await Deno.readFile(`${dir}/b/c/d.bin`), new Uint8Array([1, 2, 3]));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["a.txt", "b"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic: a failed write keeps the old file and removes the temporary one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.txt`, "old");
    // A directory where the file should go: the rename fails.
    await Deno.mkdir(`${dir}/taken/x`, { recursive: true });
    await assert.rejects(() => writeAtomic(`${dir}/taken`, "new"));
    // A file where a directory should be: creating it fails.
    await assert.rejects(() => writeAtomic(`${dir}/a.txt/b.txt`, "new"));
    assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "old");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["a.txt", "taken"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAtomic: through another file system, in order: mkdir, write, rename", async () => {
  const calls: string[] = [];
  const files = new Map<string, Uint8Array>();
  const fs: AtomicWriteFs = {
    mkdir: (path) => {
      calls.push(`mkdir ${path}`);
      return Promise.resolve();
    },
    write: (path, data) => {
      calls.push(`write ${path.replace(/\.[0-9a-f]{8}\.tmp$/, ".TMP")}`);
      files.set(path, data);
      return Promise.resolve();
    },
    rename: (from, to) => {
      calls.push(`rename ${to}`);
      files.set(to, files.get(from)!);
      files.delete(from);
      return Promise.resolve();
    },
    remove: (path) => {
      calls.push(`remove ${path}`);
      return Promise.resolve();
    },
  };
  await writeAtomic("assets/site.css", "body {}", fs);
  await writeAtomic("index.html", "<p>", fs);
  assert.deepEqual(calls, [
    "mkdir assets",
    "write assets/site.css.TMP",
    "rename assets/site.css",
    "write index.html.TMP",
    "rename index.html",
  ]);
  assert.deepEqual([...files.keys()], ["assets/site.css", "index.html"]);
  assert.equal(new TextDecoder().decode(files.get("index.html")), "<p>");
});
