import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "./_testing.ts";
import type { Fetch } from "./download.ts";
import { DataError, DataNotFoundError } from "./errors.ts";
import { findFashionMnist } from "./find.ts";
import { gunzip } from "./gzip.ts";
import { encodeIdxImages, encodeIdxLabels } from "./idx_encode.ts";
import { type FashionMnist, loadFashionMnist } from "./load.ts";
import { FASHION_MNIST_BASE_URL, FASHION_MNIST_CHECKSUM, FASHION_MNIST_FILES } from "./manifest.ts";
import type { Split } from "./split.ts";

const offline: Fetch & { calls: number } = Object.assign(
  () => {
    offline.calls++;
    return Promise.reject(new TypeError("fetch failed"));
  },
  { calls: 0 },
);
const quiet = () => {};

/** The `DataError` a load rejects with; `notFound` says whether it must be a `DataNotFoundError`. */
async function dataError(promise: Promise<unknown>, notFound: boolean): Promise<DataError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    return err instanceof DataError;
  });
  assert.equal(caught instanceof DataNotFoundError, notFound, `not found: ${caught}`);
  return caught as DataError;
}

/** Four empty files: enough for the search, which only looks for their presence. */
async function fill(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const f of FASHION_MNIST_FILES) await Deno.writeFile(join(dir, f.name), new Uint8Array());
}

Deno.test("loadFashionMnist: nothing anywhere and no network: one message saying it all", async () => {
  await withTempDir(async (root) => {
    const err = await dataError(
      loadFashionMnist({
        env: "", // as if FASHION_MNIST_DIR were unset
        projectDir: `${root}/project`,
        systemDir: `${root}/usr-share`,
        fetch: offline,
        onProgress: quiet,
      }),
      true,
    );
    const lines = err.message.split("\n");
    assert.equal(lines[0], "Fashion-MNIST not found, and downloading it failed.");
    assert.ok(lines.includes("  FASHION_MNIST_DIR: not set"));
    assert.ok(lines.includes(`  project data directory ${root}/project: no such directory`));
    assert.ok(
      lines.includes(`  Debian dataset-fashion-mnist ${root}/usr-share: no such directory`),
    );
    assert.ok(lines.includes(
      `Download into ${root}/project: ${FASHION_MNIST_BASE_URL}train-images-idx3-ubyte.gz: ` +
        "download failed (fetch failed)",
    ));
    assert.match(err.message, /apt-get install dataset-fashion-mnist/);
    assert.match(err.message, new RegExp(`from ${FASHION_MNIST_BASE_URL} into ${root}/project`));
    assert.match(err.message, /FASHION_MNIST_DIR or --data DIR/);
    for (const f of FASHION_MNIST_FILES) assert.ok(err.message.includes(`${f.name}.gz`));
    assert.ok(err.cause instanceof DataError);
    // The download directory was created but holds nothing.
    assert.deepEqual([...Deno.readDirSync(`${root}/project`)], []);
  });
});

Deno.test("loadFashionMnist: a --data directory without the files is an error, not a fallback", async () => {
  await withTempDir(async (root) => {
    await Deno.mkdir(`${root}/flag`);
    const before = offline.calls;
    await fill(`${root}/elsewhere`);
    const err = await dataError(
      loadFashionMnist({
        dir: `${root}/flag`,
        env: `${root}/elsewhere`,
        projectDir: `${root}/elsewhere`,
        systemDir: null,
        fetch: offline,
        onProgress: quiet,
      }),
      true,
    );
    assert.match(err.message, new RegExp(`^--data ${root}/flag: missing .*leave out --data`));
    assert.equal(offline.calls, before, "nothing was downloaded");
  });
});

