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
  assert(bar.startsWith("\r\x1b[K"), JSON.stringify(bar));
  for (const part of ["cosine", "epoch 2/30", "100/235", "loss 0.4321", "lr 0.290", "ETA "]) {
    assert(bar.includes(part), `missing ${part} in ${JSON.stringify(bar)}`);
  }
  progress.epochDone("epoch 2/30  loss 0.43");
  assert.equal(out.chunks.at(-1), "\r\x1b[Kcosine  epoch 2/30  loss 0.43\n");
});

Deno.test("elsewhere only plain lines: one per epoch, no control characters", () => {
  const out = stream(false);
  const progress = terminalProgress("baseline", 3, 10, out);
  progress.update(1, 5, 1, 0.3);
  progress.epochDone("epoch 1/3  done");
  progress.close();
  assert.deepEqual(out.chunks, ["baseline  epoch 1/3  done\n"]);
});
