/// <reference lib="dom" />
/**
 * The training panel, in the browser: it trains LeNet in a worker of the
 * page with a schedule of the playground above it, as the playground shows
 * it at the moment Train is pressed, and draws the run as it goes beside the
 * chapter's full-size run.
 *
 * Nothing is loaded until the reader first trains: then two scripts of the
 * site, the engine (the worker's code, bundled from lib/train, and the
 * kernels) and the data (a packed subset of Fashion-MNIST), are added to the
 * page as script elements, which a page opened from `file://` may load where
 * it may not fetch. The worker is a classic script started from a blob URL.
 *
 * For tests and the curious, the panel's element carries the run so far as
 * `trainRun` (a {@linkcode TrainRun}) and its state in `data-state`.
 *
 * @module
 */

import { buildSchedule, numberText } from "../preview/recipe.ts";
import { lenetParameterCount } from "../train/architecture.ts";
import type { EpochStats } from "../train/replica.ts";
import type { RunConfig, StepUnit } from "../train/types.ts";
import { h } from "./dom.ts";
import type { StepUnit as PanelUnit } from "./presets.ts";
import { curveLabel, LETTERS, type PanelState, specOf } from "./state.ts";
import {
  DATA_GLOBAL,
  type DataScript,
  ENGINE_GLOBAL,
  type EngineScript,
  type FromWorker,
  type FullRun,
  LIMITS,
  type PageSettings,
  pageWorkers,
  planPageRun,
  readSetting,
  replicaConfigOf,
  SETTING_LABELS,
  type SettingName,
  sharedSlots,
  SUBSET,
  type ToWorker,
  type TrainerData,
} from "./train_protocol.ts";

/** What the panel trains from: the playground's panel. */
export interface ScheduleSource {
  readonly state: PanelState;
  /** Each curve's error, or `null` when it is valid. */
  readonly errors: readonly (string | null)[];
  /** What a step is on the playground's x axis. */
  readonly unit: PanelUnit;
  /** Call `listener` after every change of the playground. */
  onChange(listener: () => void): void;
}

/** Where a run is. */
export type TrainState =
  | "idle"
  | "loading"
  | "running"
  | "stopped"
  | "done"
  | "diverged"
  | "failed";

/** A run of the panel, as far as it has got. */
export interface TrainRun {
  /** The settings it runs with, as the engine resolved them. */
  config: RunConfig;
  /** One rate per update. */
  rates: number[];
  /** The schedule's legend name. */
  schedule: string;
  /** One record per finished epoch, as the engine sent it. */
  history: EpochStats[];
  /** Updates done. */
  done: number;
  /** Updates in the whole run. */
  total: number;
  /** Seconds spent training (stops not counted). */
  busy: number;
  /** Minibatch losses: `[x in epochs, loss]`, every fourth update. */
  losses: [number, number][];
  /** Worker threads it trains in: 2 where the page is cross-origin isolated, else 1. */
  workers: 1 | 2;
}

interface PlotTrace {
  [key: string]: unknown;
}

interface LrBook {
  plotTheme(): unknown;
  buildFigure(
    spec: unknown,
    theme: unknown,
    width?: number,
  ): { data: PlotTrace[]; layout: Record<string, unknown> };
  plotConfig: Record<string, unknown>;
}

const globals = globalThis as unknown as {
  lrBook?: LrBook;
  Plotly?: { react(el: HTMLElement, data: unknown, layout: unknown, config: unknown): unknown };
  [ENGINE_GLOBAL]?: EngineScript;
  [DATA_GLOBAL]?: DataScript;
};

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const rate = (x: number) => numberText(Number(x.toPrecision(4)));
const count = (n: number) => n.toLocaleString("en-US");
/** How many workers a run trains in, as the status and the table's caption say it. */
const workersText = (workers: number) =>
  workers === 1
    ? "in one worker thread"
    : `in ${workers} worker threads (the page is cross-origin isolated)`;

