/// <reference lib="dom" />
/**
 * The schedule playground, in the browser. Bundled at build time with the
 * schedule library it imports (lib/playground/bundle.ts) into one classic
 * script, `assets/playground.js`, loaded after Plotly and the site's script.
 *
 * Each `[data-playground]` element of the page holds its starting state as
 * JSON; the panel builds its controls from the table of the library's kinds
 * and options (`lib/preview/kinds.ts`), computes every curve with the
 * library itself (through `lib/preview/recipe.ts`), draws them with Plotly through the
 * site's own figure layout (`globalThis.lrBook.buildFigure`), and keeps its
 * state in the URL hash.
 *
 * @module
 */

import {
  domainOf,
  type Kind,
  type OptionInfo,
  type OptionValue,
  ownOptions,
  SCHEDULE_KINDS,
  WARMUP_OPTIONS,
  type WarmupOptionsSpec,
} from "../preview/kinds.ts";
import { buildSchedule, numberText } from "../preview/recipe.ts";
import { LINE_DASHES, MARKER_SYMBOLS } from "../site/line_style.ts";
import { h } from "./dom.ts";
import { highlightCommand, highlightTs } from "./highlight.ts";
import type { PanelData, StepUnit } from "./presets.ts";
import { fromSlider, type SliderRange, sliderRange, toSlider } from "./ranges.ts";
import type { TrainerData } from "./train_protocol.ts";
import { TrainerPanel } from "./trainer.ts";
import {
  canonical,
  commandText,
  type Curve,
  curveLabel,
  curveOf,
  decodeState,
  effectiveValue,
  encodeState,
  isStateHash,
  LETTERS,
  MAX_CURVES,
  MAX_STEPS,
  type PanelState,
  parseMetrics,
  PLAY_KINDS,
  snippetText,
  specOf,
} from "./state.ts";

/** What the site's script offers (lib/site/assets/site.js). */
interface LrBook {
  plotTheme(): unknown;
  buildFigure(
    spec: unknown,
    theme: unknown,
    width?: number,
  ): { data: PlotTrace[]; layout: Record<string, unknown> };
  plotConfig: Record<string, unknown>;
  copyWithFeedback(text: string, button: HTMLElement, label: string): void;
}

interface PlotTrace {
  name: string;
  y: number[];
  opacity?: number;
  line: { dash?: string; width?: number };
  meta?: unknown;
  [key: string]: unknown;
}

const globals = globalThis as unknown as {
  lrBook?: LrBook;
  Plotly?: { react(el: HTMLElement, data: unknown, layout: unknown, config: unknown): unknown };
};

const X_TITLES: Record<StepUnit, string> = {
  epoch: "epoch",
  update: "update (minibatch)",
  step: "step",
};

const UNIT_PLURAL: Record<StepUnit, string> = { epoch: "epochs", update: "updates", step: "steps" };

// ---- building elements ----

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** Domain hints in print: `>=` as `≥`. */
const pretty = (text: string) => text.replace(/>=/g, "≥").replace(/<=/g, "≤");

/** A numeric control: a slider and a number field, kept in step. */
interface NumberInput {
  tile: HTMLElement;
  /** Recompute the slider's range (after the number of steps changed). */
  refresh(): void;
}

interface NumberSpec {
  id: string;
  label: string;
  /** Said before the label to screen readers only (the list's name before `[0]`). */
  hidden?: string;
  hint: string;
  doc: string;
  value: number;
  range: (value: number) => SliderRange;
  onValue: (value: number) => void;
}

