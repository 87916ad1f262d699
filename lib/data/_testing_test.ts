import assert from "node:assert/strict";
import { join } from "node:path";
import { loadTestData, REQUIRE_DATA_VAR, type TestDataOptions, withTempDir } from "./_testing.ts";
import type { Fetch } from "./download.ts";
import { DataError, DataNotFoundError } from "./errors.ts";
import { encodeIdxImages, encodeIdxLabels } from "./idx_encode.ts";
import { FASHION_MNIST_FILES } from "./manifest.ts";

const offline: Fetch = () => Promise.reject(new TypeError("fetch failed"));
const quiet = () => {};

/** Run `fn` with console.warn captured; returns what was warned. */
async function warnings(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.warn = warn;
  }
  return seen;
}

/** Run `fn` with LR_REQUIRE_DATA set to `value` (or unset), restoring it afterwards. */
async function withRequire(value: string | undefined, fn: () => Promise<void>): Promise<void> {
  const saved = Deno.env.get(REQUIRE_DATA_VAR);
  const set = (v: string | undefined) =>
    v === undefined ? Deno.env.delete(REQUIRE_DATA_VAR) : Deno.env.set(REQUIRE_DATA_VAR, v);
  set(value);
  try {
    await fn();
  } finally {
    set(saved);
  }
}

/** Nothing but `dir` is looked at, and nothing is downloaded. */
const only = (dir: string): TestDataOptions => ({
  dir,
  env: null,
  projectDir: null,
  systemDir: null,
  download: false,
});

Deno.test("loadTestData: not found anywhere gives null and says the tests are skipped", async () => {
  await withTempDir(async (root) => {
    await Deno.mkdir(`${root}/empty`);
    const seen = await warnings(async () => {
      assert.equal(await loadTestData({ ...only(`${root}/empty`), required: false }), null);
      // Not named, just absent from every place searched, and not downloadable (offline).
      const searched = {
        env: null,
        projectDir: `${root}/empty`,
        systemDir: `${root}/nowhere`,
        fetch: offline,
        onProgress: quiet,
        required: false,
      };
      assert.equal(await loadTestData(searched), null);
      // Named by FASHION_MNIST_DIR, which holds nothing.
      const env = { ...only(`${root}/empty`), dir: undefined, env: `${root}/empty` };
      assert.equal(await loadTestData({ ...env, required: false }), null);
    });
    assert.equal(seen.length, 3);
    for (const warning of seen) {
      assert.match(warning, /^Fashion-MNIST is not there: the tests that train on it are skipped/);
      assert.match(warning, /set LR_REQUIRE_DATA=1 to make this a failure/);
    }
    assert.match(seen[0], new RegExp(`--data ${root}/empty: missing train-images-idx3-ubyte`));
    assert.match(seen[1], /download failed \(fetch failed\)/);
    assert.match(seen[2], new RegExp(`FASHION_MNIST_DIR ${root}/empty: missing`));
  });
});

Deno.test("loadTestData: a corrupt file is rethrown, never a skip", async () => {
  await withTempDir(async (dir) => {
    for (const f of FASHION_MNIST_FILES) {
      const tiny = f.name.includes("images")
        ? encodeIdxImages(new Uint8Array(784))
        : encodeIdxLabels([7]);
      await Deno.writeFile(join(dir, f.name), tiny);
    }
    // Valid IDX files of the wrong length, and one whose gzip data is corrupt.
    await Deno.remove(join(dir, "t10k-labels-idx1-ubyte"));
    await Deno.writeFile(
      join(dir, "t10k-labels-idx1-ubyte.gz"),
      Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3),
    );
    const seen = await warnings(async () => {
      for (const required of [false, true]) {
        await assert.rejects(loadTestData({ ...only(dir), required }), (err: unknown) => {
          assert.ok(err instanceof DataError, `a DataError: ${err}`);
          assert.ok(!(err instanceof DataNotFoundError), `not a DataNotFoundError: ${err}`);
          assert.match(err.message, new RegExp(`^${dir}/`));
          return true;
        });
      }
    });
    assert.deepEqual(seen, []);
  });
});

Deno.test("loadTestData: when required, missing data is a failure naming the variable", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(loadTestData({ ...only(dir), required: true }), (err: unknown) => {
      assert.ok(err instanceof DataError && !(err instanceof DataNotFoundError), `${err}`);
      assert.ok(err.cause instanceof DataNotFoundError);
      assert.match(
        err.message,
        new RegExp(`^LR_REQUIRE_DATA=1, so missing data is a failure:\n--data ${dir}: missing `),
      );
      return true;
    });
  });
});

Deno.test("loadTestData: LR_REQUIRE_DATA decides by default: 1 yes; unset, empty, 0 no", async () => {
  await withTempDir(async (dir) => {
    await withRequire("1", async () => {
      await assert.rejects(loadTestData(only(dir)), /^DataError: LR_REQUIRE_DATA=1, so /);
      // an explicit option wins over the variable
      const seen = await warnings(async () => {
        assert.equal(await loadTestData({ ...only(dir), required: false }), null);
      });
      assert.equal(seen.length, 1);
    });
    for (const value of [undefined, "", "0"]) {
      await withRequire(value, async () => {
        const seen = await warnings(async () => {
          assert.equal(await loadTestData(only(dir)), null, `LR_REQUIRE_DATA=${value}`);
        });
        assert.equal(seen.length, 1);
      });
    }
    for (const value of ["yes", "true", " 1"]) {
      await withRequire(value, async () => {
        await assert.rejects(loadTestData(only(dir)), {
          name: "TypeError",
          message: `LR_REQUIRE_DATA (${JSON.stringify(value)}) must be "1" or "0", or unset`,
        });
      });
    }
  });
});
