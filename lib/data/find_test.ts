import assert from "node:assert/strict";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { withTempDir } from "./_testing.ts";
import { findFashionMnist, locateFiles, projectDataDir } from "./find.ts";
import { FASHION_MNIST_FILES } from "./manifest.ts";

// Presence is all `findFashionMnist` checks, so empty files will do.
async function fill(dir: string, opts: { gz?: boolean; skip?: string } = {}): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const f of FASHION_MNIST_FILES) {
    if (f.name === opts.skip) continue;
    await Deno.writeFile(`${dir}/${f.name}${opts.gz ? ".gz" : ""}`, new Uint8Array());
  }
}

Deno.test("findFashionMnist: order is --data, FASHION_MNIST_DIR, project, system", async () => {
  await withTempDir(async (root) => {
    const [a, b, c, d] = ["a", "b", "c", "d"].map((n) => `${root}/${n}`);
    for (const dir of [a, b, c, d]) await fill(dir, { gz: true });
    const all = { dir: a, env: b, projectDir: c, systemDir: d };
    assert.equal((await findFashionMnist(all)).found?.dir, a);
    assert.equal((await findFashionMnist({ ...all, dir: undefined })).found?.dir, b);
    assert.equal((await findFashionMnist({ ...all, dir: undefined, env: null })).found?.dir, c);
    const sys = await findFashionMnist({ ...all, dir: undefined, env: null, projectDir: null });
    assert.equal(sys.found?.dir, d);
    assert.equal(sys.found?.origin, "Debian dataset-fashion-mnist");
    assert.deepEqual(sys.tried, []);
  });
});

Deno.test("findFashionMnist: incomplete places are passed over and reported", async () => {
  await withTempDir(async (root) => {
    await fill(`${root}/partial`, { skip: "t10k-labels-idx1-ubyte" });
    await Deno.writeFile(`${root}/file`, new Uint8Array());
    await fill(`${root}/good`);
    const { found, tried } = await findFashionMnist({
      dir: `${root}/partial`,
      env: `${root}/file`,
      projectDir: `${root}/nowhere`,
      systemDir: `${root}/good`,
    });
    assert.equal(found?.dir, `${root}/good`);
    assert.equal(found?.paths.testLabels, `${root}/good/t10k-labels-idx1-ubyte`);
    assert.deepEqual(tried, [
      { origin: "--data", dir: `${root}/partial`, problem: "missing t10k-labels-idx1-ubyte[.gz]" },
      { origin: "FASHION_MNIST_DIR", dir: `${root}/file`, problem: "not a directory" },
      { origin: "project data directory", dir: `${root}/nowhere`, problem: "no such directory" },
    ]);
  });
});

Deno.test("findFashionMnist: reads FASHION_MNIST_DIR from the environment", async () => {
  const saved = Deno.env.get("FASHION_MNIST_DIR");
  try {
    await withTempDir(async (root) => {
      await fill(root);
      Deno.env.set("FASHION_MNIST_DIR", root);
      const found = await findFashionMnist({ projectDir: null, systemDir: null });
      assert.equal(found.found?.origin, "FASHION_MNIST_DIR");
      assert.equal(found.found?.dir, root);
      Deno.env.delete("FASHION_MNIST_DIR");
      const none = await findFashionMnist({ projectDir: null, systemDir: null });
      assert.deepEqual(none, {
        found: null,
        tried: [{ origin: "FASHION_MNIST_DIR", dir: null, problem: "not set" }],
      });
      Deno.env.set("FASHION_MNIST_DIR", "");
      const empty = await findFashionMnist({ projectDir: null, systemDir: null });
      assert.equal(empty.tried[0].problem, "not set");
    });
  } finally {
    if (saved === undefined) Deno.env.delete("FASHION_MNIST_DIR");
    else Deno.env.set("FASHION_MNIST_DIR", saved);
  }
});

Deno.test("findFashionMnist: relative directories resolve against the working directory", async () => {
  await withTempDir(async (root) => {
    await fill(`${root}/rel`);
    const { found } = await findFashionMnist({
      dir: relative(Deno.cwd(), `${root}/rel`), // no chdir: tests may share the process
      env: null,
      projectDir: null,
      systemDir: null,
    });
    assert.equal(found?.dir, `${root}/rel`);
  });
});

Deno.test("locateFiles: raw preferred over .gz, mixed forms allowed", async () => {
  await withTempDir(async (root) => {
    await fill(root, { gz: true });
    await Deno.writeFile(`${root}/train-images-idx3-ubyte`, new Uint8Array());
    const { paths, missing } = await locateFiles(root);
    assert.deepEqual(missing, []);
    assert.deepEqual(paths, {
      trainImages: `${root}/train-images-idx3-ubyte`,
      trainLabels: `${root}/train-labels-idx1-ubyte.gz`,
      testImages: `${root}/t10k-images-idx3-ubyte.gz`,
      testLabels: `${root}/t10k-labels-idx1-ubyte.gz`,
    });
    // A directory under a file's name does not count as the file.
    await Deno.remove(`${root}/t10k-images-idx3-ubyte.gz`);
    await Deno.mkdir(`${root}/t10k-images-idx3-ubyte`);
    assert.deepEqual((await locateFiles(root)).missing, ["t10k-images-idx3-ubyte"]);
  });
});

Deno.test("projectDataDir: data/fashion-mnist under the project root", () => {
  // Derived from the module's URL, so the same whatever the working directory.
  const expected = fileURLToPath(new URL("../../data/fashion-mnist", import.meta.url));
  assert.equal(projectDataDir(), expected);
  assert.ok(expected.endsWith("/data/fashion-mnist"));
});