function numberInput(spec: NumberSpec): NumberInput {
  const labelId = `${spec.id}-label`;
  const docId = `${spec.id}-doc`;
  let value = spec.value;
  let range = spec.range(value);
  const field = h("input", {
    type: "number",
    id: spec.id,
    class: "pg-number",
    inputmode: "decimal",
    step: "any",
    value: numberText(value),
    "aria-describedby": docId,
    "data-option": spec.hidden ?? spec.label,
  });
  const slider = h("input", {
    type: "range",
    id: `${spec.id}-range`,
    class: "pg-range",
    "aria-labelledby": labelId,
    "aria-describedby": docId,
    "data-option": spec.hidden ?? spec.label,
  });
  const place = () => {
    slider.min = String(range.log ? Math.log10(range.min) : range.min);
    slider.max = String(range.log ? Math.log10(range.max) : range.max);
    slider.step = String(range.step);
    slider.value = String(toSlider(range, value));
    if (range.log) slider.setAttribute("aria-valuetext", numberText(value));
    const lo = Number(slider.min), hi = Number(slider.max);
    const fill = hi > lo ? (Number(slider.value) - lo) / (hi - lo) : 0;
    slider.style.setProperty("--fill", `${(fill * 100).toFixed(2)}%`);
  };
  place();
  slider.addEventListener("input", () => {
    value = fromSlider(range, Number(slider.value));
    field.value = numberText(value);
    place();
    spec.onValue(value);
  });
  field.addEventListener("input", () => {
    const typed = field.value.trim() === "" ? NaN : Number(field.value);
    if (!Number.isFinite(typed)) return; // half-typed: wait for more
    value = typed;
    if (value < range.min || value > range.max) range = spec.range(value);
    place();
    spec.onValue(value);
  });
  field.addEventListener("change", () => {
    field.value = numberText(value); // an unfinished entry goes back to the value in force
  });
  // The arrow keys change the value in its last shown digit, not by 1 (which would take a rate
  // of 0.405 to 1.405): a tenth of the value's order of magnitude, and whole steps for whole
  // numbers; with Shift, ten times as much.
  field.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    event.preventDefault();
    const whole = Number.isInteger(range.step) && Number.isInteger(value) && !range.log;
    const order = value === 0 ? range.step : 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
    const step = (whole ? Math.max(1, Math.round(order)) : order) * (event.shiftKey ? 10 : 1);
    const next = Number((value + (event.key === "ArrowUp" ? step : -step)).toPrecision(12));
    field.value = numberText(next);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
  const tile = h(
    "div",
    { class: "pg-tile" },
    h(
      "div",
      { class: "pg-tile-head" },
      h(
        "label",
        { for: spec.id, id: labelId, class: "pg-label" },
        spec.hidden ? h("span", { class: "sr-only", text: spec.hidden }) : null,
        h("code", { text: spec.label }),
        spec.hint ? h("span", { class: "pg-hint", text: pretty(spec.hint) }) : null,
      ),
      field,
    ),
    slider,
    h("p", { class: "pg-doc", id: docId, text: spec.doc }),
  );
  return {
    tile,
    refresh() {
      range = spec.range(value);
      place();
    },
  };
}

function checkboxTile(
  id: string,
  label: string,
  doc: string,
  checked: boolean,
  onChange: (on: boolean) => void,
): HTMLElement {
  const box = h("input", {
    type: "checkbox",
    id,
    class: "pg-check",
    checked,
    "aria-describedby": `${id}-doc`,
    "data-option": label,
  });
  box.addEventListener("change", () => onChange(box.checked));
  return h(
    "div",
    { class: "pg-tile pg-tile-check" },
    h(
      "div",
      { class: "pg-tile-head" },
      h("label", { for: id, class: "pg-label pg-check-label" }, box, h("code", { text: label })),
    ),
    h("p", { class: "pg-doc", id: `${id}-doc`, text: doc }),
  );
}

function selectTile(
  id: string,
  label: string,
  doc: string,
  choices: readonly string[],
  value: string,
  onChange: (value: string) => void,
): HTMLElement {
  const select = h(
    "select",
    { id, class: "pg-select", "aria-describedby": `${id}-doc`, "data-option": label },
    ...choices.map((c) => h("option", { value: c, selected: c === value, text: c })),
  );
  select.addEventListener("change", () => onChange(select.value));
  return h(
    "div",
    { class: "pg-tile" },
    h(
      "div",
      { class: "pg-tile-head" },
      h("label", { for: id, class: "pg-label" }, h("code", { text: label })),
      select,
    ),
    h("p", { class: "pg-doc", id: `${id}-doc`, text: doc }),
  );
}

