import assert from "node:assert/strict";
import { isolatedHandler, ISOLATION_HEADERS, sitePath } from "./serve.ts";
import { serveCli } from "./serve_cli.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** A site in memory, and its handler. */
function site() {
  const files = new Map([
    ["index.html", text("<p>home</p>")],
    ["assets/site.js", text("void 0;")],
    ["assets/plot.svg", text("<svg/>")],
    ["docs/index.html", text("<p>docs</p>")],
    ["data.bin", text("xyz")],
  ]);
  const reads: string[] = [];
  const serve = isolatedHandler((path) => {
    reads.push(path);
    return Promise.resolve(files.get(path) ?? null);
  });
  return {
    serve,
    reads,
    get: (path: string, init?: RequestInit) =>
      serve(new Request(`http://127.0.0.1:8000${path}`, init)),
  };
}

Deno.test("serve: every response is cross-origin isolated, errors too", async () => {
  const { get } = site();
  for (
    const [path, status] of [["/", 200], ["/nothing.html", 404], ["/a%2F..%2Fx", 403]] as const
  ) {
    const response = await get(path);
    assert.equal(response.status, status, path);
    // Without any of these the page would not be isolated (no SharedArrayBuffer, one worker).
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
      assert.equal(response.headers.get(name), value, `${path}: ${name}`);
    }
    await response.body?.cancel();
  }
  const post = await get("/", { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  assert.equal(post.headers.get("cross-origin-opener-policy"), "same-origin");
  await post.body?.cancel();
});

Deno.test("serve: files with their types, directories as their index, HEAD without a body", async () => {
  const { get, reads } = site();
  const js = await get("/assets/site.js");
  // A script served as text/plain would not run under a strict MIME check.
  assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(await js.text(), "void 0;");
  assert.equal((await get("/assets/plot.svg")).headers.get("content-type"), "image/svg+xml");
  assert.equal((await get("/data.bin")).headers.get("content-type"), "application/octet-stream");
  assert.equal(await (await get("/docs/")).text(), "<p>docs</p>");
  assert.equal(await (await get("/docs")).text(), "<p>docs</p>");
  const head = await get("/index.html", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), "11");
  assert.equal(await head.text(), "");
  // The 404 page quotes the path, escaped.
  const missing = await get("/%3Cscript%3E.html");
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /Not in the site: \/&lt;script&gt;\.html/);
  // Nothing outside the site is even read.
  reads.length = 0;
  // (A URL resolves a plain `..` itself: these hide it from the parser.)
  for (const path of ["/a%2F..%2F..%2Fsecret", "/a%5c..%5csecret", "/%E0%A4%A"]) {
    const response = await get(path);
    assert.equal(response.status, 403, path);
    await response.body?.cancel();
  }
  assert.deepEqual(reads, []);
});

Deno.test("serve: a URL's path inside the site, or null", () => {
  assert.equal(sitePath("/assets//site.js"), "assets/site.js");
  assert.equal(sitePath("/./a/./b"), "a/b");
  assert.equal(sitePath("/a/../b"), null, "`..` is refused even where it stays inside");
  assert.equal(sitePath("/a%00b"), null);
  assert.equal(sitePath("/%zz"), null, "a broken escape");
});

Deno.test("serve: a directory with no built site is a usage error, naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let err = "";
    const write = Deno.stderr.writeSync;
    // runMain writes to the process's stderr: catch it for the assertion.
    Deno.stderr.writeSync = (bytes: Uint8Array) => {
      err += new TextDecoder().decode(bytes);
      return bytes.length;
    };
    let code: number;
    try {
      code = await serveCli(["--dir", dir, "--port", "0"]);
    } finally {
      Deno.stderr.writeSync = write;
    }
    assert.equal(code, 2);
    assert.equal(
      err,
      `serve: --dir ${JSON.stringify(dir)} holds no built site (no index.html): run ` +
        "`deno task build` first\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
