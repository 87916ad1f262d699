import assert from "node:assert/strict";
import { bar, ProgressLine, type ProgressStream } from "./progress_line.ts";

/** A stream that takes at most `most` bytes per call, and records every call. */
function stream(tty: boolean, most = Infinity) {
  const bytes: number[] = [];
  const calls: number[] = [];
  const s: ProgressStream & { text(): string; calls: number[] } = {
    calls,
    writeSync(p) {
      const n = Math.min(p.length, most);
      bytes.push(...p.subarray(0, n));
      calls.push(n);
      return n;
    },
    isTerminal: () => tty,
    text: () => new TextDecoder().decode(new Uint8Array(bytes)),
  };
  return s;
}

Deno.test("ProgressLine: a short write is carried on until every byte is out", () => {
  const out = stream(true, 3);
  const line = new ProgressLine(out);
  line.draw("épοch 1/30 [####------]"); // multi-byte characters, cut mid-character
  line.print("épοch 1/30  done");
  assert.equal(out.text(), "\r\x1b[2Képοch 1/30 [####------]\r\x1b[2Képοch 1/30  done\n");
  assert(out.calls.length > 10 && out.calls.every((n) => n <= 3));
});

Deno.test("ProgressLine: on a terminal, draw, keep and clear", () => {
  const out = stream(true);
  const line = new ProgressLine(out);
  assert.equal(line.terminal, true);
  line.clear(); // nothing drawn: nothing to erase
  line.keep(); // nor to keep
  line.draw("a");
  line.keep();
  line.draw("b");
  line.clear();
  line.print("c");
  line.print("d");
  assert.equal(out.text(), "\r\x1b[2Ka\n\r\x1b[2Kb\r\x1b[2Kc\nd\n");
});

Deno.test("ProgressLine: elsewhere, printed lines only, without control characters", () => {
  const out = stream(false);
  const line = new ProgressLine(out);
  assert.equal(line.terminal, false);
  line.draw("50%");
  line.clear();
  line.keep();
  line.print("done");
  assert.equal(out.text(), "done\n");
  // the caller may decide, and a stream that cannot tell counts as no terminal
  assert.equal(new ProgressLine(out, true).terminal, true);
  const broken = {
    ...out,
    isTerminal: (): boolean => {
      throw new Error("no tty");
    },
  };
  assert.equal(new ProgressLine(broken).terminal, false);
});

Deno.test("bar: filled in proportion, clamped to [0, 1]", () => {
  assert.equal(bar(0, 4), "[----]");
  assert.equal(bar(0.25, 4), "[#---]");
  assert.equal(bar(1, 4), "[####]");
  assert.equal(bar(-1, 3), "[---]");
  assert.equal(bar(0.5, 0), "[]");
});
