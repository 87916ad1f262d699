/**
 * Training in the page: the panel beside the playground trains LeNet in a
 * worker, in headless Chromium, from `file://` of a quick build (fake
 * training for the chapters, so the build takes seconds; the page's own run
 * is real). One build, one browser, the steps in turn:
 *
 * - the panel is on the pages with a playground, says what it compares with
 *   (a frozen full-size run, one not frozen yet, none at all), and loads
 *   nothing until the reader trains;
 * - bad settings and a schedule the playground marks invalid get their
 *   messages, on the fields, and Train says so and goes to the first;
 * - Train trains a real network: well above chance after four epochs, and
 *   exactly the per-epoch numbers `lib/train` gives in Deno for the same
 *   request (one worker); updates per second of both are printed;
 * - the schedule is the playground's as it is when Train is pressed, and Stop
 *   holds the run, Resume goes on, with the numbers of a run never stopped;
 * - served cross-origin isolated (`deno task serve`'s headers), on a phone: two
 *   workers, exactly `lib/train`'s two-worker numbers, a results table that
 *   fits the column with a caption that says what it holds;
 * - keyboard, labels, and axe-core on the panel with its results.
 *
 * Skipped, with a message, without Chromium or without Fashion-MNIST (CI has
 * both; `LR_REQUIRE_DATA=1` makes missing data a failure).
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  bibliography,
  chapters as book,
  index as bookIndex,
  playground as bookPlayground,
} from "../chapters/mod.ts";
import { cosineRequest } from "../chapters/cosine.ts";
import { loadTestData } from "../lib/data/_testing.ts";
import { subsetSplits, unpackSubset } from "../lib/data/subset.ts";
import { type PageSettings, planPageRun, SUBSET } from "../lib/playground/train_protocol.ts";
import type { FrozenStore } from "../lib/playground/train_assets.ts";
import { cosine } from "../lib/schedules/mod.ts";
import type { RunRecord } from "../lib/train/cache.ts";
import { runEngine } from "../lib/train/engine.ts";
import { silentProgress } from "../lib/train/progress.ts";
import { keyOf } from "../lib/train/train.ts";
import { buildSite, QUICK } from "../lib/site/build.ts";
import { diskFs } from "../lib/site/fs.ts";
import { asciiToBytes } from "../lib/util/ascii_bytes.ts";
import { isolatedHandler } from "../lib/site/serve.ts";
import { diskReader } from "../lib/site/serve_cli.ts";
import { CHROMIUM, evaluate, haveChromium, launch, load } from "./_browser.ts";
import { fakeTrainer } from "./_fake_trainer.ts";
import { waitFor } from "./_wait_for.ts";

const data = haveChromium ? await loadTestData() : null;
if (!haveChromium) console.warn(`train_page_test: skipped, ${CHROMIUM} not found`);

/** The cosine chapter's schedule, as its panel starts. */
const CHAPTER_COSINE = { baseLr: 0.3, finalLr: 0.01, maxUpdate: 20 };

/** A made-up full-size record of the cosine chapter's run, under the key the engine gives it. */
async function frozenCosine(): Promise<{ store: FrozenStore; record: RunRecord }> {
  const request = cosineRequest();
  const { key, request: hash, config, rates } = await keyOf(request);
  const made = await fakeTrainer()(request, {});
  const record: RunRecord = {
    format: 1,
    key,
    request: hash,
    name: request.name,
    config,
    rates: [[rates[0], rates.length]],
    history: made.history,
    divergedAt: null,
    producedBy: {
      engine: "test",
      kernels: "test",
      deno: Deno.version.deno,
      date: "2025-01-01T00:00:00.000Z",
      cores: 2,
      workers: 2,
      seconds: 1,
    },
  };
  return {
    record,
    store: {
      list: () => Promise.resolve({ records: [record], invalid: [] }),
      get: (k: string) => Promise.resolve(k === key ? record : null),
    },
  };
}

/** The page's epoch records as the comparison needs them. */
interface Epoch {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  testAcc: number;
  diverged: boolean;
  seconds: number;
}

