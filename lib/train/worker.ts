/**
 * The body of a training worker: runs replicas of ./replica.ts, one run after
 * another (the engine keeps workers between runs), and says "done" after each.
 *
 * @module
 */

import { type ReplicaConfig, type ReplicaMessage, runReplica, type SharedRun } from "./replica.ts";

/** The one message a worker receives: what to run. */
export interface WorkerStart {
  shared: SharedRun;
  config: ReplicaConfig;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerStart>) => void) | null;
  postMessage(message: ReplicaMessage): void;
};

scope.onmessage = async ({ data }) => {
  try {
    await runReplica(data.shared, data.config, (message) => scope.postMessage(message));
  } catch (error) {
    const message = error instanceof Error
      ? `${error.message}\n${error.stack ?? ""}`
      : String(error);
    scope.postMessage({ type: "error", message });
  }
};