// ---- the panel ----

class Panel {
  state: PanelState;
  readonly preset: PanelState;
  /** The last rates each curve computed without error (shown dimmed while it is invalid). */
  lastGood: (number[] | null)[] = [];
  errors: (string | null)[] = [];
  /** What is wrong with a curve's typed metrics (its last valid ones stay in the state). */
  metricErrors: (string | null)[] = [];
  /** A curve's warmup while it is switched off, to bring back when it is switched on again. */
  parkedWarmup: (WarmupOptionsSpec | null)[] = [];
  refreshers: (() => void)[] = [];
  /** Called after every change (the training panel follows the curves). */
  listeners: (() => void)[] = [];
  /** Chapter pages keep a clean URL until the reader changes something. */
  touched = false;
  hashTimer: ReturnType<typeof setTimeout> | undefined = undefined;

  // The curves are said in words by the command and the code below; the drawing is for the eye.
  readonly plot = h("div", { class: "plot pg-plot", "aria-hidden": "true" });
  readonly status = h("p", { class: "pg-status", "aria-live": "polite" });
  readonly steps = h("div", { class: "pg-steps" });
  readonly curves = h("div", { class: "pg-curves" });
  readonly command = h("code", { class: "language-sh" });
  readonly snippet = h("code", { class: "language-ts" });
  readonly open: HTMLAnchorElement | null;
  readonly add = h("button", { type: "button", class: "pg-button pg-add" });

  constructor(
    readonly root: HTMLElement,
    readonly data: PanelData,
    readonly ownsHash: boolean,
  ) {
    this.preset = clone(data.state);
    this.state = clone(data.state);
    this.open = data.playground === null ? null : h("a", {
      class: "pg-button pg-open",
      href: data.playground,
      text: "Open in the playground →",
    });
    let notice: string | null = null;
    if (ownsHash && isStateHash(location.hash)) {
      const decoded = decodeState(location.hash);
      if ("state" in decoded) {
        this.state = decoded.state;
        this.touched = true;
      } else {notice =
          `This link's settings could not be read (${decoded.error}); showing the defaults.`;}
    }
    this.layout();
    this.renderSteps();
    this.renderCurves();
    this.update();
    if (notice) this.status.textContent = notice;
    document.addEventListener("lr-book-theme", () => this.draw());
    if (ownsHash) {
      globalThis.addEventListener("hashchange", () => {
        if (!isStateHash(location.hash) || location.hash.slice(1) === encodeState(this.state)) {
          return;
        }
        const decoded = decodeState(location.hash);
        if ("state" in decoded) this.load(decoded.state, true);
        else this.status.textContent = `This link's settings could not be read (${decoded.error}).`;
      });
    }
  }

  layout() {
    const body = this.root.querySelector(".pg-body") ?? this.root;
    body.replaceChildren();
    this.plot.setAttribute(
      "aria-label",
      "The learning rate of each schedule at every step, drawn from the values computed below",
    );
    this.add.addEventListener("click", () => this.addCurve());
    const copyLink = h("button", { type: "button", class: "pg-button", text: "Copy link" });
    copyLink.addEventListener("click", () => {
      this.touched = true;
      this.writeHash();
      const url = `${location.href.split("#")[0]}#${encodeState(this.state)}`;
      this.copy(url, copyLink, "Copy link");
    });
    const reset = h("button", { type: "button", class: "pg-button", text: "Reset" });
    reset.addEventListener("click", () => {
      this.load(clone(this.preset), false);
      if (this.ownsHash && isStateHash(location.hash)) {
        history.replaceState(null, "", location.pathname + location.search);
      }
    });
    body.append(
      h("div", { class: "pg-figure" }, this.plot, this.status),
      h(
        "div",
        { class: "pg-bar" },
        this.steps,
        h("div", { class: "pg-actions" }, copyLink, reset, this.open),
      ),
      this.curves,
      h(
        "div",
        { class: "pg-outputs" },
        this.output("Preview it in a terminal", this.command),
        this.output("Use it in TypeScript", this.snippet),
      ),
    );
  }

