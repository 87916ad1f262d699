/**
 * `deno task bench`: seconds per epoch of the baseline run (LeNet, full
 * Fashion-MNIST, batch 256, SGD at lr 0.3), ours against PyTorch's, side by
 * side in one invocation.
 *
 * The two alternate, block by block (ours for E epochs, then PyTorch for E
 * epochs, R times), so that both see the same machine. Each epoch's time
 * covers training on all 60,000 images and evaluating on all 10,000. PyTorch
 * runs where `/usr/bin/python3 -c "import torch"` works (Debian's
 * python3-torch), with as many threads as there are cores.
 *
 * Then, `--cold C` times (default 2), a cold process each: ./cold.ts (one
 * epoch from the process's start, data loading and worker start included)
 * against PyTorch's script for one epoch, alternating, timed from spawn to
 * exit. `--profile` also prints where the time of one worker's step goes,
 * kernel by kernel (./profile.ts).
 *
 * Usage: deno task bench [--epochs E] [--rounds R] [--workers W] [--cold C] [--profile] [--json]
 *
 * @module
 */

import { loadFashionMnist } from "../lib/data/mod.ts";
import { constant } from "../lib/schedules/mod.ts";
import { train } from "../lib/train/train.ts";
import { formatProfile, profileStep } from "./profile.ts";

/** The median of `values` (which must not be empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Epoch {
  seconds: number;
  trainLoss: number;
  testAcc: number;
}

const PYTHON = "/usr/bin/python3";

async function hasTorch(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(PYTHON, {
      args: ["-c", "import torch"],
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

async function torchEpochs(dataDir: string, epochs: number, threads: number): Promise<Epoch[]> {
  const script = new URL("./lenet_torch.py", import.meta.url).pathname;
  const { success, stdout, stderr } = await new Deno.Command(PYTHON, {
    args: [script, dataDir, String(epochs), String(threads)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`PyTorch benchmark failed:\n${new TextDecoder().decode(stderr)}`);
  // One JSON line per epoch, then one with the process's totals (first update, peak memory).
  return new TextDecoder().decode(stdout).trim().split("\n").map((line) => JSON.parse(line))
    .filter((record) => "seconds" in record)
    .map(({ seconds, train_loss, test_acc }) => ({
      seconds,
      trainLoss: train_loss,
      testAcc: test_acc,
    }));
}

/** A cold process's timings, in seconds from its start (spawn to exit for `wall`). */
interface Cold {
  wall: number;
  firstUpdate: number;
  peakRssMB: number;
}

