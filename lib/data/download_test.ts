import assert from "node:assert/strict";
import { withTempDir } from "./_testing.ts";
import { downloadFashionMnist, type Fetch } from "./download.ts";
import { DataError, DataNotFoundError } from "./errors.ts";
import { gzip } from "./gzip.ts";
import { encodeIdxImages, encodeIdxLabels } from "./idx_encode.ts";
import type { FileSpec } from "./manifest.ts";
import type { DownloadProgress } from "./progress.ts";
import { sha256Hex } from "../util/sha256.ts";

const BASE = "http://files.test/fmnist/";
// Pseudo-random pixels, so the gzipped file still spans several 1000-byte chunks.
const IMAGES = encodeIdxImages(
  Uint8Array.from({ length: 5 * 784 }, (_, i) => (i * 2654435761) >>> 24),
);
const LABELS = encodeIdxLabels([1, 2, 3, 4, 5]);
const SPECS: FileSpec[] = [
  { key: "testImages", name: "tiny-images", sha256: await sha256Hex(IMAGES), bytes: IMAGES.length },
  { key: "testLabels", name: "tiny-labels", sha256: await sha256Hex(LABELS), bytes: LABELS.length },
];
const SERVED: Record<string, Uint8Array> = {
  [`${BASE}tiny-images.gz`]: await gzip(IMAGES),
  [`${BASE}tiny-labels.gz`]: await gzip(LABELS),
};

interface ServeOptions {
  /** Replace the body of a URL. */
  body?: Record<string, Uint8Array>;
  /** Fail the stream of this URL after half of it. */
  breakUrl?: string;
  /** Send only half the body of this URL, ending the stream normally. */
  shortUrl?: string;
  /** Called before each chunk is sent. */
  onChunk?: () => Promise<void>;
}

/** A fake fetch serving `SERVED` in 1000-byte chunks, with `Content-Length`. */
function serve(options: ServeOptions = {}): Fetch & { calls: string[] } {
  const calls: string[] = [];
  const fake = (url: string) => {
    calls.push(url);
    const data = options.body?.[url] ?? SERVED[url];
    if (data === undefined) return Promise.resolve(new Response("no", { status: 404 }));
    const half = data.length >> 1;
    const end = url === options.breakUrl || url === options.shortUrl ? half : data.length;
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await options.onChunk?.();
        if (offset >= end) {
          if (url === options.breakUrl) controller.error(new TypeError("connection reset"));
          else controller.close();
          return;
        }
        controller.enqueue(data.slice(offset, Math.min(end, offset + 1000)));
        offset += 1000;
      },
    });
    return Promise.resolve(
      new Response(body, { headers: { "content-length": String(data.length) } }),
    );
  };
  return Object.assign(fake, { calls });
}

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/** A rejection with a `DataError`; a `DataNotFoundError` exactly when `notFound`. */
async function dataError(
  promise: Promise<unknown>,
  pattern: RegExp,
  notFound = false,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected a DataError, got ${err}`);
    assert.equal(err instanceof DataNotFoundError, notFound, `not found: ${err}`);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("download: verified files land under their final .gz names", async () => {
  await withTempDir(async (dir) => {
    const events: DownloadProgress[] = [];
    const target = `${dir}/new/sub`; // created as needed
    const fake = serve();
    const paths = await downloadFashionMnist({
      dir: target,
      fetch: fake,
      baseUrl: BASE,
      files: SPECS,
      onProgress: (p) => events.push(p),
    });
    assert.deepEqual(paths, {
      testImages: `${target}/tiny-images.gz`,
      testLabels: `${target}/tiny-labels.gz`,
    });
    assert.deepEqual(await listing(target), ["tiny-images.gz", "tiny-labels.gz"]);
    assert.deepEqual(await Deno.readFile(paths.testImages!), SERVED[`${BASE}tiny-images.gz`]);
    assert.equal((await Deno.stat(paths.testImages!)).mode! & 0o777, 0o644);
    assert.deepEqual(fake.calls, [`${BASE}tiny-images.gz`, `${BASE}tiny-labels.gz`]);

    const images = events.filter((e) => e.file === "tiny-images.gz");
    assert.equal(images[0].received, 0);
    assert.equal(images[0].done, false);
    const last = images[images.length - 1];
    assert.deepEqual(last, {
      file: "tiny-images.gz",
      url: `${BASE}tiny-images.gz`,
      received: SERVED[`${BASE}tiny-images.gz`].length,
      total: SERVED[`${BASE}tiny-images.gz`].length,
      done: true,
    });
    for (let i = 1; i < images.length; i++) {
      assert.ok(images[i].received >= images[i - 1].received);
    }
  });
});

Deno.test("download: nothing appears under a final name while bytes arrive", async () => {
  await withTempDir(async (dir) => {
    const seen: string[][] = [];
    await downloadFashionMnist({
      dir,
      fetch: serve({ onChunk: async () => void seen.push(await listing(dir)) }),
      baseUrl: BASE,
      files: SPECS.slice(0, 1),
    });
    assert.ok(seen.length > 2);
    for (const names of seen) {
      assert.ok(!names.includes("tiny-images.gz"));
      assert.ok(names.every((n) => n.startsWith(".tiny-images.") && n.endsWith(".part")));
    }
    assert.deepEqual(await listing(dir), ["tiny-images.gz"]);
  });
});

Deno.test("download: files already present are not fetched again", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/tiny-images`, IMAGES);
    const fake = serve();
    const paths = await downloadFashionMnist({ dir, fetch: fake, baseUrl: BASE, files: SPECS });
    assert.deepEqual(fake.calls, [`${BASE}tiny-labels.gz`]);
    assert.equal(paths.testImages, `${dir}/tiny-images`);
    assert.equal(paths.testLabels, `${dir}/tiny-labels.gz`);
  });
});

