/**
 * The schedule playground in headless Chromium, on the quick build of
 * `_site.ts` (made-up training) loaded from `file://`: the cosine page's panel
 * reproduces the chapter's cosine and cosine-with-warmup curves at its
 * defaults; moving a slider (keyboard and mouse) plots exactly what
 * `lib/schedules` computes for the new options; the URL hash reproduces the
 * panel in a new tab; an invalid combination shows the library's own message;
 * labels, focus order, touch targets, light and dark. With `LR_SCREENSHOTS=1`,
 * screenshots go to `tests/artifacts/`. Skipped, with a message, when Chromium
 * is missing. What needs no browser is `playground_test.ts`'s.
 *
 * @module
 */

import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { encodeState, EXAMPLE_METRICS, type PanelState } from "../../lib/playground/state.ts";
import { computeRates, parseArgs } from "../../lib/preview/cli.ts";
import { SCHEDULE_KINDS } from "../../lib/preview/kinds.ts";
import { cosine, plateauSchedule } from "../../lib/schedules/mod.ts";
import { ARTIFACTS, type Cdp, evaluate, load, screenshot, SCREENSHOTS } from "../_browser.ts";
import {
  CHAPTER_COSINE,
  chapterCosine,
  chapterWarmup,
  cosinePanel,
  rates,
  snippetRates,
} from "../_playground.ts";
import { bookSite, browserTest, chromium } from "../_site.ts";
import { waitFor } from "../_wait_for.ts";

interface Plotted {
  name: string;
  x: number[];
  y: number[];
  opacity: number;
  meta: { curve: string; valid: boolean };
}

const PLOTTED = `(() => {
  const plot = document.querySelector("#playground .pg-plot");
  return (plot && plot.data || []).map((d) => ({
    name: d.name, x: d.x, y: d.y, opacity: d.opacity ?? 1, meta: d.meta,
  }));
})()`;

/** Press and release a key, as a person would (Enter types a carriage return). */
async function key(cdp: Cdp, sessionId: string, key: string, code: number) {
  for (const type of ["keyDown", "keyUp"]) {
    await cdp.send("Input.dispatchKeyEvent", {
      type,
      key,
      code: key,
      windowsVirtualKeyCode: code,
      ...(type === "keyDown" && key === "Enter" ? { text: "\r" } : {}),
    }, sessionId);
  }
}