  output(title: string, code: HTMLElement): HTMLElement {
    const button = h("button", { type: "button", class: "copy", text: "Copy" });
    button.setAttribute("aria-label", `Copy: ${title.toLowerCase()}`);
    button.addEventListener("click", () => this.copy(code.textContent ?? "", button, "Copy"));
    return h(
      "div",
      { class: "pg-output" },
      h("p", { class: "pg-output-title", text: title }),
      h("div", { class: "code-block" }, h("pre", {}, code), button),
    );
  }

  copy(text: string, button: HTMLElement, label: string) {
    globals.lrBook?.copyWithFeedback(text, button, label);
  }

  /** Replace the whole state (a link, Reset) and redraw everything. */
  load(state: PanelState, touched: boolean) {
    this.state = state;
    this.touched = touched;
    this.lastGood = [];
    this.parkedWarmup = [];
    this.metricErrors = [];
    this.renderSteps();
    this.renderCurves();
    this.update();
  }

  // ---- controls ----

  renderSteps() {
    const option: OptionInfo = {
      name: "steps",
      type: "integer",
      doc: "",
      min: 1,
      max: MAX_STEPS,
    };
    const unit = UNIT_PLURAL[this.data.unit];
    const control = numberInput({
      id: `${this.root.id}-steps`,
      label: "steps",
      hint: `${unit} shown`,
      doc: `The rates are computed at ${this.data.unit}s 0 to steps − 1 (at most ${MAX_STEPS}).`,
      value: this.state.steps,
      range: (v) => sliderRange("panel", option, v, this.state.steps),
      onValue: (v) => {
        if (!Number.isInteger(v) || v < 1 || v > MAX_STEPS) return;
        this.state.steps = v;
        for (const refresh of this.refreshers) refresh();
        this.changed();
      },
    });
    this.steps.replaceChildren(control.tile);
  }

  renderCurves() {
    const focused = document.activeElement?.id ?? null;
    this.refreshers = [];
    this.curves.replaceChildren(...this.state.curves.map((c, i) => this.card(c, i)));
    const full = this.state.curves.length >= MAX_CURVES;
    this.add.textContent = full
      ? `At most ${MAX_CURVES} schedules`
      : `+ Compare with another schedule (${LETTERS[this.state.curves.length]})`;
    this.add.toggleAttribute("disabled", full);
    this.curves.append(this.add);
    if (focused) document.getElementById(focused)?.focus();
  }

  card(curve: Curve, i: number): HTMLElement {
    const base = `${this.root.id}-${LETTERS[i].toLowerCase()}`;
    const kind = h(
      "select",
      { id: `${base}-kind`, class: "pg-select pg-kind", "aria-label": `Schedule ${LETTERS[i]}` },
      ...PLAY_KINDS.map((k) =>
        h("option", { value: k, selected: k === curve.kind, text: k, title: SCHEDULE_KINDS[k].doc })
      ),
    );
    kind.addEventListener("change", () => this.switchKind(i, kind.value as Kind));
    const remove = this.state.curves.length > 1
      ? h("button", {
        type: "button",
        id: `${base}-remove`,
        class: "pg-remove",
        "aria-label": `Remove schedule ${LETTERS[i]}`,
        title: `Remove schedule ${LETTERS[i]}`,
        text: "×",
      })
      : null;
    remove?.addEventListener("click", () => this.removeCurve(i));
    const tiles = ownOptions(curve.kind).map((o) => this.optionTile(curve, i, o, base));
    if (curve.kind === "plateau") tiles.unshift(this.metricsTile(curve, i, base));
    return h(
      "fieldset",
      { class: "pg-curve", style: `--curve: var(--plot-${i + 1})`, "data-curve": LETTERS[i] },
      h(
        "legend",
        { class: "pg-curve-head" },
        h("span", { class: "pg-letter", "aria-hidden": "true", text: LETTERS[i] }),
        kind,
        h("span", { class: "pg-kind-doc", text: SCHEDULE_KINDS[curve.kind].doc }),
        remove,
      ),
      h("div", { class: "pg-tiles" }, ...tiles),
      this.warmupSection(curve, i, base),
      h("p", { class: "pg-error", id: `${base}-error`, "aria-live": "polite", hidden: true }),
    );
  }

