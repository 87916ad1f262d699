/**
 * Headless Chromium for the site's browser tests, driven over the DevTools
 * protocol with Deno's own WebSocket: start it, open a page from `file://` in
 * a colour scheme (in a new tab, or in one tab navigated from page to page),
 * evaluate script in it, take screenshots. Used by the browser tests through
 * `_site.ts`, which starts one Chromium per test process.
 *
 * Nothing here sleeps for a fixed time: every wait is for an event or for a
 * condition read from the page ({@linkcode waitFor}), with a generous deadline
 * and an error that says what it waited for, so a loaded machine is slower,
 * never wrong.
 *
 * @module
 */

import { waitFor } from "./_wait_for.ts";

/** Debian's Chromium, which CI installs. */
export const CHROMIUM = "/usr/bin/chromium";
/** Where screenshots are kept for a human to look at (git-ignored). */
export const ARTIFACTS = new URL("./artifacts/", import.meta.url);

/** Whether Chromium is installed (tests that need it are skipped, with a message, when not). */
export const haveChromium = await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false);
/**
 * Whether to keep a screenshot of every view (`LR_SCREENSHOTS=1`): screenshots are for people to
 * look at, and slow, so otherwise the tests take them only of what fails.
 */
export const SCREENSHOTS = Deno.env.get("LR_SCREENSHOTS") === "1";

// ---- a minimal DevTools-protocol client ----

interface CdpMessage {
  id?: number;
  method?: string;
  // deno-lint-ignore no-explicit-any
  params?: any;
  // deno-lint-ignore no-explicit-any
  result?: any;
  error?: { message: string };
  sessionId?: string;
}

/** A connection to Chromium's DevTools endpoint: commands, and the events they cause. */
export class Cdp {
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #listeners = new Set<(m: CdpMessage) => void>();

  private constructor(private socket: WebSocket) {
    socket.onmessage = (event) => {
      const message: CdpMessage = JSON.parse(event.data);
      if (message.id !== undefined) {
        const waiter = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else for (const listener of this.#listeners) listener(message);
    };
    socket.onclose = () => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error("DevTools closed"));
      this.#pending.clear();
    };
  }