Deno.test("loadFashionMnist: FASHION_MNIST_DIR without the files is an error, not a fallback", async () => {
  await withTempDir(async (root) => {
    await Deno.mkdir(`${root}/env`);
    await Deno.writeFile(`${root}/env/train-labels-idx1-ubyte.gz`, new Uint8Array());
    await fill(`${root}/project`);
    await fill(`${root}/system`);
    const before = offline.calls;
    const places = { projectDir: `${root}/project`, systemDir: `${root}/system`, fetch: offline };
    const err = await dataError(loadFashionMnist({ ...places, env: `${root}/env` }), true);
    assert.equal(
      err.message,
      `FASHION_MNIST_DIR ${root}/env: missing train-images-idx3-ubyte[.gz], ` +
        "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]; put the four Fashion-MNIST " +
        "files there, or unset FASHION_MNIST_DIR to search the usual places",
    );
    const missing = await dataError(loadFashionMnist({ ...places, env: `${root}/nowhere` }), true);
    assert.match(
      missing.message,
      new RegExp(`^FASHION_MNIST_DIR ${root}/nowhere: no such directory;`),
    );
    assert.equal(offline.calls, before, "nothing was downloaded");

    // Read from the environment when not given; unset or empty, the usual places are searched.
    const saved = Deno.env.get("FASHION_MNIST_DIR");
    try {
      Deno.env.set("FASHION_MNIST_DIR", `${root}/env`);
      const fromEnv = await dataError(loadFashionMnist(places), true);
      assert.match(fromEnv.message, new RegExp(`^FASHION_MNIST_DIR ${root}/env: missing `));
      for (const unset of [undefined, ""]) {
        if (unset === undefined) Deno.env.delete("FASHION_MNIST_DIR");
        else Deno.env.set("FASHION_MNIST_DIR", unset);
        // Found in the project directory; the empty files then fail validation there.
        const err = await dataError(loadFashionMnist(places), false);
        assert.match(err.message, new RegExp(`^${root}/project/`));
      }
    } finally {
      if (saved === undefined) Deno.env.delete("FASHION_MNIST_DIR");
      else Deno.env.set("FASHION_MNIST_DIR", saved);
    }
  });
});

Deno.test("loadFashionMnist: download: false never fetches", async () => {
  await withTempDir(async (root) => {
    const before = offline.calls;
    const err = await dataError(
      loadFashionMnist({
        env: null,
        projectDir: root,
        systemDir: null,
        download: false,
        fetch: offline,
      }),
      true,
    );
    assert.equal(offline.calls, before);
    assert.match(err.message, /^Fashion-MNIST not found \(and downloading is turned off\)\.\n/);
    assert.match(err.message, /project data directory .*: missing train-images-idx3-ubyte\[\.gz\]/);
  });
});

Deno.test("loadFashionMnist: files that cannot be fetched are not found; wrong bytes are an error", async () => {
  await withTempDir(async (root) => {
    const places = { env: null, projectDir: `${root}/project`, systemDir: null, onProgress: quiet };
    const missing: Fetch = () => Promise.resolve(new Response("no", { status: 404 }));
    const err = await dataError(loadFashionMnist({ ...places, fetch: missing }), true);
    assert.match(err.message, /^Fashion-MNIST not found, and downloading it failed\.\n/);
    assert.match(err.message, /train-images-idx3-ubyte\.gz: download failed \(HTTP 404\)/);
    const wrong: Fetch = () => Promise.resolve(new Response(encodeIdxLabels([1, 2, 3])));
    const bad = await dataError(loadFashionMnist({ ...places, fetch: wrong }), false);
    assert.match(bad.message, /^Fashion-MNIST not found, and downloading it failed\.\n/);
    assert.match(bad.message, /train-images-idx3-ubyte\.gz: downloaded file is 11 bytes/);
  });
});

Deno.test("loadFashionMnist: a found but wrong file is an error naming it, not skipped", async () => {
  await withTempDir(async (dir) => {
    for (const f of FASHION_MNIST_FILES) {
      const tiny = f.name.includes("images")
        ? encodeIdxImages(new Uint8Array(3 * 784))
        : encodeIdxLabels([1, 2, 3]);
      await Deno.writeFile(join(dir, f.name), tiny);
    }
    const err = await dataError(loadFashionMnist({ dir, fetch: offline }), false);
    assert.match(
      err.message,
      new RegExp(`^${dir}/(train|t10k)-labels-idx1-ubyte: holds 3 labels, expected (60000|10000)$`),
    );
  });
});

// ---- With the real files (skipped when none are installed) ----

const real = (await findFashionMnist()).found;
const ignore = real === null;