  optionTile(curve: Curve, i: number, option: OptionInfo, base: string): HTMLElement {
    const id = `${base}-${option.name}`;
    const value = effectiveValue(curve, option);
    const set = (v: OptionValue) => this.setOption(i, option.name, v);
    switch (option.type) {
      case "flag":
        return checkboxTile(id, option.name, option.doc, value === true, set);
      case "choice":
        return selectTile(id, option.name, option.doc, option.choices!, String(value), set);
      case "steps":
        return this.listTile(curve, i, option, id);
      default: {
        const control = numberInput({
          id,
          label: option.name,
          hint: domainOf(option),
          doc: option.doc,
          value: value as number,
          range: (v) => sliderRange(curve.kind, option, v, this.state.steps),
          onValue: set,
        });
        this.refreshers.push(control.refresh);
        return control.tile;
      }
    }
  }

  /** A list of steps (milestones): one slider per entry, and buttons to add or remove one. */
  listTile(curve: Curve, i: number, option: OptionInfo, id: string): HTMLElement {
    const list = [...(effectiveValue(curve, option) as readonly number[])];
    const entries = list.map((v, k) => {
      const control = numberInput({
        id: `${id}-${k}`,
        label: `[${k}]`,
        hidden: option.name,
        hint: "",
        doc: "",
        value: v,
        range: (x) => sliderRange(curve.kind, option, x, this.state.steps),
        onValue: (x) => {
          const now = [...(effectiveValue(this.state.curves[i], option) as readonly number[])];
          now[k] = x;
          this.setOption(i, option.name, now);
        },
      });
      this.refreshers.push(control.refresh);
      // The command line takes at least one milestone, so the last one stays.
      const drop = list.length < 2 ? null : h("button", {
        type: "button",
        class: "pg-remove",
        id: `${id}-${k}-remove`,
        "aria-label": `Remove ${option.name}[${k}]`,
        text: "×",
      });
      drop?.addEventListener("click", () => {
        const now = [...(effectiveValue(this.state.curves[i], option) as readonly number[])];
        now.splice(k, 1);
        this.setOption(i, option.name, now, true);
        document.getElementById(`${id}-${Math.min(k, now.length - 1)}`)?.focus();
      });
      if (drop) control.tile.querySelector(".pg-tile-head")?.append(drop);
      return control.tile;
    });
    const add = h("button", {
      type: "button",
      class: "pg-button pg-small",
      id: `${id}-add`,
      text: `+ ${option.name.replace(/s$/, "")}`,
    });
    add.addEventListener("click", () => {
      const now = [...(effectiveValue(this.state.curves[i], option) as readonly number[])];
      const last = now.at(-1) ?? -1;
      now.push(Math.max(last + 1, Math.min(last + 10, this.state.steps - 1)));
      this.setOption(i, option.name, now, true);
      document.getElementById(`${id}-${now.length - 1}`)?.focus();
    });
    return h(
      "div",
      { class: "pg-tile pg-tile-list", role: "group", "aria-labelledby": `${id}-label` },
      h(
        "div",
        { class: "pg-tile-head" },
        h(
          "span",
          { class: "pg-label", id: `${id}-label` },
          h("code", { text: option.name }),
          h("span", { class: "pg-hint", text: pretty(domainOf(option)) }),
        ),
        add,
      ),
      h("div", { class: "pg-list" }, ...entries),
      h("p", { class: "pg-doc", text: option.doc }),
    );
  }