/** Run `command args` to its end and time it from spawn to exit; its last line is JSON. */
async function timed(
  command: string,
  args: string[],
): Promise<{ wall: number; last: Record<string, number> }> {
  const began = performance.now();
  const { success, stdout, stderr } = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wall = (performance.now() - began) / 1000;
  if (!success) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${new TextDecoder().decode(stderr)}`);
  }
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  return { wall, last: JSON.parse(lines.at(-1)!) };
}

async function oursCold(): Promise<Cold> {
  const script = new URL("./cold.ts", import.meta.url).pathname;
  const { wall, last } = await timed(Deno.execPath(), ["run", "-A", script]);
  return { wall, firstUpdate: last.firstUpdate, peakRssMB: last.peakRssMB };
}

async function torchCold(dataDir: string, threads: number): Promise<Cold> {
  const script = new URL("./lenet_torch.py", import.meta.url).pathname;
  const { wall, last } = await timed(PYTHON, [script, dataDir, "1", String(threads)]);
  return { wall, firstUpdate: last.first_update, peakRssMB: last.peak_rss_mb };
}

function flag(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0 || (value === 0 && name !== "--cold")) {
    console.error(
      `bench: ${name} must be a whole number >= ${name === "--cold" ? 0 : 1}, got ${
        JSON.stringify(args[at + 1])
      }`,
    );
    Deno.exit(2);
  }
  return value;
}

if (import.meta.main) {
  const args = Deno.args;
  const epochs = flag(args, "--epochs", 3), rounds = flag(args, "--rounds", 2);
  const cores = navigator.hardwareConcurrency ?? 1;
  const workers = flag(args, "--workers", Math.min(2, cores));
  const coldRounds = flag(args, "--cold", 2);
  const data = await loadFashionMnist();
  const torch = await hasTorch();
  let peak = 0;
  const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 50);
  const ours: Epoch[] = [], theirs: Epoch[] = [];
  for (let round = 1; round <= rounds; round++) {
    console.error(`round ${round}/${rounds}: ours (${workers} workers), ${epochs} epochs`);
    const run = await train(
      { name: "baseline", schedule: constant({ baseLr: 0.3 }), stepsPer: "epoch", epochs },
      { data, workers, cache: null, progress: "terminal" },
    );
    ours.push(...run.history);
    if (torch) {
      console.error(`round ${round}/${rounds}: PyTorch (${cores} threads), ${epochs} epochs`);
      theirs.push(...(await torchEpochs(data.source, epochs, cores)));
    }
  }
  clearInterval(sampler);
  const coldOurs: Cold[] = [], coldTheirs: Cold[] = [];
  for (let round = 1; round <= coldRounds; round++) {
    console.error(`cold ${round}/${coldRounds}: one epoch in a fresh process, ours`);
    coldOurs.push(await oursCold());
    if (torch) {
      console.error(`cold ${round}/${coldRounds}: one epoch in a fresh process, PyTorch`);
      coldTheirs.push(await torchCold(data.source, cores));
    }
  }
  const profile = args.includes("--profile") ? await profileStep(data, workers) : null;
  const coldSummary = (runs: Cold[]) =>
    runs.length === 0 ? null : {
      medianSeconds: median(runs.map((r) => r.wall)),
      seconds: runs.map((r) => r.wall),
      firstUpdateSeconds: median(runs.map((r) => r.firstUpdate)),
      peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    };
  const result = {
    epochs: epochs * rounds,
    workers,
    ours: {
      medianSeconds: median(ours.map((e) => e.seconds)),
      seconds: ours.map((e) => e.seconds),
    },
    pytorch: torch
      ? {
        medianSeconds: median(theirs.map((e) => e.seconds)),
        seconds: theirs.map((e) => e.seconds),
      }
      : null,
    ratio: torch ? median(ours.map((e) => e.seconds)) / median(theirs.map((e) => e.seconds)) : null,
    peakRssMB: peak / 2 ** 20,
    cold: {
      ours: coldSummary(coldOurs),
      pytorch: coldSummary(coldTheirs),
      ratio: coldOurs.length && coldTheirs.length
        ? median(coldOurs.map((r) => r.wall)) / median(coldTheirs.map((r) => r.wall))
        : null,
    },
    profile,
    finalTestAcc: { ours: ours.at(-1)!.testAcc, pytorch: theirs.at(-1)?.testAcc ?? null },
  };
  if (args.includes("--json")) {
    console.log(JSON.stringify(result));
  } else {
    const f = (x: number) => x.toFixed(2);
    console.log(
      `epochs measured: ${result.epochs} per engine (${rounds} alternating rounds of ${epochs})`,
    );
    console.log(
      `ours (WebAssembly SIMD kernels, ${workers} workers): median ${
        f(result.ours.medianSeconds)
      } s/epoch  [${result.ours.seconds.map(f).join(" ")}]`,
    );
    if (result.pytorch) {
      console.log(
        `PyTorch (CPU, ${cores} threads):              median ${
          f(result.pytorch.medianSeconds)
        } s/epoch  [${result.pytorch.seconds.map(f).join(" ")}]`,
      );
      console.log(`ratio ours / PyTorch: ${result.ratio!.toFixed(2)}`);
    } else {
      console.log(`PyTorch: not available (${PYTHON} -c "import torch" failed); no ratio`);
    }
    console.log(`peak memory (process RSS): ${result.peakRssMB.toFixed(0)} MB`);
    const { cold } = result;
    if (cold.ours) {
      const line = (who: string, c: NonNullable<typeof cold.ours>) =>
        console.log(
          `cold one-epoch process, ${who}: median ${f(c.medianSeconds)} s start to exit  [${
            c.seconds.map(f).join(" ")
          }], first update done at ${f(c.firstUpdateSeconds)} s, peak RSS ${
            c.peakRssMB.toFixed(0)
          } MB`,
        );
      line("ours", cold.ours);
      if (cold.pytorch) line("PyTorch", cold.pytorch);
      if (cold.ratio !== null) console.log(`cold ratio ours / PyTorch: ${cold.ratio.toFixed(2)}`);
    }
    if (profile) console.log(`\n${formatProfile(profile)}`);
    console.log(
      `test accuracy after the last epoch: ours ${result.finalTestAcc.ours.toFixed(4)}` +
        (result.finalTestAcc.pytorch !== null
          ? `, PyTorch ${result.finalTestAcc.pytorch.toFixed(4)}`
          : ""),
    );
  }
}
