import assert from "node:assert/strict";
import { createProgressReporter, type DownloadProgress } from "./progress.ts";

const URL_ = "http://example.com/f.gz";

function run(events: Omit<DownloadProgress, "file" | "url">[], isTerminal: boolean): string {
  let text = "";
  const report = createProgressReporter({ write: (s) => (text += s), isTerminal, width: 10 });
  for (const e of events) report({ file: "f.gz", url: URL_, ...e });
  return text;
}

Deno.test("progress: a terminal gets one bar redrawn in place, ended by a newline", () => {
  const text = run([
    { received: 0, total: 4e6, done: false },
    { received: 1e6, total: 4e6, done: false },
    { received: 1e6 + 1, total: 4e6, done: false }, // same line: not redrawn
    { received: 4e6, total: 4e6, done: false },
    { received: 4e6, total: 4e6, done: true },
  ], true);
  assert.equal(
    text,
    "\r\x1b[2Kf.gz [----------]   0% 0.0/4.0 MB" +
      "\r\x1b[2Kf.gz [###-------]  25% 1.0/4.0 MB" +
      "\r\x1b[2Kf.gz [##########] 100% 4.0/4.0 MB" +
      "\n",
  );
});

Deno.test("progress: without Content-Length the bar shows bytes only", () => {
  const text = run([
    { received: 0, total: null, done: false },
    { received: 2.5e6, total: null, done: true },
  ], true);
  assert.equal(text, "\r\x1b[2Kf.gz 0.0 kB\r\x1b[2Kf.gz 2.5 MB\n");
});

Deno.test("progress: not a terminal: a line when a file starts and one when it ends", () => {
  const text = run([
    { received: 0, total: null, done: false },
    { received: 5e5, total: null, done: false },
    { received: 1e6, total: null, done: true },
  ], false);
  assert.equal(text, `downloading ${URL_}\n  f.gz: 1.0 MB received\n`);
});

Deno.test("progress: files under a megabyte are counted in kB", () => {
  assert.equal(
    run([{ received: 0, total: 29_491, done: false }, {
      received: 29_491,
      total: 29_491,
      done: true,
    }], false),
    `downloading ${URL_} (29.5 kB)\n  f.gz: 29.5 kB received\n`,
  );
  assert.equal(
    run([{ received: 29_491, total: 29_491, done: true }], true),
    "\r\x1b[2Kf.gz [##########] 100% 29.5/29.5 kB\n",
  );
});