  /** Plateau's metrics, one per epoch, typed as a list. */
  metricsTile(curve: Curve, i: number, base: string): HTMLElement {
    const id = `${base}-metrics`;
    const text = (curve.metrics ?? []).map(numberText).join(", ");
    const field = h("textarea", {
      id,
      class: "pg-text",
      rows: 2,
      spellcheck: "false",
      inputmode: "decimal",
      "aria-describedby": `${id}-doc`,
      "data-option": "metrics",
      text,
    });
    field.addEventListener("input", () => {
      try {
        const metrics = parseMetrics(field.value);
        this.metricErrors[i] = null;
        this.state.curves[i] = canonical({ ...this.state.curves[i], metrics });
      } catch (error) {
        this.metricErrors[i] = `plateau: ${(error as Error).message}`;
      }
      this.changed();
    });
    return h(
      "div",
      { class: "pg-tile pg-tile-wide" },
      h(
        "div",
        { class: "pg-tile-head" },
        h(
          "label",
          { for: id, class: "pg-label" },
          h("code", { text: "metrics" }),
          h("span", { class: "pg-hint", text: "one per epoch, fed in order" }),
        ),
      ),
      field,
      h("p", {
        class: "pg-doc",
        id: `${id}-doc`,
        text: "The metric measured after each epoch (a validation loss in min mode, an accuracy " +
          "in max mode). The rate at epoch t is the one in force before metric t is fed; after " +
          "the last metric it stays. The list to start with is a made-up loss that levels off: " +
          "type your own.",
      }),
    );
  }

  warmupSection(curve: Curve, i: number, base: string): HTMLElement {
    const id = `${base}-warmup`;
    const on = curve.warmup !== null;
    const box = h("input", { type: "checkbox", id, class: "pg-check", checked: on });
    box.addEventListener("change", () => this.toggleWarmup(i, box.checked));
    const where = curve.kind === "cosine"
      ? "cosine's own warmup, counted inside maxUpdate"
      : "put in front of the schedule, which starts after it";
    const section = h(
      "fieldset",
      { class: "pg-warmup" },
      h(
        "legend",
        {},
        h(
          "label",
          { for: id, class: "pg-check-label" },
          box,
          h("span", { class: "pg-warmup-title", text: "Warmup" }),
          h("span", { class: "pg-hint", text: where }),
        ),
      ),
    );
    if (curve.warmup) {
      const warm = curve.warmup;
      const tiles = WARMUP_OPTIONS.map((option) => {
        const oid = `${id}-${option.name}`;
        const value = warm[option.name as keyof WarmupOptionsSpec] ?? option.default;
        const set = (v: OptionValue) => this.setWarmup(i, option.name, v);
        if (option.type === "choice") {
          return selectTile(oid, option.name, option.doc, option.choices!, String(value), set);
        }
        const control = numberInput({
          id: oid,
          label: option.name,
          hint: domainOf(option),
          doc: option.doc,
          value: value as number,
          range: (v) => sliderRange("warmup", option, v, this.state.steps),
          onValue: set,
        });
        this.refreshers.push(control.refresh);
        return control.tile;
      });
      section.append(h("div", { class: "pg-tiles" }, ...tiles));
    }
    return section;
  }

  // ---- changes ----

  setOption(i: number, name: string, value: OptionValue, rerender = false) {
    const curve = this.state.curves[i];
    this.state.curves[i] = canonical({ ...curve, options: { ...curve.options, [name]: value } });
    if (rerender) this.renderCurves();
    this.changed();
  }

  setWarmup(i: number, name: string, value: OptionValue) {
    const curve = this.state.curves[i];
    const warmup = { ...curve.warmup!, [name]: value } as WarmupOptionsSpec;
    this.state.curves[i] = canonical({ ...curve, warmup });
    this.changed();
  }

  toggleWarmup(i: number, on: boolean) {
    const curve = this.state.curves[i];
    if (on) {
      const steps = Math.max(0, Math.min(5, this.state.steps - 1));
      this.state.curves[i] = { ...curve, warmup: this.parkedWarmup[i] ?? { steps } };
    } else {
      this.parkedWarmup[i] = curve.warmup;
      this.state.curves[i] = { ...curve, warmup: null };
    }
    this.renderCurves();
    this.changed();
  }