  /** Connect to the DevTools WebSocket at `url`. */
  static connect(url: string): Promise<Cdp> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.onopen = () => resolve(new Cdp(socket));
      socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
  }

  /** Send the command `method`, to `sessionId` if given; resolves with its result. */
  // deno-lint-ignore no-explicit-any
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** Call `listener` with every event; returns the function that stops it. */
  on(listener: (m: CdpMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The next event `method` of `sessionId`, or an error after `ms`. */
  once(method: string, sessionId: string, ms = 30_000): Promise<CdpMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${ms / 1000} s waiting for the event ${method}`));
      }, ms);
      const off = this.on((m) => {
        if (m.method === method && m.sessionId === sessionId) {
          clearTimeout(timer);
          off();
          resolve(m);
        }
      });
    });
  }

  /** Close the connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.addEventListener("close", () => resolve());
      this.socket.close();
    });
  }
}

/** A running Chromium and the connection to it. */
export interface Browser {
  /** The DevTools connection. */
  cdp: Cdp;
  /** Close Chromium (killing it if it does not exit) and remove its profile. */
  close(): Promise<void>;
  /**
   * Kill Chromium at once and remove its profile, synchronously: for an `unload` listener, which
   * cannot wait for {@linkcode Browser.close}.
   */
  kill(): void;
}

/** Start headless Chromium with a fresh profile, and connect to it. */
export async function launch(): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "lr-book-chromium-" });
  const process = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--no-default-browser-check",
      "--hide-scrollbars",
      "--mute-audio",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Read stderr until Chromium says where DevTools listens, then keep draining it.
  const lines = process.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        process.kill("SIGKILL");
      } catch {
        // It has exited already.
      }
      reject(new Error(`chromium did not say where DevTools listens in 30 s:\n${buffer}`));
    }, 30_000);
  });
  let endpoint: string | undefined;
  try {
    while (endpoint === undefined) {
      const { value, done } = await Promise.race([lines.read(), deadline]);
      if (done) throw new Error(`chromium exited before DevTools started:\n${buffer}`);
      buffer += value;
      endpoint = buffer.match(/DevTools listening on (ws:\/\/\S+)/)?.[1];
    }
  } finally {
    clearTimeout(timer);
  }
  const drained = (async () => {
    while (!(await lines.read()).done) { /* discard */ }
  })();
  const cdp = await Cdp.connect(endpoint);
  return {
    cdp,
    async close() {
      await cdp.send("Browser.close").catch(() => {});
      await cdp.close();
      const exited = await Promise.race([
        process.status.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5_000)),
      ]);
      if (!exited) {
        process.kill("SIGKILL");
        await process.status;
      }
      await drained.catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
    kill() {
      try {
        process.kill("SIGKILL");
      } catch {
        // It has exited already.
      }
      // Its children may write into the profile for a moment yet: try again, for up to 5 s.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          Deno.removeSync(profile, { recursive: true });
          return;
        } catch (error) {
          if (error instanceof Deno.errors.NotFound) return;
        }
        Atomics.wait(pause, 0, 0, 50);
      }
    },
  };
}

// ---- one page in one theme ----

/**
 * How long a page may take to load and draw its figures: the longest wait of these tests (the
 * browser parses Plotly's 4.6 MB and draws every figure of a chapter), so the most generous, for
 * a machine whose other jobs leave the tests little of its CPU.
 */
const LOAD_DEADLINE = 120_000;

/** What {@linkcode load} found on a page once it had settled. */
export interface PageCheck {
  /** Plotly figures on the page. */
  figures: number;
  /** Figures Plotly has drawn. */
  drawn: number;
  /** The page's `data-theme`. */
  theme: string;
  /** Exceptions, console errors and failed loads the page logged. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
  /** The document's title. */
  title: string;
}

/** A new tab of `width` by `height` CSS pixels, recording its errors and requests. */
export async function openPage(cdp: Cdp, width: number, height: number, mobile: boolean) {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const errors: string[] = [];
  const requests: string[] = [];
  const off = cdp.on((m) => {
    if (m.sessionId !== sessionId) return;
    if (m.method === "Runtime.exceptionThrown") {
      const d = m.params.exceptionDetails;
      errors.push(`exception: ${d.exception?.description ?? d.text}`);
    } else if (m.method === "Runtime.consoleAPICalled" && /^(error|assert)$/.test(m.params.type)) {
      errors.push(
        `console.${m.params.type}: ${
          m.params.args.map((a: { value?: unknown; description?: string }) =>
            a.value ?? a.description
          ).join(" ")
        }`,
      );
    } else if (m.method === "Log.entryAdded" && m.params.entry.level === "error") {
      errors.push(`log: ${m.params.entry.text} ${m.params.entry.url ?? ""}`);
    } else if (m.method === "Network.requestWillBeSent") {
      requests.push(m.params.request.url);
    }
  });
  for (const domain of ["Page", "Runtime", "Log", "Network"]) {
    await cdp.send(`${domain}.enable`, {}, sessionId);
  }
  await cdp.send(
    "Emulation.setDeviceMetricsOverride",
    { width, height, deviceScaleFactor: 1, mobile },
    sessionId,
  );
  return {
    sessionId,
    errors,
    requests,
    async close() {
      off();
      await cdp.send("Target.closeTarget", { targetId });
    },
  };
}

/** Evaluate `expression` in the page (awaiting a promise) and return its value as JSON. */
// deno-lint-ignore no-explicit-any
export async function evaluate(cdp: Cdp, sessionId: string, expression: string): Promise<any> {
  const { result, exceptionDetails } = await cdp.send(
    "Runtime.evaluate",
    { expression, returnByValue: true, awaitPromise: true },
    sessionId,
  );
  if (exceptionDetails) throw new Error(`evaluate failed: ${exceptionDetails.text}`);
  return result.value;
}

const FIGURE_STATE = `(() => {
  const plots = [...document.querySelectorAll("figure .plot")];
  return {
    figures: plots.length,
    drawn: plots.filter((p) => p.querySelector(".main-svg")).length,
    theme: document.documentElement.dataset.theme,
    title: document.title,
  };
})()`;

/** Wait until Plotly has drawn every figure of the page; returns the figures, theme and title. */
export function waitForFigures(
  cdp: Cdp,
  sessionId: string,
): Promise<Omit<PageCheck, "errors" | "requests">> {
  return waitFor(
    () => evaluate(cdp, sessionId, FIGURE_STATE),
    (state) => state.drawn === state.figures,
    { what: "Plotly to draw every figure", deadline: LOAD_DEADLINE },
  );
}

/**
 * Wait until the page is settled: its fonts loaded (or failed, which it logs) and two frames
 * painted after that, so that what it does late, such as Plotly's work in animation frames, has
 * been done, and has logged its errors, when the test reads them.
 */
export async function waitForSettled(cdp: Cdp, sessionId: string) {
  await evaluate(
    cdp,
    sessionId,
    `(() => {
      globalThis.lrTestFrames = 0;
      document.fonts.ready.then(() => requestAnimationFrame(function count() {
        if (++globalThis.lrTestFrames < 2) requestAnimationFrame(count);
      }));
    })()`,
  );
  await waitFor(
    () =>
      evaluate(
        cdp,
        sessionId,
        `({ fonts: document.fonts.status, frames: globalThis.lrTestFrames })`,
      ),
    (state) => state.fonts === "loaded" && state.frames >= 2,
    { what: "the fonts to load and two frames to be painted" },
  );
}

/** A PNG of the page from `top` down, at most `maxHeight` CSS pixels tall. */
export async function screenshot(
  cdp: Cdp,
  sessionId: string,
  file: URL,
  maxHeight = 14_000,
  top = 0,
) {
  const metrics = await cdp.send("Page.getLayoutMetrics", {}, sessionId);
  const size = metrics.cssContentSize ?? metrics.contentSize;
  const { data } = await cdp.send("Page.captureScreenshot", {
    format: "png",
    captureBeyondViewport: true,
    clip: {
      x: 0,
      y: top,
      width: Math.ceil(size.width),
      height: Math.max(1, Math.min(maxHeight, Math.ceil(size.height) - top)),
      scale: 1,
    },
  }, sessionId);
  await Deno.writeFile(file, Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
}

/** A tab of {@linkcode openPage}. */
export type Page = Awaited<ReturnType<typeof openPage>>;

/**
 * Navigate the tab `page` to `url` in the given colour scheme, and wait until the new document has
 * loaded, drawn its figures and settled. The page's errors and requests are cleared first: the
 * check's lists are the page's own, this document's, and grow with what it logs later, until the
 * tab is navigated again.
 */
export async function navigate(
  cdp: Cdp,
  page: Page,
  url: string,
  scheme: "light" | "dark",
): Promise<PageCheck> {
  const { sessionId } = page;
  await cdp.send("Emulation.setEmulatedMedia", {
    features: [{ name: "prefers-color-scheme", value: scheme }],
  }, sessionId);
  // The document being left is marked, so that it is never taken for the new one (the same URL
  // again, or the first about:blank, which fires a load event of its own).
  await evaluate(cdp, sessionId, `globalThis.lrTestLeft = true`);
  page.errors.length = 0;
  page.requests.length = 0;
  const { errorText } = await cdp.send("Page.navigate", { url }, sessionId);
  if (errorText) throw new Error(`cannot open ${url}: ${errorText}`);
  const href = url.split("#")[0];
  await waitFor(
    () =>
      evaluate(
        cdp,
        sessionId,
        `({ href: location.href.split("#")[0], state: document.readyState,
          left: globalThis.lrTestLeft === true })`,
      ).catch((error) => ({ error: error.message })),
    (doc) => doc.href === href && doc.state === "complete" && !doc.left,
    { what: `${url} to load`, deadline: LOAD_DEADLINE },
  );
  const state = await waitForFigures(cdp, sessionId);
  await waitForSettled(cdp, sessionId);
  return { ...state, errors: page.errors, requests: page.requests };
}

/**
 * Turn the system's colour scheme to `scheme` on a page already open, and wait until the page
 * has followed it, redrawn its figures and settled; its state as {@linkcode navigate} gives it,
 * the errors and requests counted from the page's load.
 */
export async function followScheme(
  cdp: Cdp,
  page: Page,
  scheme: "light" | "dark",
  what: string,
): Promise<PageCheck> {
  const { sessionId } = page;
  await cdp.send("Emulation.setEmulatedMedia", {
    features: [{ name: "prefers-color-scheme", value: scheme }],
  }, sessionId);
  await waitFor(
    () => evaluate(cdp, sessionId, `document.documentElement.dataset.theme`),
    (theme: string) => theme === scheme,
    { what: `${what} to follow the system into the ${scheme} theme` },
  );
  const state = await waitForFigures(cdp, sessionId);
  await waitForSettled(cdp, sessionId);
  return { ...state, errors: page.errors, requests: page.requests };
}

/**
 * Open `url` in a new tab in the given colour scheme, and wait until it has loaded, drawn its
 * figures and settled.
 */
export async function load(
  cdp: Cdp,
  url: string,
  scheme: "light" | "dark",
  viewport = { width: 1280, height: 900, mobile: false },
): Promise<{ page: Page; check: PageCheck }> {
  const page = await openPage(cdp, viewport.width, viewport.height, viewport.mobile);
  try {
    return { page, check: await navigate(cdp, page, url, scheme) };
  } catch (error) {
    await page.close().catch(() => {});
    throw error;
  }
}