/** Load a script of the site once (script elements load from `file://`; fetch does not). */
const loading = new Map<string, Promise<void>>();
function loadScript(src: string): Promise<void> {
  let done = loading.get(src);
  if (done === undefined) {
    done = new Promise<void>((resolve, reject) => {
      const script = h("script", { src });
      script.addEventListener("load", () => resolve());
      script.addEventListener("error", () => reject(new Error(`cannot load ${src}`)));
      document.head.append(script);
    });
    done.catch(() => loading.delete(src));
    loading.set(src, done);
  }
  return done;
}

/** A text field for a whole number, with its label, its bounds and room for its error. */
function settingField(id: string, name: SettingName, value: number, doc: string) {
  const { min, max } = LIMITS[name];
  const input = h("input", {
    type: "text",
    id,
    class: "pg-number tr-number",
    inputmode: "numeric",
    autocomplete: "off",
    spellcheck: "false",
    value: String(value),
    "aria-describedby": `${id}-doc`,
  });
  const error = h("p", { class: "tr-error", id: `${id}-error`, hidden: true });
  const tile = h(
    "div",
    { class: "pg-tile tr-field" },
    h(
      "div",
      { class: "pg-tile-head" },
      h(
        "label",
        { for: id, class: "pg-label" },
        h("span", { class: "tr-label", text: SETTING_LABELS[name] }),
        h("span", { class: "pg-hint", text: `${count(min)} to ${count(max)}` }),
      ),
      input,
    ),
    h("p", { class: "pg-doc", id: `${id}-doc`, text: doc }),
    error,
  );
  return { name, input, error, tile };
}

/** The training panel of one page. */
export class TrainerPanel {
  state: TrainState = "idle";
  run: TrainRun | null = null;
  /** The run's workers: replica 0 first (the one that reports, and that Stop holds). */
  workers: Worker[] = [];
  workerUrl: string | null = null;
  drawTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  lastDraw = 0;

  readonly id: string;
  readonly schedule: HTMLSelectElement;
  readonly stepsPer: HTMLSelectElement | null;
  readonly fields: ReturnType<typeof settingField>[];
  readonly trainButton = h("button", {
    type: "button",
    class: "pg-button tr-train",
    text: "Train",
  });
  readonly stopButton = h("button", {
    type: "button",
    class: "pg-button tr-stop",
    text: "Stop",
    disabled: true,
  });
  readonly progress: HTMLProgressElement;
  readonly progressText = h("span", { class: "tr-progress-text", text: "Not started." });
  readonly status = h("p", { class: "pg-status tr-status", role: "status", "aria-live": "polite" });
  readonly plot = h("div", { class: "plot tr-plot", "aria-hidden": "true" });
  readonly rows = h("tbody");
  readonly caption = h("caption", { text: "The run in this page, epoch by epoch." });

  constructor(
    readonly root: HTMLElement,
    readonly data: TrainerData,
    readonly source: ScheduleSource,
  ) {
    this.id = root.id || "train";
    const id = (name: string) => `${this.id}-${name}`;
    this.schedule = h("select", {
      id: id("schedule"),
      class: "pg-select tr-select",
      "aria-describedby": id("schedule-doc"),
    });
    const fixedUnit = source.unit === "step" ? null : source.unit;
    this.stepsPer = fixedUnit ? null : h(
      "select",
      {
        id: id("steps-per"),
        class: "pg-select tr-select",
        "aria-describedby": id("steps-per-doc"),
      },
      h("option", { value: "epoch", text: "an epoch", selected: true }),
      h("option", { value: "update", text: "an update" }),
    );
    const steps = source.state.steps;
    const epochs = fixedUnit === "update"
      ? Math.ceil(steps / Math.ceil(SUBSET.train / 256))
      : steps;
    this.fields = [
      settingField(
        id("epochs"),
        "epochs",
        Math.min(LIMITS.epochs.max, Math.max(LIMITS.epochs.min, epochs)),
        "Passes over the training images. The schedule is followed for as long as they last.",
      ),
      settingField(
        id("train-size"),
        "trainSize",
        SUBSET.train,
        `The first ones of the subset, the same number of each class. Every run is tested on ` +
          `the subset's ${count(SUBSET.test)} test images.`,
      ),
      settingField(
        id("seed"),
        "seed",
        0,
        "Draws the initial weights and the order of the images: the same seed, the same run.",
      ),
    ];
    this.progress = h("progress", {
      id: id("progress"),
      class: "tr-progress-bar",
      max: 1,
      value: 0,
      "aria-describedby": id("progress-text"),
    });
    this.progressText.id = id("progress-text");
    this.layout(fixedUnit);
    this.refreshSchedules();
    source.onChange(() => {
      this.refreshSchedules();
      if (this.run === null) this.scheduleDraw();
    });
    for (const field of this.fields) {
      field.input.addEventListener("input", () => {
        this.check(field);
        if (this.run === null) this.scheduleDraw();
      });
    }
    this.schedule.addEventListener("change", () => this.run === null && this.scheduleDraw());
    this.stepsPer?.addEventListener("change", () => this.run === null && this.scheduleDraw());
    this.trainButton.addEventListener("click", () => this.start());
    this.stopButton.addEventListener("click", () => this.toggle());
    document.addEventListener("lr-book-theme", () => this.draw());
    this.setState("idle");
    this.draw();
  }