  switchKind(i: number, kind: Kind) {
    const old = this.state.curves[i];
    const fresh = curveOf(kind, old.warmup);
    // Keep the options the two kinds share (a base rate, a length...) when that stays valid.
    const carried: Curve = { ...fresh, options: { ...fresh.options } };
    for (const option of ownOptions(kind)) {
      const before = ownOptions(old.kind).find((o) => o.name === option.name);
      if (before?.type === option.type && old.options[option.name] !== undefined) {
        carried.options[option.name] = old.options[option.name];
      }
    }
    let next = canonical(carried);
    try {
      buildSchedule(specOf(next));
    } catch {
      next = fresh;
    }
    this.state.curves[i] = next;
    this.lastGood[i] = null;
    this.metricErrors[i] = null;
    this.renderCurves();
    this.changed();
  }

  addCurve() {
    if (this.state.curves.length >= MAX_CURVES) return;
    this.state.curves.push(clone(this.state.curves.at(-1)!));
    const n = this.state.curves.length;
    this.renderCurves();
    document.getElementById(`${this.root.id}-${LETTERS[n - 1].toLowerCase()}-kind`)?.focus();
    this.changed();
  }

  removeCurve(i: number) {
    this.state.curves.splice(i, 1);
    this.lastGood.splice(i, 1);
    this.parkedWarmup.splice(i, 1);
    this.metricErrors.splice(i, 1);
    this.renderCurves();
    const next = Math.min(i, this.state.curves.length - 1);
    document.getElementById(`${this.root.id}-${LETTERS[next].toLowerCase()}-kind`)?.focus();
    this.changed();
  }

  changed() {
    this.touched = true;
    this.update();
  }

  // ---- output ----