const numbers = (h: Epoch[]) =>
  h.map(({ epoch, trainLoss, trainAcc, testAcc, diverged }) => ({
    epoch,
    trainLoss,
    trainAcc,
    testAcc,
    diverged,
  }));

const AXE = new URL(import.meta.resolve("axe-core")).pathname.replace(/axe\.js$/, "axe.min.js");

Deno.test({
  name: "train in the page: LeNet in a worker from file://, Deno's numbers exactly",
  ignore: !haveChromium || data === null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "lr-book-train-" });
    const { store, record } = await frozenCosine();
    const report = await buildSite({
      out: diskFs(dir),
      chapters: book,
      index: bookIndex,
      playground: bookPlayground,
      bibliography,
      quick: QUICK,
      quiet: true,
      trainer: fakeTrainer(),
      frozen: store,
    });
    assert(report.ok);
    const script = await Deno.readTextFile(`${dir}/assets/train-data.js`);
    // The same subset in Deno: the very bytes the page loads, unpacked by the same code.
    const shipped = new Function(`const globalThis = {}; ${script}; return globalThis;`)()
      .lrBookTrainData;
    assert.deepEqual([shipped.train, shipped.test], [SUBSET.train, SUBSET.test]);
    const splits = subsetSplits(await unpackSubset(asciiToBytes(shipped.packed)));
    const subset = { ...splits, source: "the site's subset", checksum: "subset" };
    /** The same request, trained by lib/train in Deno, in one worker unless told otherwise. */
    const inDeno = async (settings: PageSettings, baseLr: number, workers = 1) => {
      const { config, rates } = planPageRun(settings, cosine({ ...CHAPTER_COSINE, baseLr }));
      const run = await runEngine(subset, config, rates, { workers, progress: silentProgress });
      return { history: run.history, rates };
    };

    const browser = await launch();
    const { cdp } = browser;
    try {
      const open = async (path: string) => {
        const { page, check } = await load(cdp, new URL(path, `file://${dir}/`).href, "light");
        const js = (expression: string) => evaluate(cdp, page.sessionId, expression);
        return { page, check, js };
      };
      const STATE = `(() => {
        const root = document.getElementById("train");
        const run = root.trainRun;
        return {
          state: root.dataset.state,
          status: root.querySelector(".tr-status").textContent,
          done: run ? run.done : 0,
          total: run ? run.total : 0,
          history: run ? run.history : [],
          rates: run ? run.rates : [],
          workers: run ? run.workers : 0,
          caption: root.querySelector(".tr-table caption").textContent,
        };
      })()`;
      const type = (id: string, text: string) =>
        `(() => {
          const el = document.getElementById(${JSON.stringify(id)});
          el.value = ${JSON.stringify(text)};
          el.dispatchEvent(new Event("input", { bubbles: true }));
        })()`;

      await t.step(
        "the panel is beside every playground and says what it compares with",
        async () => {
          const notes: Record<string, string> = {};
          for (const path of ["cosine.html", "factor.html", "warmup.html", "playground.html"]) {
            const { page, check, js } = await open(path);
            try {
              const found = await js(`(() => {
              const root = document.getElementById("train");
              return root && {
                after: root.previousElementSibling.id,
                state: root.dataset.state,
                note: root.querySelector(".tr-compare").textContent,
                traces: [...root.querySelector(".tr-plot").data].map((d) => d.name),
                scripts: [...document.scripts].map((s) => s.getAttribute("src")).filter(Boolean),
              };
            })()`);
              assert(found, `${path}: a training panel`);
              assert.equal(found.after, "playground", `${path}: right after the playground`);
              assert.equal(found.state, "idle");
              // Nothing of the engine or the data is loaded before the reader trains.
              assert(!found.scripts.some((s: string) => /train/.test(s)), found.scripts.join());
              notes[path] = found.note;
              if (path === "cosine.html") {
                assert(found.traces.includes("full-size run (frozen)"), found.traces.join());
              } else assert(!found.traces.includes("full-size run (frozen)"), path);
              assert.deepEqual(check.errors, [], path);
            } finally {
              await page.close();
            }
          }
          const last = record.history.at(-1)!;
          assert.match(
            notes["cosine.html"],
            /full-size run, "cosine 0\.3 → 0\.01", from the frozen/,
          );
          assert(notes["cosine.html"].includes(`${(100 * last.testAcc).toFixed(2)}%`));
          assert.match(notes["cosine.html"], /much smaller/);
          assert.match(notes["factor.html"], /trains no full-size run of its own/);
          assert.match(notes["warmup.html"], /is not in the frozen results yet: deno task freeze/);
          assert.match(
            notes["playground.html"],
            /"cosine 0\.3 → 0\.01, 5 warmup epochs", is not in the frozen/,
          );
        },
      );

      const settings: PageSettings = { epochs: 4, trainSize: 4000, seed: 0, stepsPer: "epoch" };
      let first: Epoch[] = [];

      await t.step("bad settings are refused, each with its message", async () => {
        const { page, check, js } = await open("cosine.html");
        try {
          await js(type("train-seed", "x1"));
          await js(type("train-epochs", "0"));
          await js(`document.querySelector("#train .tr-train").click()`);
          const shown = await js(`(() => ({
            epochs: document.getElementById("train-epochs-error").textContent,
            seed: document.getElementById("train-seed-error").textContent,
            invalid: [...document.querySelectorAll('#train [aria-invalid="true"]')].map((e) => e.id),
            message: document.getElementById("train-epochs").getAttribute("aria-errormessage"),
            focused: document.activeElement.id,
            status: document.querySelector("#train .tr-status").textContent,
            state: document.getElementById("train").dataset.state,
          }))()`);
          assert.deepEqual(shown, {
            epochs: "Epochs must be a whole number from 1 to 50 (got 0).",
            seed: "Seed must be a whole number from 0 to 2147483647 (got x1).",
            invalid: ["train-epochs", "train-seed"],
            message: "train-epochs-error",
            focused: "train-epochs",
            status: "Some settings are not valid: see the messages by the fields.",
            state: "idle",
          });
          // A schedule the playground marks invalid: its own message, and where to fix it.
          await js(`(() => {
            const el = document.getElementById("train-schedule");
            el.value = "B";
            el.dispatchEvent(new Event("change"));
          })()`);
          await js(type("playground-b-warmup-steps", "25"));
          assert.equal(
            await js(`document.getElementById("train-schedule-error").textContent`),
            "Schedule B is not valid (cosine: warmupSteps (25) must be <= maxUpdate (20)): fix " +
              "it in the playground above.",
          );
          await js(type("playground-b-warmup-steps", "5"));
          assert.equal(await js(`document.getElementById("train-schedule-error").hidden`), true);
          assert.deepEqual(check.errors, []);
        } finally {
          await page.close();
        }
      });

      await t.step("Train trains a real network, with Deno's numbers exactly", async () => {
        const { page, check, js } = await open("cosine.html");
        try {
          await js(type("train-epochs", String(settings.epochs)));
          await js(`document.querySelector("#train .tr-train").click()`);
          const end = await waitFor(() => js(STATE), (s) => !/loading|running/.test(s.state), {
            what: "the run in the page to end",
            deadline: 300_000,
            interval: 250,
          });
          assert.equal(end.state, "done", end.status);
          // From file:// the page is not cross-origin isolated: no shared memory, one worker.
          assert.equal(end.workers, 1);
          assert.match(end.caption, /, seed 0, in one worker thread\.$/);
          first = end.history;
          assert.equal(first.length, settings.epochs);
          const accuracy = first.at(-1)!.testAcc;
          assert(accuracy > 0.5, `test accuracy ${accuracy} after ${settings.epochs} epochs`);
          assert.match(end.status, /^Done: test accuracy \d+\.\d\d% after 4 epochs/);
          // The table says the same, epoch by epoch.
          const rows = await js(`[...document.querySelectorAll("#train tbody tr")]
            .map((tr) => [...tr.cells].map((td) => td.textContent))`);
          assert.equal(rows.length, settings.epochs);
          assert.equal(rows.at(-1)[4], `${(100 * accuracy).toFixed(2)}%`);
          // Deno, the same request, one worker: the same numbers, to the last bit.
          const t0 = performance.now();
          const deno = await inDeno(settings, CHAPTER_COSINE.baseLr);
          const denoSeconds = (performance.now() - t0) / 1000;
          assert.deepEqual(
            numbers(first),
            numbers(deno.history.map((e) => ({ ...e, diverged: false }))),
          );
          assert.deepEqual(end.rates, Array.from(deno.rates));
          const updates = end.total;
          const pageSeconds = first.reduce((s, e) => s + e.seconds, 0);
          const engineSeconds = deno.history.reduce((s, e) => s + e.seconds, 0);
          console.log(
            `train in the page: ${updates} updates of 256 images (evaluation included): ` +
              `Chromium ${(updates / pageSeconds).toFixed(1)} updates/s, Deno ` +
              `${(updates / engineSeconds).toFixed(1)} updates/s (${denoSeconds.toFixed(1)} s ` +
              `with the worker's start); test accuracy ${(100 * accuracy).toFixed(2)}%`,
          );
          // The drawing: the run, where it is on the rate curve, and the full-size run.
          const drawn = await js(
            `[...document.querySelector("#train .tr-plot").data].map((d) => d.name)`,
          );
          for (const name of ["train loss", "test acc", "learning rate", "where training is"]) {
            assert(drawn.includes(name), `${name} in ${drawn}`);
          }
          // Only local files, and no error.
          const offline = check.requests.filter((u) => !/^(file|data|blob|about):/.test(u));
          assert.deepEqual(offline, []);
          assert.deepEqual(check.errors, []);
          // axe-core on the panel, with its results.
          await js(`${await Deno.readTextFile(AXE)}\n;0`);
          const violations = await js(`axe.run(document.getElementById("train"), {
            resultTypes: ["violations"] }).then((r) => r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`);
          assert.deepEqual(violations, []);
        } finally {
          await page.close();
        }
      });

      await t.step(
        "served cross-origin isolated (deno task serve), on a phone: two workers, Deno's two-worker numbers, a table that fits",
        async () => {
          const server = Deno.serve(
            { hostname: "127.0.0.1", port: 0, onListen: () => {} },
            isolatedHandler(diskReader(dir)),
          );
          const phone = { width: 390, height: 844, mobile: true };
          const url = `http://127.0.0.1:${server.addr.port}/cosine.html`;
          const { page, check } = await load(cdp, url, "light", phone);
          const js = (expression: string) => evaluate(cdp, page.sessionId, expression);
          try {
            // The headers make the page isolated; without them it would train in one worker.
            assert.equal(await js(`crossOriginIsolated`), true);
            const small: PageSettings = { epochs: 2, trainSize: 1000, seed: 3, stepsPer: "epoch" };
            await js(type("train-epochs", "2"));
            await js(type("train-train-size", "1000"));
            await js(type("train-seed", "3"));
            await js(`document.querySelector("#train .tr-train").click()`);
            const end = await waitFor(() => js(STATE), (s) => !/loading|running/.test(s.state), {
              what: "the two-worker run to end",
              deadline: 300_000,
              interval: 250,
            });
            assert.equal(end.state, "done", end.status);
            assert.equal(end.workers, 2, "two workers where the page is isolated");
            // The caption says what the table holds: the schedule, the settings, the workers.
            assert.equal(
              end.caption,
              "The run in this page, epoch by epoch: A: cosine, 2 epochs on 1,000 training and " +
                "1,000 test images, seed 3, in 2 worker threads (the page is cross-origin " +
                "isolated).",
            );
            // lib/train in Deno with two workers: the same numbers, to the last bit (the two
            // replicas add their gradients in the same order in both).
            const deno = await inDeno(small, CHAPTER_COSINE.baseLr, 2);
            assert.deepEqual(
              numbers(end.history),
              numbers(deno.history.map((e) => ({ ...e, diverged: false }))),
            );
            // On a phone the results table fits its column, and the page does not scroll
            // sideways (the table scrolled inside its frame, its caption with it).
            const fit = await js(`(() => {
              const wrap = document.querySelector("#train .tr-table-wrap");
              return {
                table: wrap.scrollWidth - wrap.clientWidth,
                page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                rows: wrap.querySelectorAll("tbody tr").length,
              };
            })()`);
            assert(fit.table <= 1, `the table is ${fit.table} px wider than its column`);
            assert(fit.page <= 1, `the page scrolls sideways by ${fit.page} px`);
            assert.equal(fit.rows, 2, "a row per epoch");
            assert.deepEqual(check.errors, []);
          } finally {
            await page.close();
            await server.shutdown();
          }
        },
      );

      await t.step("the playground's schedule, Stop and Resume from the keyboard", async () => {
        const { page, check, js } = await open("cosine.html");
        const key = async (name: string, code: number) => {
          for (const kind of ["keyDown", "keyUp"]) {
            await cdp.send("Input.dispatchKeyEvent", {
              type: kind,
              key: name,
              code: name,
              windowsVirtualKeyCode: code,
              ...(kind === "keyDown" && name === "Enter" ? { text: "\r" } : {}),
            }, page.sessionId);
          }
        };
        try {
          const small: PageSettings = { epochs: 3, trainSize: 1000, seed: 7, stepsPer: "epoch" };
          await js(type("playground-a-baseLr", "0.1"));
          await js(type("train-epochs", "3"));
          await js(type("train-train-size", "1000"));
          await js(type("train-seed", "7"));
          // Stop as soon as the run is under way (a click from the page itself: a short run
          // could end before a key sent from here arrived), and train from the keyboard.
          await js(`(() => {
            const root = document.getElementById("train");
            new MutationObserver((_, observer) => {
              if (root.dataset.state !== "running") return;
              observer.disconnect();
              root.querySelector(".tr-stop").click();
            }).observe(root, { attributes: true, attributeFilter: ["data-state"] });
            root.querySelector(".tr-train").focus();
          })()`);
          await key("Enter", 13);
          const held = await waitFor(() => js(STATE), (s) => /^Stopped/.test(s.status), {
            what: "the run to start and stop",
            deadline: 120_000,
          });
          assert.match(
            held.status,
            /^Stopped after update \d+ of 12\. Resume goes on from there\.$/,
          );
          await js(`document.querySelector("#train .tr-stop").focus()`);
          assert.equal(await js(`document.querySelector("#train .tr-stop").textContent`), "Resume");
          // Held: no update is done while it is stopped.
          const at = held.done;
          assert.equal(held.status, `Stopped after update ${at} of 12. Resume goes on from there.`);
          await new Promise((r) => setTimeout(r, 1500));
          const still = await js(STATE);
          assert.equal(still.done, at, "no update while stopped");
          assert(still.done < still.total, "stopped before the end");
          await key("Enter", 13);
          const end = await waitFor(() => js(STATE), (s) => s.state === "done", {
            what: "the resumed run to end",
            deadline: 120_000,
            interval: 250,
          });
          const deno = await inDeno(small, 0.1);
          assert.deepEqual(end.rates, Array.from(deno.rates), "the rates of baseLr 0.1");
          assert.deepEqual(
            numbers(end.history),
            numbers(deno.history.map((e) => ({ ...e, diverged: false }))),
          );
          // Every control of the panel has a name.
          const unnamed = await js(`[...document.querySelectorAll(
            "#train input, #train select, #train button, #train progress"
          )].filter((el) => !(el.labels?.length || el.getAttribute("aria-label") ||
            el.textContent.trim())).map((el) => el.outerHTML.slice(0, 80))`);
          assert.deepEqual(unnamed, []);
          assert.deepEqual(check.errors, []);
        } finally {
          await page.close();
        }
      });
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