function checkSplit(split: Split, count: number): void {
  assert.equal(split.count, count);
  assert.equal(split.images.length, count * 784);
  assert.equal(split.labels.length, count);
  const perClass = new Array(10).fill(0);
  for (const label of split.labels) perClass[label]++;
  assert.deepEqual(perClass, new Array(10).fill(count / 10));
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of split.images) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  const mean = sum / split.images.length;
  assert.ok(mean > 0.28 && mean < 0.29, `mean pixel ${mean}`); // Fashion-MNIST: ~0.286
}

function sameData(a: FashionMnist, b: FashionMnist): void {
  assert.deepEqual(a.train.labels, b.train.labels);
  assert.deepEqual(a.test.labels, b.test.labels);
  assert.deepEqual(a.test.images, b.test.images);
  assert.equal(a.train.images.length, b.train.images.length);
  for (let i = 0; i < a.train.images.length; i += 997) {
    assert.equal(a.train.images[i], b.train.images[i]);
  }
}

let reference: FashionMnist | null = null;

Deno.test({
  name: "loadFashionMnist (real files): 60,000 + 10,000 items, 6,000 / 1,000 per class",
  ignore,
  async fn() {
    const data = await loadFashionMnist({ fetch: offline, onProgress: quiet });
    assert.equal(data.source, real!.dir);
    assert.equal(data.checksum, FASHION_MNIST_CHECKSUM);
    checkSplit(data.train, 60_000);
    checkSplit(data.test, 10_000);
    assert.equal(data.train.labels[0], 9); // the first training image is an ankle boot
    reference = data;
  },
});

Deno.test({
  name: "loadFashionMnist (real files): downloaded through a fake fetch, verified, loaded",
  ignore,
  async fn() {
    await withTempDir(async (root) => {
      const served: string[] = [];
      const mirror: Fetch = async (url) => {
        const name = url.slice(FASHION_MNIST_BASE_URL.length);
        served.push(name);
        const path = real!.paths[FASHION_MNIST_FILES.find((f) => `${f.name}.gz` === name)!.key];
        const file = await Deno.open(path);
        const { size } = await file.stat();
        return new Response(file.readable, { headers: { "content-length": String(size) } });
      };
      const events: string[] = [];
      const data = await loadFashionMnist({
        env: null,
        projectDir: `${root}/project`,
        systemDir: null,
        fetch: mirror,
        onProgress: (p) => p.done && events.push(p.file),
      });
      assert.deepEqual(served, FASHION_MNIST_FILES.map((f) => `${f.name}.gz`));
      assert.deepEqual(events, served);
      assert.equal(data.source, `${root}/project`);
      assert.deepEqual(
        [...Deno.readDirSync(`${root}/project`)].map((e) => e.name).sort(),
        [...served].sort(),
      );
      sameData(data, reference ?? await loadFashionMnist({ fetch: offline }));
    });
  },
});

Deno.test({
  name: "loadFashionMnist (real files): uncompressed copies load the same; damage is named",
  ignore,
  async fn() {
    await withTempDir(async (dir) => {
      for (const f of FASHION_MNIST_FILES) {
        const raw = await gunzip(await Deno.readFile(real!.paths[f.key]), f.name);
        await Deno.writeFile(join(dir, f.name), raw);
      }
      const data = await loadFashionMnist({ dir, fetch: offline });
      assert.equal(data.source, dir);
      sameData(data, reference ?? await loadFashionMnist({ fetch: offline }));

      const labelsPath = join(dir, "t10k-labels-idx1-ubyte");
      const labels = await Deno.readFile(labelsPath);
      labels[8 + 57] = 12;
      await Deno.writeFile(labelsPath, labels);
      const bad = await dataError(loadFashionMnist({ dir, fetch: offline }), false);
      assert.equal(bad.message, `${labelsPath}: label 12 at index 57 is outside 0..9`);

      labels[8 + 57] = (labels[8 + 57 + 1] + 1) % 10; // valid, but not the official file
      await Deno.writeFile(labelsPath, labels);
      const changed = await dataError(loadFashionMnist({ dir, fetch: offline }), false);
      assert.match(
        changed.message,
        new RegExp(`^${labelsPath}: content differs from the official Fashion-MNIST file`),
      );
    });
  },
});