  update() {
    const { steps, curves } = this.state;
    this.errors = curves.map((curve, i) => {
      const typed = this.metricErrors[i] ?? null;
      if (typed !== null) return typed;
      try {
        const lr = buildSchedule(specOf(curve));
        this.lastGood[i] = Array.from({ length: steps }, (_, t) => lr(t));
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    });
    this.draw();
    this.showErrors();
    this.command.innerHTML = highlightCommand(commandText(this.state));
    this.snippet.innerHTML = highlightTs(snippetText(this.state));
    const hash = encodeState(this.state);
    if (this.open) this.open.href = `${this.data.playground}#${hash}`;
    this.root.dataset.state = hash;
    if (this.ownsHash && this.touched) {
      clearTimeout(this.hashTimer);
      this.hashTimer = setTimeout(() => this.writeHash(), 250);
    }
    for (const listener of this.listeners) listener();
  }

  writeHash() {
    clearTimeout(this.hashTimer);
    if (!this.ownsHash) return;
    const hash = `#${encodeState(this.state)}`;
    if (location.hash === hash) return;
    // A page's own anchor (a chapter read from #all-runs, say) is the reader's: keep it.
    if (location.hash !== "" && !isStateHash(location.hash)) return;
    try {
      history.replaceState(null, "", hash);
    } catch {
      location.replace(hash);
    }
  }

  showErrors() {
    const messages: string[] = [];
    this.state.curves.forEach((curve, i) => {
      const base = `${this.root.id}-${LETTERS[i].toLowerCase()}`;
      const card = this.curves.querySelector(`[data-curve="${LETTERS[i]}"]`);
      const error = this.errors[i];
      const box = document.getElementById(`${base}-error`);
      if (box) {
        box.hidden = error === null;
        box.textContent = error ?? "";
      }
      card?.classList.toggle("pg-invalid", error !== null);
      // Mark the controls of the options the message names.
      const named = error === null ? [] : optionsNamed(error, curve);
      for (const input of card?.querySelectorAll<HTMLElement>("[data-option]") ?? []) {
        const name = input.dataset.option!.replace(/\[\d+\]$/, "");
        const invalid = input.id.includes("-warmup-")
          ? named.includes(`warmup.${name}`)
          : named.includes(name);
        if (invalid) {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-errormessage", `${base}-error`);
        } else {
          input.removeAttribute("aria-invalid");
          input.removeAttribute("aria-errormessage");
        }
      }
      if (error !== null) {
        messages.push(
          `${LETTERS[i]}: ${error}${
            this.lastGood[i] ? " (its last valid curve is shown dimmed)" : ""
          }`,
        );
      }
    });
    this.status.textContent = messages.join("\n");
    this.status.classList.toggle("pg-status-error", messages.length > 0);
  }

  draw() {
    const book = globals.lrBook, Plotly = globals.Plotly;
    if (!book || !Plotly) return;
    const { curves } = this.state;
    const traces = curves.flatMap((curve, i) => {
      const y = this.lastGood[i];
      if (!y) return [];
      const valid = this.errors[i] === null;
      return [{
        name: valid ? curveLabel(curve, i) : `${LETTERS[i]}: last valid curve`,
        x: y.map((_, t) => t),
        y,
        panel: 0,
        axis: "y",
        color: i,
        markers: y.length <= 60,
        // Told apart without colour: a marker shape each, or a dash where there are no markers.
        ...(y.length <= 60 ? { symbol: MARKER_SYMBOLS[i] } : { dash: LINE_DASHES[i] }),
        format: ".4~g",
        valid,
        index: i,
      }];
    });
    const spec = {
      kind: "schedule",
      xTitle: X_TITLES[this.data.unit],
      xInteger: true,
      panels: [{ yTitle: "learning rate" }],
      traces,
      height: 340,
    };
    const { data, layout } = book.buildFigure(spec, book.plotTheme(), this.plot.clientWidth);
    data.forEach((trace, k) => {
      trace.meta = { curve: LETTERS[traces[k].index], valid: traces[k].valid };
      if (!traces[k].valid) {
        trace.opacity = 0.35;
        trace.line = { ...trace.line, dash: "dot" };
      }
    });
    layout.showlegend = traces.length > 0;
    if (traces.length === 0) {
      const axis = layout.xaxis as Record<string, unknown>;
      axis.range = [0, Math.max(1, this.state.steps - 1)];
    }
    const narrow = this.plot.clientWidth < 520;
    Plotly.react(this.plot, data, layout, {
      ...book.plotConfig,
      displayModeBar: narrow ? false : "hover",
    });
  }
}

/** The options (of `curve`'s kind, or `warmup.*`) a library message names. */
function optionsNamed(message: string, curve: Curve): string[] {
  const body = message.slice(message.indexOf(": ") + 2);
  const words = new Set(body.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []);
  const named = ownOptions(curve.kind).map((o) => o.name).filter((n) => words.has(n));
  const fromWarmup = message.startsWith("warmup: ");
  for (const option of WARMUP_OPTIONS) {
    if (fromWarmup && words.has(option.name)) named.push(`warmup.${option.name}`);
  }
  // cosine's own warmup options are set by the warmup controls
  if (words.has("warmupSteps")) named.push("warmup.steps");
  if (words.has("metrics")) named.push("metrics");
  if (words.has("warmupBeginLr")) named.push("warmup.beginLr");
  return named;
}

function start() {
  const roots = document.querySelectorAll<HTMLElement>("[data-playground]");
  const panels: Panel[] = [];
  roots.forEach((root, n) => {
    const json = root.querySelector("script.playground-data")?.textContent;
    if (!json) return;
    if (!root.id) root.id = `playground-${n + 1}`;
    root.classList.add("pg-ready");
    panels.push(new Panel(root, JSON.parse(json) as PanelData, n === 0));
  });
  // The training panel trains with the curves of the page's (first) playground.
  const panel = panels[0];
  for (const root of document.querySelectorAll<HTMLElement>("[data-trainer]")) {
    const json = root.querySelector("script.trainer-data")?.textContent;
    if (!json || !panel) continue;
    root.classList.add("tr-ready");
    new TrainerPanel(root, JSON.parse(json) as TrainerData, {
      get state() {
        return panel.state;
      },
      get errors() {
        return panel.errors;
      },
      unit: panel.data.unit,
      onChange: (listener) => panel.listeners.push(listener),
    });
  }
}

start();