browserTest("playground: in Chromium, from file://", async (t) => {
  const site = await bookSite();
  const { cdp } = await chromium();
  const dir = site.dir;
  const url = site.url;
  const open = async (path: string, scheme: "light" | "dark" = "light", phone = false) => {
    const { page, check } = await load(
      cdp,
      url(path),
      scheme,
      phone ? { width: 390, height: 844, mobile: true } : undefined,
    );
    const js = (expression: string) => evaluate(cdp, page.sessionId, expression);
    try {
      await waitFor(() => js(PLOTTED), (p: Plotted[]) => p.length > 0, {
        what: "the panel to draw",
      });
    } catch (error) {
      await page.close();
      throw error;
    }
    return { page, check, js };
  };
  /** A screenshot of the panel, with `LR_SCREENSHOTS=1`. */
  const shoot = async (js: (e: string) => Promise<number>, session: string, name: string) => {
    if (!SCREENSHOTS) return;
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    await js("scrollTo(0, 0)"); // the sticky top bar and sidebar stay out of the picture
    const top = await js(
      `document.getElementById("playground").getBoundingClientRect().top + scrollY - 12`,
    );
    const height = await js(`document.getElementById("playground").offsetHeight + 24`);
    await screenshot(cdp, session, new URL(name, ARTIFACTS), height, top);
  };
  let link = "";
  let plottedBefore: Plotted[] = [];

  await t.step(
    "the cosine page reproduces the chapter's cosine and warmup curves",
    async () => {
      const { page, check, js } = await open("cosine.html");
      try {
        const plotted: Plotted[] = await js(PLOTTED);
        assert.deepEqual(plotted.map((p) => p.meta), [
          { curve: "A", valid: true },
          { curve: "B", valid: true },
        ]);
        assert.deepEqual(plotted[0].x, [...Array(30).keys()]);
        assert.deepEqual(plotted[0].y, chapterCosine, "cosine 0.3 -> 0.01, T = 20");
        assert.deepEqual(plotted[1].y, chapterWarmup, "the same with 5 warmup epochs");
        // ... which are the very numbers of the chapters' own figures.
        const figure = await js(
          `JSON.parse(document.querySelector("#cell-cosine-plot script.plot-data").textContent)`,
        );
        assert.deepEqual(plotted[0].y, figure.traces[0].y);
        const warmupPage = new DOMParser().parseFromString(
          await Deno.readTextFile(`${dir}/warmup.html`),
          "text/html",
        );
        const warmupFigure = JSON.parse(
          warmupPage.querySelector("#cell-warmup-plot script.plot-data").textContent,
        );
        assert.deepEqual(plotted[1].y, warmupFigure.traces[0].y);
        // Defaults leave the URL alone; the command and code say what is drawn.
        assert.equal(await js("location.hash"), "");
        assert.equal(
          await js(`document.querySelector("#playground .language-sh").textContent`),
          "deno task lr cosine --base-lr 0.3 --final-lr 0.01 --max-update 20 --steps 30\n" +
            "deno task lr cosine --base-lr 0.3 --final-lr 0.01 --max-update 20 --warmup-steps 5 --steps 30",
        );
        assert.deepEqual(check.errors, []);
      } finally {
        await page.close();
      }
    },
  );

  await t.step("moving a slider plots exactly what the library computes", async () => {
    const { page, check, js } = await open("cosine.html");
    const session = page.sessionId;
    try {
      // Keyboard: three presses of the right arrow on baseLr's slider.
      await js(`document.getElementById("playground-a-baseLr-range").focus()`);
      for (let i = 0; i < 3; i++) await key(cdp, session, "ArrowRight", 39);
      const baseLr = Number(await js(`document.getElementById("playground-a-baseLr").value`));
      assert.equal(baseLr, 0.303);
      // Mouse: a click a third of the way along maxUpdate's slider.
      const box = await js(`(() => {
            const el = document.getElementById("playground-a-maxUpdate-range");
            el.scrollIntoView({ block: "center" });
            const r = el.getBoundingClientRect();
            return { x: r.left + r.width / 3, y: r.top + r.height / 2 };
          })()`);
      for (const type of ["mousePressed", "mouseReleased"]) {
        await cdp.send("Input.dispatchMouseEvent", {
          type,
          x: box.x,
          y: box.y,
          button: "left",
          clickCount: 1,
        }, session);
      }
      const maxUpdate = Number(
        await js(`document.getElementById("playground-a-maxUpdate").value`),
      );
      assert(Number.isInteger(maxUpdate) && maxUpdate >= 5 && maxUpdate <= 15, `${maxUpdate}`);
      // Set by script, as a test would: a value and an input event.
      await js(`(() => {
            const el = document.getElementById("playground-steps-range");
            el.value = "40";
            el.dispatchEvent(new Event("input", { bubbles: true }));
          })()`);
      const expected = rates(cosine({ baseLr, finalLr: 0.01, maxUpdate }), 40);
      const plotted: Plotted[] = await waitFor(
        () => js(PLOTTED),
        (p: Plotted[]) => p[0].y.length === 40,
        { what: "the curve to move" },
      );
      assert.deepEqual(plotted[0].y, expected, `cosine(${baseLr}, 0.01, ${maxUpdate})`);
      assert.deepEqual(plotted[1].y, rates(cosine({ ...CHAPTER_COSINE, warmupSteps: 5 }), 40));
      // The command says the same, and the CLI computes the same.
      const command = (await js(`document.querySelector("#playground .language-sh").textContent`))
        .split("\n")[0];
      assert.equal(
        command,
        `deno task lr cosine --base-lr 0.303 --final-lr 0.01 --max-update ${maxUpdate} --steps 40`,
      );
      assert.deepEqual(computeRates(parseArgs(command.split(" ").slice(3))), expected);
      // The TypeScript shown, run as it is: the same curves.
      const code = await js(`document.querySelector("#playground .language-ts").textContent`);
      assert.deepEqual(await snippetRates(code, 2), plotted.map((p) => p.y));
      // The state is in the URL.
      const state: PanelState = {
        steps: 40,
        curves: [
          { kind: "cosine", options: { baseLr, finalLr: 0.01, maxUpdate }, warmup: null },
          cosinePanel.state.curves[1],
        ],
      };
      const hash = await waitFor(() => js("location.hash"), (h: string) => h !== "", {
        what: "the state to be written to the URL hash",
      });
      assert.equal(hash, `#${encodeState(state)}`);
      link = `cosine.html${hash}`;
      plottedBefore = plotted;
      assert.deepEqual(check.errors, []);
      if (SCREENSHOTS) {
        await Deno.mkdir(ARTIFACTS, { recursive: true });
        const file = new URL("playground-cosine-moved.png", ARTIFACTS);
        await screenshot(cdp, session, file, 1800, 0);
      }
    } finally {
      await page.close();
    }
  });

  await t.step("the URL hash reproduces the panel", async () => {
    for (const path of [link, link.replace("cosine.html", "playground.html")]) {
      const { page, check, js } = await open(path);
      try {
        assert.deepEqual(await js(PLOTTED), plottedBefore, path);
        const [, hash] = link.split("#");
        assert.equal(await js("location.hash"), `#${hash}`, "the link is left as it was");
        assert.equal(await js(`document.getElementById("playground").dataset.state`), hash);
        const values = await js(`[...document.querySelectorAll("#playground input")]
              .map((i) => i.type === "checkbox" ? i.checked : i.value)`);
        assert.deepEqual(values.slice(0, 6), ["40", "40", "0.303", "0.303", "0.01", "0.01"]);
        assert.deepEqual(check.errors, []);
      } finally {
        await page.close();
      }
    }
    // The chapter's panel links to the playground page with its state.
    const { page, js } = await open(link);
    try {
      assert.equal(
        await js(`document.querySelector("#playground .pg-open").getAttribute("href")`),
        `playground.html#${link.split("#")[1]}`,
      );
    } finally {
      await page.close();
    }
  });

  await t.step(
    "a number field steps in its last digit; a chapter's own #section stays",
    async () => {
      const { page, check, js } = await open("cosine.html#all-runs");
      try {
        await js(`document.getElementById("playground-a-baseLr").focus()`);
        await key(cdp, page.sessionId, "ArrowUp", 38);
        const value = await js(`document.getElementById("playground-a-baseLr").value`);
        assert.equal(value, "0.31", "0.3 -> 0.31, not 1.3");
        const plotted: Plotted[] = await waitFor(
          () => js(PLOTTED),
          (p: Plotted[]) => p[0].y[0] === 0.31,
          { what: "the curve to start at the new rate" },
        );
        assert.equal(plotted[0].y[0], 0.31);
        // "Copy link" writes the state at once where the page has no anchor; here it keeps it.
        await js(`[...document.querySelectorAll("#playground .pg-button")]
            .find((b) => b.textContent === "Copy link").click()`);
        assert.equal(await js("location.hash"), "#all-runs");
        assert.deepEqual(check.errors, []);
      } finally {
        await page.close();
      }
    },
  );

  await t.step("an invalid combination shows the library's own message", async () => {
    const { page, check, js } = await open("cosine.html");
    const session = page.sessionId;
    const type = async (id: string, text: string) => {
      await js(
        `(() => { const el = document.getElementById("${id}"); el.focus(); el.select(); })()`,
      );
      await cdp.send("Input.insertText", { text }, session);
    };
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail("the library accepts it");
    };
    try {
      // Warmup longer than the schedule.
      await type("playground-b-warmup-steps", "25");
      const tooLong = message(() => cosine({ ...CHAPTER_COSINE, warmupSteps: 25 }));
      assert.equal(tooLong, "cosine: warmupSteps (25) must be <= maxUpdate (20)");
      const shown = await js(`(() => {
            const error = document.getElementById("playground-b-error");
            return {
              text: error.textContent,
              hidden: error.hidden,
              status: document.querySelector("#playground .pg-status").textContent,
              invalid: [...document.querySelectorAll('#playground [aria-invalid="true"]')].map((e) => e.id),
            };
          })()`);
      assert.equal(shown.text, tooLong);
      assert.equal(shown.hidden, false);
      assert(shown.status.includes(tooLong), shown.status);
      assert.deepEqual(shown.invalid.sort(), [
        "playground-b-maxUpdate",
        "playground-b-maxUpdate-range",
        "playground-b-warmup-steps",
        "playground-b-warmup-steps-range",
      ]);
      // Never a broken plot: the last valid curve stays, dimmed.
      const plotted: Plotted[] = await js(PLOTTED);
      assert.deepEqual(plotted[0].y, chapterCosine);
      assert.deepEqual(plotted[1].y, chapterWarmup);
      assert.deepEqual(plotted[1].meta, { curve: "B", valid: false });
      assert(plotted[1].opacity < 1);
      // The minimum above the maximum.
      await type("playground-a-finalLr", "0.5");
      const above = message(() => cosine({ ...CHAPTER_COSINE, finalLr: 0.5 }));
      assert.equal(
        await js(`document.getElementById("playground-a-error").textContent`),
        above,
      );
      await shoot(js, session, "playground-invalid.png");
      // Fixed, the curves come back.
      await type("playground-a-finalLr", "0.01");
      await type("playground-b-warmup-steps", "10");
      const fixed: Plotted[] = await js(PLOTTED);
      assert.deepEqual(fixed.map((p) => p.meta.valid), [true, true]);
      assert.deepEqual(fixed[1].y, rates(cosine({ ...CHAPTER_COSINE, warmupSteps: 10 }), 30));
      assert.equal(await js(`document.getElementById("playground-b-error").hidden`), true);
      assert.deepEqual(check.errors, []);
    } finally {
      await page.close();
    }
  });

  await t.step("plateau: the metrics typed are the metrics replayed", async () => {
    const { page, check, js } = await open("playground.html");
    const session = page.sessionId;
    try {
      await js(`(() => {
            const el = document.getElementById("playground-b-kind");
            el.value = "plateau";
            el.dispatchEvent(new Event("change", { bubbles: true }));
          })()`);
      const options = SCHEDULE_KINDS.plateau.example as { baseLr: number; patience: number };
      const start: Plotted[] = await waitFor(
        () => js(PLOTTED),
        (p: Plotted[]) => p[1]?.name === "B: plateau",
        { what: "plateau to be drawn" },
      );
      assert.deepEqual(start[1].y, rates(plateauSchedule(options, EXAMPLE_METRICS), 30));
      // Typed metrics, with spaces and a trailing comma, as a person types them.
      await js(`(() => {
            const el = document.getElementById("playground-b-metrics");
            el.scrollIntoView({ block: "center" });
            el.focus();
            el.select();
          })()`);
      await cdp.send("Input.insertText", { text: "1, 0.9 0.9, 0.9, 0.9, 0.8," }, session);
      const metrics = [1, 0.9, 0.9, 0.9, 0.9, 0.8];
      const expected = rates(plateauSchedule(options, metrics), 30);
      const typed: Plotted[] = await waitFor(
        () => js(PLOTTED),
        (p: Plotted[]) => JSON.stringify(p[1].y) === JSON.stringify(expected),
        { what: "the curve to follow the metrics" },
      );
      assert.equal(typed[1].y[3], 0.1);
      assert(typed[1].y[4] < 0.1, "two epochs without progress, patience 1: cut");
      const command = (await js(`document.querySelector("#playground .language-sh").textContent`))
        .split("\n")[1];
      assert.equal(
        command,
        "deno task lr plateau --base-lr 0.1 --patience 1 --metrics 1,0.9,0.9,0.9,0.9,0.8 --steps 30",
      );
      assert.deepEqual(computeRates(parseArgs(command.split(" ").slice(3))), expected);
      const code = await js(`document.querySelector("#playground .language-ts").textContent`);
      assert.deepEqual(await snippetRates(code, 2), typed.map((p) => p.y));
      await shoot(js, session, "playground-plateau.png");
      // Something that is not a number: the message, the field marked, the last curve dimmed.
      await cdp.send("Input.insertText", { text: " x" }, session);
      const shown = await waitFor(
        () =>
          js(`(() => {
                const error = document.getElementById("playground-b-error");
                return {
                  text: error.textContent,
                  hidden: error.hidden,
                  invalid: document.getElementById("playground-b-metrics").getAttribute("aria-invalid"),
                };
              })()`),
        (v: { hidden: boolean }) => !v.hidden,
        { what: "the error to be shown" },
      );
      assert.deepEqual(shown, {
        text: 'plateau: metrics[6] ("x") is not a number',
        hidden: false,
        invalid: "true",
      });
      const dimmed: Plotted[] = await js(PLOTTED);
      assert.deepEqual(dimmed[1].y, expected);
      assert.deepEqual(dimmed[1].meta, { curve: "B", valid: false });
      assert.deepEqual(check.errors, []);
    } finally {
      await page.close();
    }
  });

  await t.step("keyboard: every control is labelled, in reading order", async () => {
    const { page, js } = await open("playground.html");
    try {
      const unnamed = await js(`[...document.querySelectorAll(
            "#playground input, #playground select, #playground button, #playground a"
          )].filter((el) => {
            const label = el.id && document.querySelector('label[for="' + el.id + '"]');
            const by = el.getAttribute("aria-labelledby");
            return !(label || el.getAttribute("aria-label") ||
              (by && document.getElementById(by)) || el.textContent.trim());
          }).map((el) => el.outerHTML.slice(0, 80))`);
      assert.deepEqual(unnamed, []);
      // No control is taken out of reading order: the only tabindex is site.js's, on Plotly's
      // toolbar (out of the tab order) and on regions that scroll (into it, to scroll them).
      assert.equal(
        await js(`document.querySelectorAll(
              '#playground [tabindex]:not(.modebar-btn[tabindex="-1"]):not(.scrolls[tabindex="0"])'
            ).length`),
        0,
      );
      await js(`document.getElementById("playground-a-kind").focus()`);
      const order: string[] = [];
      for (let i = 0; i < 5; i++) {
        await key(cdp, page.sessionId, "Tab", 9);
        order.push(await js("document.activeElement.id"));
      }
      assert.deepEqual(order, [
        "playground-a-remove",
        "playground-a-baseLr",
        "playground-a-baseLr-range",
        "playground-a-finalLr",
        "playground-a-finalLr-range",
      ]);
      // The copy buttons work from the keyboard. The button says so for a moment only, so
      // every label it takes is recorded as it changes, however long the test takes to look.
      await js(`(() => {
            const button = document.querySelector("#playground .pg-output .copy");
            const labels = globalThis.lrTestLabels = [];
            new MutationObserver(() => labels.push(button.textContent))
              .observe(button, { childList: true, characterData: true, subtree: true });
            button.focus();
          })()`);
      await key(cdp, page.sessionId, "Enter", 13);
      const labels: string[] = await waitFor(
        () => js("globalThis.lrTestLabels"),
        (labels: string[]) => labels.length > 0,
        { what: "the copy button's label to change" },
      );
      assert.equal(labels[0], "Copied");
    } finally {
      await page.close();
    }
  });

  await t.step("touch: large targets on a phone, no sideways scrolling", async () => {
    const { page, check, js } = await open("cosine.html", "light", true);
    const session = page.sessionId;
    try {
      await cdp.send("Emulation.setTouchEmulationEnabled", {
        enabled: true,
        maxTouchPoints: 5,
      }, session);
      assert.equal(await js(`matchMedia("(pointer: coarse)").matches`), true);
      // A tap on a slider's track moves it there, and the curve with it.
      const box = await js(`(() => {
            const el = document.getElementById("playground-a-baseLr-range");
            el.scrollIntoView({ block: "center" });
            const r = el.getBoundingClientRect();
            return { x: r.left + r.width * 0.6, y: r.top + r.height / 2 };
          })()`);
      for (const type of ["touchStart", "touchEnd"]) {
        await cdp.send("Input.dispatchTouchEvent", {
          type,
          touchPoints: type === "touchEnd" ? [] : [{ x: box.x, y: box.y }],
        }, session);
      }
      const baseLr = Number(
        await waitFor(
          () => js(`document.getElementById("playground-a-baseLr").value`),
          (value: string) => Number(value) !== CHAPTER_COSINE.baseLr,
          { what: "the tap to move baseLr's slider" },
        ),
      );
      assert(baseLr > 0.5 && baseLr < 0.7, `tapped to ${baseLr}`);
      const plotted: Plotted[] = await js(PLOTTED);
      assert.deepEqual(plotted[0].y, rates(cosine({ ...CHAPTER_COSINE, baseLr }), 30));
      const small = await js(`[...document.querySelectorAll(
            "#playground input, #playground select, #playground button"
          )].map((el) => {
            const r = el.getBoundingClientRect();
            const box = el.type === "checkbox" ? el.closest("label").getBoundingClientRect() : r;
            return { id: el.id || el.className, w: box.width, h: box.height };
          }).filter((b) => b.h < 24 || b.w < 24)`);
      assert.deepEqual(small, [], "targets of at least 24 px");
      const sliderHeight = await js(
        `document.getElementById("playground-a-baseLr-range").getBoundingClientRect().height`,
      );
      assert(sliderHeight >= 40, `slider height ${sliderHeight}`);
      const overflow = await js(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      assert(overflow <= 1, `no sideways scrolling (${overflow}px)`);
      assert.deepEqual(check.errors, []);
      await shoot(js, session, "playground-phone.png");
    } finally {
      await page.close();
    }
  });

  await t.step("light and dark: the panel follows the theme", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const { page, check, js } = await open("playground.html", scheme);
      try {
        assert.equal(await js("document.documentElement.dataset.theme"), scheme);
        assert.deepEqual(check.errors, []);
        const offline = check.requests.filter((u) => !/^(file|data|blob|about):/.test(u));
        assert.deepEqual(offline, [], "only local files");
        if (SCREENSHOTS) {
          await Deno.mkdir(ARTIFACTS, { recursive: true });
          const file = new URL(`playground-${scheme}.png`, ARTIFACTS);
          await screenshot(cdp, page.sessionId, file);
        }
        if (scheme === "light") {
          const legend = `getComputedStyle(document.querySelector("#playground .legendtext")).fill`;
          const before = await js(legend);
          await js(`document.querySelector(".theme-toggle").click()`);
          await waitFor(() => js(legend), (fill) => fill !== before, {
            what: "the panel to be redrawn in the dark theme",
          });
        }
      } finally {
        // The choice is the profile's: the other tests' pages follow the system again.
        await js(`localStorage.removeItem("lr-book-theme")`).catch(() => {});
        await page.close();
      }
    }
  });
});
