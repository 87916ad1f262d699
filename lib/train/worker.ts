/**
 * The body of a training worker: runs one replica of ./replica.ts.
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
  scope.onmessage = null;
  try {
    await runReplica(data.shared, data.config, (message) => scope.postMessage(message));
  } catch (error) {
    const message = error instanceof Error
      ? `${error.message}\n${error.stack ?? ""}`
      : String(error);
    scope.postMessage({ type: "error", message });
  }
};