  layout(fixedUnit: StepUnit | null) {
    const body = this.root.querySelector(".tr-body") ?? this.root;
    const id = (name: string) => `${this.id}-${name}`;
    const unitDoc = fixedUnit === "epoch"
      ? "As in the chapter, the rate is set once per epoch: every update of epoch t uses the rate at step t."
      : fixedUnit === "update"
      ? "As in the chapter, the rate is set for every update: update u uses the rate at step u."
      : null;
    const scheduleTile = h(
      "div",
      { class: "pg-tile tr-field" },
      h(
        "div",
        { class: "pg-tile-head" },
        h(
          "label",
          { for: id("schedule"), class: "pg-label" },
          h("span", {
            class: "tr-label",
            text: "Schedule",
          }),
        ),
        this.schedule,
      ),
      h("p", {
        class: "pg-doc",
        id: id("schedule-doc"),
        text: `One of the playground's curves, as it is when you press Train. ${unitDoc ?? ""}`
          .trim(),
      }),
      h("p", { class: "tr-error", id: id("schedule-error"), hidden: true }),
    );
    const stepsTile = this.stepsPer
      ? h(
        "div",
        { class: "pg-tile tr-field" },
        h(
          "div",
          { class: "pg-tile-head" },
          h(
            "label",
            { for: id("steps-per"), class: "pg-label" },
            h("span", {
              class: "tr-label",
              text: "A step is",
            }),
          ),
          this.stepsPer,
        ),
        h("p", {
          class: "pg-doc",
          id: id("steps-per-doc"),
          text: "An epoch: every update of epoch t uses the rate at step t. An update: update u " +
            "uses the rate at step u.",
        }),
      )
      : null;
    body.replaceChildren(
      h(
        "div",
        { class: "pg-tiles tr-settings" },
        scheduleTile,
        stepsTile,
        ...this.fields.map((f) => f.tile),
      ),
      h(
        "div",
        { class: "tr-bar" },
        h("div", { class: "pg-actions tr-actions" }, this.trainButton, this.stopButton),
        h(
          "div",
          { class: "tr-meter" },
          h("label", { for: id("progress"), class: "tr-label", text: "Progress" }),
          this.progress,
          this.progressText,
        ),
      ),
      this.status,
      h("div", { class: "pg-figure tr-figure" }, this.plot),
      h(
        "div",
        { class: "table-wrap tr-table-wrap", hidden: true },
        h(
          "table",
          { class: "data tr-table" },
          this.caption,
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...["epoch", "learning rate", "train loss", "train acc", "test acc", "seconds"].map(
                (c) => h("th", { scope: "col", class: c === "epoch" ? null : "num", text: c }),
              ),
            ),
          ),
          this.rows,
        ),
      ),
    );
    this.plot.setAttribute(
      "aria-label",
      "The run's loss, accuracy and learning rate by epoch, beside the chapter's full-size run; " +
        "the table below gives the same numbers",
    );
  }

  /** The schedule menu: one entry per curve of the playground, by its legend name. */
  refreshSchedules() {
    const chosen = this.schedule.value || "A";
    const curves = this.source.state.curves;
    this.schedule.replaceChildren(
      ...curves.map((c, i) =>
        h("option", { value: LETTERS[i], text: curveLabel(c, i), selected: LETTERS[i] === chosen })
      ),
    );
    if (!curves.some((_, i) => LETTERS[i] === chosen)) this.schedule.value = "A";
    this.checkSchedule();
  }

  /** The chosen curve's schedule, or what is wrong with it (shown under the menu). */
  checkSchedule(): ReturnType<typeof buildSchedule> | null {
    const i = Math.max(0, LETTERS.indexOf(this.schedule.value as typeof LETTERS[number]));
    const curve = this.source.state.curves[i];
    const error = this.source.errors[i] ?? null;
    let schedule: ReturnType<typeof buildSchedule> | null = null;
    let message: string | null = null;
    if (error !== null || !curve) {
      message = `Schedule ${LETTERS[i]} is not valid (${error}): fix it in the playground above.`;
    } else {
      try {
        schedule = buildSchedule(specOf(curve));
      } catch (e) {
        message = `Schedule ${LETTERS[i]} is not valid (${(e as Error).message}).`;
      }
    }
    this.mark(this.schedule, document.getElementById(`${this.id}-schedule-error`), message);
    return schedule;
  }

  /** A field's value, or `null` with its message shown and the field marked. */
  check(field: ReturnType<typeof settingField>): number | null {
    const read = readSetting(field.name, field.input.value);
    this.mark(field.input, field.error, "error" in read ? read.error : null);
    return "value" in read ? read.value : null;
  }

  mark(input: HTMLElement, box: HTMLElement | null, message: string | null) {
    if (box) {
      box.hidden = message === null;
      box.textContent = message ?? "";
    }
    if (message === null) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-errormessage");
    } else {
      input.setAttribute("aria-invalid", "true");
      if (box) input.setAttribute("aria-errormessage", box.id);
    }
  }

  /** The settings typed, or `null` when one is invalid (each invalid one marked). */
  settings(): PageSettings | null {
    const values = this.fields.map((f) => this.check(f));
    if (values.some((v) => v === null)) return null;
    const [epochs, trainSize, seed] = values as number[];
    const stepsPer: StepUnit = this.stepsPer
      ? this.stepsPer.value as StepUnit
      : this.source.unit === "update"
      ? "update"
      : "epoch";
    return { epochs, trainSize, seed, stepsPer };
  }

  /** The run the settings and the schedule make, or what is wrong (said in the status). */
  plan():
    | { settings: PageSettings; config: RunConfig; rates: Float64Array; name: string }
    | string {
    const schedule = this.checkSchedule();
    const settings = this.settings();
    if (schedule === null || settings === null) {
      return "Some settings are not valid: see the messages by the fields.";
    }
    try {
      const { config, rates } = planPageRun(settings, schedule);
      const i = Math.max(0, LETTERS.indexOf(this.schedule.value as typeof LETTERS[number]));
      return { settings, config, rates, name: curveLabel(this.source.state.curves[i], i) };
    } catch (error) {
      return `This schedule cannot be trained: ${(error as Error).message}.`;
    }
  }

  say(text: string, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle("pg-status-error", error);
  }

  setState(state: TrainState) {
    this.state = state;
    const active = state === "running" || state === "stopped";
    this.stopButton.disabled = !active;
    this.stopButton.textContent = state === "stopped" ? "Resume" : "Stop";
    this.trainButton.textContent = active || state === "loading" ? "Train again" : "Train";
    this.root.dataset.state = state;
    this.expose();
  }

  expose() {
    (this.root as HTMLElement & { trainRun?: TrainRun | null }).trainRun = this.run;
  }

  end() {
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
  }

  async start() {
    const plan = this.plan();
    if (typeof plan === "string") {
      this.say(plan, true);
      const invalid = this.root.querySelector<HTMLElement>('[aria-invalid="true"]');
      invalid?.focus();
      return;
    }
    this.end();
    const { config, rates } = plan;
    const workers = pageWorkers(
      globalThis.crossOriginIsolated === true,
      navigator.hardwareConcurrency,
    );
    this.run = {
      config,
      rates: Array.from(rates),
      schedule: plan.name,
      history: [],
      done: 0,
      total: rates.length,
      busy: 0,
      losses: [],
      workers,
    };
    this.rows.replaceChildren();
    this.caption.textContent = `The run in this page, epoch by epoch: ${plan.name}, ` +
      `${count(config.epochs)} epoch${config.epochs === 1 ? "" : "s"} on ` +
      `${count(config.trainSize)} training and ${count(config.testSize)} test images, ` +
      `seed ${config.seed}, ${workersText(workers)}.`;
    this.rows.closest<HTMLElement>(".tr-table-wrap")!.hidden = true;
    this.progress.max = rates.length;
    this.progress.value = 0;
    this.progressText.textContent = "Loading the engine and the data…";
    this.setState("loading");
    this.say("Loading the engine and the data…");
    this.draw();
    const run = this.run;
    let engine: EngineScript, data: DataScript;
    try {
      await loadScript(this.data.scripts.engine).catch(() => {
        throw new Error("the training engine's script is not in this build of the site.");
      });
      await loadScript(this.data.scripts.data).catch(() => {
        throw new Error(
          "this build of the site has no training data: Fashion-MNIST was not found when it " +
            "was built (see the README for where the build looks for it).",
        );
      });
      engine = globals[ENGINE_GLOBAL]!;
      data = globals[DATA_GLOBAL]!;
      if (!engine || !data) throw new Error("the engine's or the data's script set nothing.");
    } catch (error) {
      if (this.run !== run) return;
      this.setState("failed");
      this.progressText.textContent = "Not started.";
      this.say(`Cannot train: ${(error as Error).message}`, true);
      return;
    }
    if (this.run !== run) return; // Train was pressed again meanwhile
    this.workerUrl ??= URL.createObjectURL(new Blob([engine.worker], { type: "text/javascript" }));
    // Two replicas meet in memory both workers share; one needs none.
    const shared = workers > 1
      ? sharedSlots(lenetParameterCount(config.width), workers)
      : undefined;
    const started = Array.from({ length: workers }, () => new Worker(this.workerUrl!));
    this.workers = started;
    started.forEach((worker, replica) => {
      const current = () => this.workers === started;
      worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
        // Replica 0 reports the run; the others speak only when they fail.
        if (current() && (replica === 0 || data.type === "error")) this.receive(run, data);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        if (!current()) return;
        this.fail(event.message || `worker ${replica + 1} stopped with an error`);
      };
      const message: ToWorker = {
        type: "start",
        config: replicaConfigOf(config, rates, replica, workers),
        data: data.packed,
        kernels: engine.kernels,
        ...(shared ? { shared } : {}),
      };
      worker.postMessage(message);
    });
  }

  fail(message: string) {
    this.end();
    this.setState("failed");
    this.say(`Training failed: ${message}`, true);
  }

  toggle() {
    // Replica 0 is held; any other waits for it at the next update's barrier.
    const first = this.workers[0];
    if (!first || !this.run) return;
    if (this.state === "running") {
      first.postMessage({ type: "stop" } satisfies ToWorker);
      this.setState("stopped");
      this.say("Stopping after the update under way…");
    } else if (this.state === "stopped") {
      first.postMessage({ type: "resume" } satisfies ToWorker);
      this.setState("running");
      this.say("Training again.");
    }
  }

  receive(run: TrainRun, m: FromWorker) {
    const { config } = run;
    const perEpoch = config.updatesPerEpoch;
    switch (m.type) {
      case "ready":
        this.setState("running");
        this.say(
          `Training ${run.schedule} for ${config.epochs} epochs of ${perEpoch} updates on ` +
            `${count(config.trainSize)} images, seed ${config.seed}, ${workersText(run.workers)}.`,
        );
        break;
      case "held":
        if (this.state === "stopped") {
          this.say(
            `Stopped after update ${count(m.done)} of ${count(run.total)}. ` +
              "Resume goes on from there.",
          );
        }
        break;
      case "update": {
        run.done = m.done;
        run.busy = m.busy;
        this.progress.value = m.done;
        const epoch = Math.min(config.epochs, Math.floor((m.done - 1) / perEpoch) + 1);
        const speed = m.busy > 0 ? m.done / m.busy : 0;
        this.progressText.textContent = `Epoch ${epoch} of ${config.epochs}, update ` +
          `${count(m.done)} of ${count(run.total)} · ${speed.toFixed(1)} updates/s`;
        this.progress.setAttribute(
          "aria-valuetext",
          `update ${m.done} of ${run.total}, epoch ${epoch} of ${config.epochs}`,
        );
        this.scheduleDraw();
        break;
      }
      case "progress":
        run.losses.push([m.epoch - 1 + m.update / perEpoch, m.loss]);
        break;
      case "epoch": {
        const s = m.stats;
        run.history.push(s);
        this.addRow(run, s);
        if (s.diverged) {
          this.say(
            `Epoch ${s.epoch} of ${config.epochs}: the loss became NaN or infinite, so the run ` +
              "stopped (diverged). Try a smaller rate.",
            true,
          );
        } else {
          this.say(
            `Epoch ${s.epoch} of ${config.epochs}: test accuracy ${pct(s.testAcc)}, ` +
              `train loss ${s.trainLoss.toFixed(4)}.`,
          );
        }
        this.scheduleDraw(true);
        break;
      }
      case "done": {
        this.end();
        const last = run.history.at(-1);
        const diverged = last?.diverged ?? false;
        this.setState(diverged ? "diverged" : "done");
        const speed = run.busy > 0 ? run.done / run.busy : 0;
        if (!diverged && last) {
          this.say(
            `Done: test accuracy ${pct(last.testAcc)} after ${last.epoch} epoch${
              last.epoch === 1 ? "" : "s"
            }; ` +
              `${count(run.done)} updates in ${run.busy.toFixed(1)} s of training ` +
              `(${speed.toFixed(1)} updates/s).`,
          );
        }
        this.progressText.textContent = diverged
          ? `Diverged in epoch ${last!.epoch}.`
          : `Done: ${count(run.done)} updates · ${speed.toFixed(1)} updates/s`;
        this.scheduleDraw(true);
        break;
      }
      case "error":
        this.fail(m.message.split("\n")[0]);
        break;
      case "weights":
        break;
    }
    this.expose();
  }

  addRow(run: TrainRun, s: EpochStats) {
    const first = (s.epoch - 1) * run.config.updatesPerEpoch;
    const lr = run.rates[first], lrLast = run.rates[first + run.config.updatesPerEpoch - 1];
    const cells = [
      String(s.epoch),
      lr === lrLast ? rate(lr) : `${rate(lr)} → ${rate(lrLast)}`,
      Number.isFinite(s.trainLoss) ? s.trainLoss.toFixed(4) : "NaN",
      pct(s.trainAcc),
      s.diverged ? "—" : pct(s.testAcc),
      s.seconds.toFixed(1),
    ];
    // The rate may break at its arrow on a phone; the other numbers stay whole.
    const classes = [null, "num tr-rate", "num", "num", "num", "num"];
    this.rows.append(h("tr", {}, ...cells.map((c, i) => h("td", { class: classes[i], text: c }))));
    this.rows.closest<HTMLElement>(".tr-table-wrap")!.hidden = false;
  }

  /** Draw soon: at most twice a second while training (the page shares the cores), or `now`. */
  scheduleDraw(now = false) {
    clearTimeout(this.drawTimer);
    const wait = now ? 0 : Math.max(0, 500 - (performance.now() - this.lastDraw));
    this.drawTimer = setTimeout(() => this.draw(), wait);
  }

  draw() {
    const book = globals.lrBook, Plotly = globals.Plotly;
    if (!book || !Plotly) return;
    this.lastDraw = performance.now();
    // A line with no points yet is left out (Plotly would draw it as NaN).
    const traces = [...this.fullTraces(this.data.full), ...this.runTraces()]
      .filter((t) => (t.x as number[]).length > 0);
    const spec = {
      kind: "run",
      xTitle: "epoch",
      xInteger: true,
      panels: [
        { yTitle: "train loss" },
        { yTitle: "accuracy", yFormat: ".0%" },
        { yTitle: "learning rate" },
      ],
      traces,
      height: 560,
    };
    const { data, layout } = book.buildFigure(spec, book.plotTheme(), this.plot.clientWidth);
    layout.showlegend = traces.length > 0;
    // Rates, losses and accuracies from zero, so a small change does not look like a large one.
    for (const axis of ["yaxis", "yaxis3", "yaxis5"]) {
      layout[axis] = { ...layout[axis] as Record<string, unknown>, rangemode: "tozero" };
    }
    this.plot.style.height = `${layout.height}px`;
    const narrow = this.plot.clientWidth < 520;
    Plotly.react(this.plot, data, layout, {
      ...book.plotConfig,
      displayModeBar: narrow ? false : "hover",
    });
  }

  /** The chapter's full-size run: muted and dashed, in every panel. */
  fullTraces(full: FullRun | null): Record<string, unknown>[] {
    if (full === null) return [];
    const x = full.history.map((e) => e.epoch);
    const line = { color: "muted", dash: "dash", markers: false, group: "full" };
    const lrX: number[] = [], lrY: number[] = [];
    for (const e of full.history) {
      lrX.push(e.epoch - 1, e.epoch);
      lrY.push(e.lr, e.lrLast);
    }
    return [
      {
        ...line,
        name: "full-size run (frozen)",
        x,
        y: full.history.map((e) => e.trainLoss),
        panel: 0,
        axis: "y",
        format: ".4f",
      },
      {
        ...line,
        name: "full-size test acc",
        x,
        y: full.history.map((e) => e.testAcc),
        panel: 1,
        axis: "y",
        format: ".2%",
        showLegend: false,
      },
      {
        ...line,
        name: "full-size rate",
        x: lrX,
        y: lrY,
        panel: 2,
        axis: "y",
        format: ".4~g",
        showLegend: false,
      },
    ];
  }

  /** This page's run (or, before one, the rates the settings would train with). */
  runTraces(): Record<string, unknown>[] {
    let rates: number[], perEpoch: number;
    if (this.run) {
      rates = this.run.rates;
      perEpoch = this.run.config.updatesPerEpoch;
    } else {
      const plan = this.plan();
      if (typeof plan === "string") return [];
      rates = Array.from(plan.rates);
      perEpoch = plan.config.updatesPerEpoch;
    }
    const traces: Record<string, unknown>[] = [];
    const rateX = rates.map((_, u) => u / perEpoch);
    traces.push({
      name: "learning rate",
      x: [...rateX, rates.length / perEpoch],
      y: [...rates, rates.at(-1)],
      panel: 2,
      axis: "y",
      color: 3,
      shape: "hv",
      format: ".4~g",
    });
    const run = this.run;
    if (run === null) return traces;
    if (run.done > 0) {
      traces.push({
        name: "where training is",
        x: [run.done / perEpoch],
        y: [run.rates[run.done - 1]],
        panel: 2,
        axis: "y",
        color: 3,
        markers: true,
        format: ".4~g",
      });
    }
    const epochs = run.history.map((e) => e.epoch);
    traces.push(
      {
        name: "minibatch loss",
        x: run.losses.map(([x]) => x),
        y: run.losses.map(([, y]) => (Number.isFinite(y) ? y : null)),
        panel: 0,
        axis: "y",
        color: 0,
        dash: "dot",
        format: ".4f",
      },
      {
        name: "train loss",
        x: epochs,
        y: run.history.map((e) => (Number.isFinite(e.trainLoss) ? e.trainLoss : null)),
        panel: 0,
        axis: "y",
        color: 0,
        markers: true,
        format: ".4f",
      },
      {
        name: "train acc",
        x: epochs,
        y: run.history.map((e) => e.trainAcc),
        panel: 1,
        axis: "y",
        color: 1,
        markers: true,
        dash: "dot",
        format: ".2%",
      },
      {
        name: "test acc",
        x: epochs,
        y: run.history.map((e) => e.testAcc),
        panel: 1,
        axis: "y",
        color: 2,
        markers: true,
        format: ".2%",
      },
    );
    return traces;
  }
}
