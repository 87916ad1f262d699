import assert from "node:assert/strict";
import { terminalProgress } from "./progress.ts";

function stream(tty: boolean) {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  return {
    chunks,
    writeSync(p: Uint8Array) {
      chunks.push(decoder.decode(p));
      return p.length;
    },
    isTerminal: () => tty,
  };
}

Deno.test("on a terminal the bar is redrawn in place, with epoch, batch, loss, rate and ETA", () => {
  const out = stream(true);
  const progress = terminalProgress("cosine", 30, 235, out);
  progress.update(2, 100, 0.4321, 0.29);
  const bar = out.chunks.join("");
  assert(bar.startsWith("\r\x1b[2K"), JSON.stringify(bar));
  for (const part of ["cosine", "epoch 2/30", "100/235", "loss 0.4321", "lr 0.290", "ETA "]) {
    assert(bar.includes(part), `missing ${part} in ${JSON.stringify(bar)}`);
  }
  progress.epochDone("epoch 2/30  loss 0.43");
  assert.equal(out.chunks.at(-1), "\r\x1b[2Kcosine  epoch 2/30  loss 0.43\n");
});

Deno.test("elsewhere only plain lines: one per epoch, no control characters", () => {
  const out = stream(false);
  const progress = terminalProgress("baseline", 3, 10, out);
  progress.update(1, 5, 1, 0.3);
  progress.epochDone("epoch 1/3  done");
  progress.close();
  assert.deepEqual(out.chunks, ["baseline  epoch 1/3  done\n"]);
});

Deno.test("a stream that takes a few bytes at a time still gets every line whole", () => {
  const bytes: number[] = [];
  const slow = {
    writeSync(p: Uint8Array) {
      const n = Math.min(5, p.length);
      bytes.push(...p.subarray(0, n));
      return n;
    },
    isTerminal: () => false,
  };
  const progress = terminalProgress("sqrt", 2, 10, slow);
  progress.epochDone("epoch 1/2  loss 0.51  test 81.2%");
  progress.epochDone("epoch 2/2  loss 0.43  test 84.0%");
  assert.equal(
    new TextDecoder().decode(new Uint8Array(bytes)),
    "sqrt  epoch 1/2  loss 0.51  test 81.2%\nsqrt  epoch 2/2  loss 0.43  test 84.0%\n",
  );
});
