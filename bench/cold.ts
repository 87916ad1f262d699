/**
 * One cold training process for `deno task bench`: the baseline (LeNet, full
 * Fashion-MNIST, batch 256, SGD at 0.3) for one epoch, from nothing (no
 * stored run is read or written), as a reader's first `deno task chapter`
 * would. Prints one JSON line: seconds from the process's start to the data
 * loaded, to the first update done and to the epoch done, and the peak
 * resident memory.
 *
 * Usage: deno run -A bench/cold.ts
 *
 * @module
 */

import { loadFashionMnist } from "../lib/data/mod.ts";
import { constant } from "../lib/schedules/mod.ts";
import { train } from "../lib/train/train.ts";

/** Seconds since the process started. */
const since = () => performance.now() / 1000;

if (import.meta.main) {
  let peak = 0;
  const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 50);
  const data = await loadFashionMnist();
  const loaded = since();
  let firstUpdate = 0;
  await train(
    { name: "baseline", schedule: constant({ baseLr: 0.3 }), stepsPer: "epoch", epochs: 1 },
    {
      data,
      cache: null,
      progress: {
        update: () => firstUpdate ||= since(),
        epochDone: () => {},
        close: () => {},
      },
    },
  );
  clearInterval(sampler);
  console.log(JSON.stringify({
    dataLoaded: loaded,
    firstUpdate,
    done: since(),
    peakRssMB: Math.max(peak, Deno.memoryUsage().rss) / 2 ** 20,
  }));
}
