/// <reference lib="webworker" />
/**
 * The worker that trains in the page: bundled by esbuild (./train_bundle.ts)
 * into a classic script that the panel starts from a blob URL. It unpacks
 * the subset and runs the book's own training loop, `runReplica` of
 * lib/train/replica.ts, as one replica on plain buffers (a page that is not
 * cross-origin isolated has no shared memory, and one replica needs none), or
 * as one of two replicas whose gradients meet in the shared memory the page
 * sends (a cross-origin isolated page), with the kernels' bytes it is sent.
 * With two, the page stops and resumes only replica 0: replica 1 waits for it
 * at the next barrier. Between updates it yields to its
 * messages, so that Stop holds the run before the next update and Resume
 * lets it go on; the numbers are those of a run that never stopped.
 *
 * @module
 */

import { subsetSplits, unpackSubset } from "../data/subset.ts";
import { lenetParameterCount } from "../train/architecture.ts";
import { runReplica, type SharedRun } from "../train/replica.ts";
import { asciiToBytes } from "../util/ascii_bytes.ts";
import type { FromWorker, ToWorker } from "./train_protocol.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
};

let stopped = false;
let wake: (() => void) | null = null;

/** Let queued messages (a Stop) in: a message to itself, which no timer clamping delays. */
const channel = new MessageChannel();
let pending: (() => void)[] = [];
channel.port1.onmessage = () => {
  const ready = pending;
  pending = [];
  for (const resolve of ready) resolve();
};
const yieldToMessages = () =>
  new Promise<void>((resolve) => {
    pending.push(resolve);
    channel.port2.postMessage(0);
  });

function copy(values: Float32Array | Int32Array): ArrayBuffer {
  return values.slice().buffer as ArrayBuffer;
}

async function start(message: Extract<ToWorker, { type: "start" }>) {
  const began = performance.now();
  const { config } = message;
  if (config.replicas > 1 && message.shared === undefined) {
    throw new Error(`${config.replicas} replicas need the memory they share, and none was sent`);
  }
  const splits = subsetSplits(await unpackSubset(asciiToBytes(message.data)));
  const kernels = asciiToBytes(message.kernels);
  if (config.trainSize > splits.train.count || config.testSize > splits.test.count) {
    throw new Error(
      `the subset holds ${splits.train.count} training and ${splits.test.count} test images; ` +
        `the run asks for ${config.trainSize} and ${config.testSize}`,
    );
  }
  const px = 28 * 28;
  const shared: SharedRun = {
    trainImages: copy(splits.train.images.subarray(0, config.trainSize * px)),
    trainLabels: copy(splits.train.labels.subarray(0, config.trainSize)),
    testImages: copy(splits.test.images.subarray(0, config.testSize * px)),
    testLabels: copy(splits.test.labels.subarray(0, config.testSize)),
    // The replicas' shared memory, or one slot of its own (the gradient, the loss sum and the
    // number right: runReplica's layout) and an unused barrier.
    slots: message.shared?.slots ?? new ArrayBuffer((lenetParameterCount(config.width) + 2) * 4),
    barrier: message.shared?.barrier ?? new ArrayBuffer(3 * 4),
  };
  scope.postMessage({ type: "ready", seconds: (performance.now() - began) / 1000 });
  let busy = 0, since = performance.now();
  await runReplica(shared, config, (m) => scope.postMessage(m), {
    kernels,
    async afterUpdate(done) {
      busy += performance.now() - since;
      scope.postMessage({ type: "update", done, busy: busy / 1000 });
      await yieldToMessages();
      if (stopped) scope.postMessage({ type: "held", done });
      while (stopped) await new Promise<void>((resolve) => (wake = resolve));
      since = performance.now();
    },
  });
}

scope.onmessage = ({ data }) => {
  if (data.type === "stop") stopped = true;
  else if (data.type === "resume") {
    stopped = false;
    wake?.();
    wake = null;
  } else if (data.type === "start") {
    start(data).catch((error) => {
      const message = error instanceof Error ? error.message : String(error);
      scope.postMessage({ type: "error", message });
    });
  }
};