Deno.test("download: checksum mismatch leaves no file", async () => {
  await withTempDir(async (dir) => {
    // Valid gzip and a valid IDX file of the right length, but other content.
    const other = encodeIdxLabels([5, 4, 3, 2, 1]);
    const fetch = serve({ body: { [`${BASE}tiny-labels.gz`]: await gzip(other) } });
    await dataError(
      downloadFashionMnist({ dir, fetch, baseUrl: BASE, files: SPECS.slice(1) }),
      new RegExp(
        `^${BASE}tiny-labels\\.gz: checksum mismatch: SHA-256 of the decompressed data is ` +
          `[0-9a-f]{64}, expected ${SPECS[1].sha256}$`,
      ),
    );
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("download: wrong length and corrupt gzip leave no file", async () => {
  await withTempDir(async (dir) => {
    const longer = await gzip(encodeIdxLabels([1, 2, 3, 4, 5, 6]));
    await dataError(
      downloadFashionMnist({
        dir,
        fetch: serve({ body: { [`${BASE}tiny-labels.gz`]: longer } }),
        baseUrl: BASE,
        files: SPECS.slice(1),
      }),
      /tiny-labels\.gz: downloaded file is 14 bytes decompressed, expected 13$/,
    );
    const corrupt = SERVED[`${BASE}tiny-labels.gz`].slice();
    corrupt[12] ^= 0xff;
    await dataError(
      downloadFashionMnist({
        dir,
        fetch: serve({ body: { [`${BASE}tiny-labels.gz`]: corrupt } }),
        baseUrl: BASE,
        files: SPECS.slice(1),
      }),
      /tiny-labels\.gz: gzip data is corrupt or truncated/,
    );
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("download: an interrupted stream leaves no file, earlier files are kept", async () => {
  await withTempDir(async (dir) => {
    await dataError(
      downloadFashionMnist({
        dir,
        fetch: serve({ breakUrl: `${BASE}tiny-labels.gz` }),
        baseUrl: BASE,
        files: SPECS,
      }),
      /^http:\/\/files\.test\/fmnist\/tiny-labels\.gz: download interrupted after \d+ bytes \(connection reset\)$/,
    );
    assert.deepEqual(await listing(dir), ["tiny-images.gz"]);
  });
});

Deno.test("download: a body shorter than Content-Length leaves no file", async () => {
  await withTempDir(async (dir) => {
    await dataError(
      downloadFashionMnist({
        dir,
        fetch: serve({ shortUrl: `${BASE}tiny-images.gz` }),
        baseUrl: BASE,
        files: SPECS,
      }),
      /tiny-images\.gz: download incomplete: \d+ of \d+ bytes$/,
    );
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("download: HTTP errors and network failures are DataNotFoundErrors naming the URL", async () => {
  await withTempDir(async (dir) => {
    await dataError(
      downloadFashionMnist({ dir, fetch: serve(), baseUrl: "http://files.test/elsewhere/" }),
      /^http:\/\/files\.test\/elsewhere\/train-images-idx3-ubyte\.gz: download failed \(HTTP 404\)$/,
      true,
    );
    const offline: Fetch = () => Promise.reject(new TypeError("fetch failed"));
    await dataError(
      downloadFashionMnist({ dir, fetch: offline }),
      /^http:\/\/fashion-mnist\.s3-website\.eu-central-1\.amazonaws\.com\/train-images-idx3-ubyte\.gz: download failed \(fetch failed\)$/,
      true,
    );
    const empty: Fetch = () => Promise.resolve(new Response(null));
    await dataError(
      downloadFashionMnist({ dir, fetch: empty, baseUrl: BASE, files: SPECS }),
      /^http:\/\/files\.test\/fmnist\/tiny-images\.gz: download failed \(empty body\)$/,
      true,
    );
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("download: aborting rejects with the abort reason and leaves no file", async () => {
  await withTempDir(async (dir) => {
    const controller = new AbortController();
    let chunks = 0;
    const fetch = serve({
      onChunk: () => {
        if (++chunks === 2) controller.abort(new Error("stop"));
        return Promise.resolve();
      },
    });
    // The fake does not watch the signal itself; the downloader notices when the stream ends.
    const slowFetch: Fetch = async (url, init) => {
      const response = await fetch(url, init);
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (init?.signal?.aborted) return c.error(init.signal.reason);
          const { done, value } = await reader.read();
          if (done) c.close();
          else c.enqueue(value);
        },
      });
      return new Response(body, { headers: response.headers });
    };
    await assert.rejects(
      downloadFashionMnist({
        dir,
        fetch: slowFetch,
        baseUrl: BASE,
        files: SPECS,
        signal: controller.signal,
      }),
      /^Error: stop$/,
    );
    assert.deepEqual(await listing(dir), []);
  });
});
