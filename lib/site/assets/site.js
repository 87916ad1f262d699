// The book's client script: theme toggle, chapter menu, copy buttons and Plotly figures.
// A classic script (module scripts do not load from file://); all it needs is in the page.
// Scripts loaded after it (the schedule playground) reuse `globalThis.lrBook` (theme colours,
// figure layout, copying) and listen for the "lr-book-theme" event on `document` to follow theme
// changes.
(() => {
  "use strict";

  const THEME_KEY = "lr-book-theme";
  const root = document.documentElement;
  const media = globalThis.matchMedia("(prefers-color-scheme: dark)");

  const storedTheme = () => {
    let theme = null;
    try {
      theme = localStorage.getItem(THEME_KEY);
    } catch (_e) {
      // Storage may be off (some file:// settings); then the system decides.
    }
    return theme === "light" || theme === "dark" ? theme : null;
  };

  const currentTheme = () => (root.dataset.theme === "dark" ? "dark" : "light");

  const toggle = document.querySelector(".theme-toggle");

  const labelToggle = () => {
    if (!toggle) return;
    const next = currentTheme() === "dark" ? "light" : "dark";
    toggle.setAttribute("aria-label", `Switch to ${next} mode`);
    toggle.setAttribute("title", `Switch to ${next} mode`);
  };

  const setTheme = (theme, remember) => {
    root.dataset.theme = theme;
    if (remember) {
      try {
        localStorage.setItem(THEME_KEY, theme);
      } catch (_e) {
        // The choice then lasts for this page only.
      }
    }
    labelToggle();
    document.dispatchEvent(new CustomEvent("lr-book-theme", { detail: { theme } }));
  };

  toggle?.addEventListener("click", () => {
    setTheme(currentTheme() === "dark" ? "light" : "dark", true);
  });
  media.addEventListener("change", (event) => {
    if (storedTheme() === null) setTheme(event.matches ? "dark" : "light", false);
  });
  globalThis.addEventListener("storage", (event) => {
    if (event.key === THEME_KEY) setTheme(storedTheme() ?? (media.matches ? "dark" : "light"));
  });
  labelToggle();
  // Paper is white: a page read in the dark theme prints in the light one.
  // Paper shows everything: what is folded away is unfolded while printing.
  let printedFrom = null;
  let unfolded = [];
  globalThis.addEventListener("beforeprint", () => {
    printedFrom = root.dataset.theme;
    root.dataset.theme = "light";
    unfolded = [...document.querySelectorAll("main details:not([open])")];
    for (const d of unfolded) d.open = true;
  });
  globalThis.addEventListener("afterprint", () => {
    if (printedFrom) root.dataset.theme = printedFrom;
    printedFrom = null;
    for (const d of unfolded) d.open = false;
    unfolded = [];
  });

  // ---- a link to what is folded away unfolds it ----

  const reveal = (hash) => {
    if (!hash || hash.length < 2) return;
    let target = null;
    try {
      target = document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (_e) {
      return;
    }
    for (let d = target?.closest("details"); d; d = d.parentElement?.closest("details")) {
      d.open = true;
    }
    if (target?.closest("details")) target.scrollIntoView();
  };
  reveal(location.hash);
  globalThis.addEventListener("hashchange", () => reveal(location.hash));
  document.addEventListener("click", (event) => {
    const a = event.target instanceof Element ? event.target.closest("a[href^='#']") : null;
    if (a && a.hash === location.hash) reveal(a.hash); // the same anchor again: no hashchange
  });

  // ---- the chapter menu on narrow screens ----

  const menu = document.querySelector(".menu-toggle");
  const scrim = document.querySelector(".scrim");

  const openMenu = (open) => {
    document.body.classList.toggle("nav-open", open);
    menu?.setAttribute("aria-expanded", open ? "true" : "false");
    if (scrim) scrim.hidden = !open;
  };

  menu?.addEventListener("click", () => openMenu(!document.body.classList.contains("nav-open")));
  scrim?.addEventListener("click", () => openMenu(false));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") openMenu(false);
  });
  for (const link of document.querySelectorAll(".sidebar a")) {
    link.addEventListener("click", () => openMenu(false));
  }

  // ---- copy buttons ----

  const copyText = (text) => {
    if (navigator.clipboard && globalThis.isSecureContext) {
      // The clipboard API can refuse (no permission, say); the old way may still work.
      return navigator.clipboard.writeText(text).catch(() => copyBySelection(text));
    }
    return copyBySelection(text);
  };

  const copyBySelection = (text) => {
    const focused = document.activeElement;
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_e) {
      ok = false;
    }
    area.remove();
    focused?.focus?.(); // keyboard users stay where they were
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  };

  /** Copy `text`, say so on `button` for a moment, then put `label` back. */
  const copyWithFeedback = (text, button, label) => {
    copyText(text).then(
      () => {
        button.textContent = "Copied";
        button.classList.add("copied");
      },
      () => {
        button.textContent = "Select and copy";
      },
    );
    setTimeout(() => {
      button.textContent = label;
      button.classList.remove("copied");
    }, 1600);
  };

  for (const button of document.querySelectorAll(".code-block .copy")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const code = button.parentElement.querySelector("code");
      copyWithFeedback(code ? code.textContent : "", button, "Copy");
    });
  }

  // ---- figures ----

  const cssVar = (name) => getComputedStyle(root).getPropertyValue(name).trim();

  /** The colours and font of the current theme, for Plotly. */
  const plotTheme = () => ({
    ink: cssVar("--ink"),
    soft: cssVar("--ink-soft"),
    muted: cssVar("--muted"),
    grid: cssVar("--plot-grid"),
    zero: cssVar("--plot-zero"),
    raised: cssVar("--bg-raised"),
    rule: cssVar("--rule-strong"),
    font: getComputedStyle(document.body).fontFamily,
    palette: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => cssVar(`--plot-${i}`)),
  });

  // Plotly reads a few HTML tags in labels; the book's names are plain text.
  const plotText = (text) =>
    String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  /** `color` (`#rgb`, `#rrggbb` or `rgb(...)`) at opacity `alpha`, for a band's fill. */
  const translucent = (color, alpha) => {
    const hex = color.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
    if (hex) {
      const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
      return `rgba(${r}, ${g}, ${b}, ${alpha})`;
    }
    const rgb = color.match(/^rgba?\(([^,]+),([^,]+),([^,)]+)/);
    return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : color;
  };

  /** Plotly's name of a panel's left (`y`) or right (`y2`) axis: y, y2, y3, ... */
  const axisName = (panel, axis) => {
    const n = panel * 2 + (axis === "y2" ? 2 : 1);
    return n === 1 ? "y" : `y${n}`;
  };

  const layoutKey = (name) => (name === "y" ? "yaxis" : `yaxis${name.slice(1)}`);

  const baseAxis = (theme, title, format) => ({
    title: { text: plotText(title), font: { size: 12, color: theme.soft } },
    gridcolor: theme.grid,
    zerolinecolor: theme.zero,
    linecolor: theme.rule,
    tickcolor: theme.rule,
    tickfont: { size: 11, color: theme.muted },
    automargin: true,
    ...(format ? { tickformat: format } : {}),
  });

  /** Whether a figure `width` pixels wide is on a phone's column. */
  const isNarrow = (width) => width < 520;

  /**
   * The legend's rows below the plot: its entries (a swatch and the name, at about 0.55 em a
   * character) packed into the width, as Plotly packs a horizontal legend.
   */
  const legendRows = (names, width, fontSize) => {
    if (names.length <= 1) return 0;
    let rows = 1, x = 0;
    for (const name of names) {
      const w = 46 + Math.ceil(String(name).length * fontSize * 0.56);
      if (x > 0 && x + w > width - 8) [rows, x] = [rows + 1, 0];
      x += w;
    }
    return rows;
  };

  /** A trace of a spec as Plotly's, on the axes `xaxis` / `yaxis`. */
  const plotTrace = (t, theme, xaxis, yaxis) => {
    const color = t.color === "muted" ? theme.muted : theme.palette[t.color % theme.palette.length];
    const trace = {
      type: "scatter",
      name: plotText(t.name),
      x: t.x,
      y: t.y,
      xaxis,
      yaxis,
      mode: t.markers ? "lines+markers" : "lines",
      line: { color, width: 2, dash: t.dash ?? "solid", shape: t.shape ?? "linear" },
      marker: { color, size: 6, symbol: t.symbol ?? "circle" },
      hovertemplate: `%{y:${t.format}}`,
      connectgaps: false,
      ...(t.group ? { legendgroup: t.group } : {}),
      ...(t.showLegend === false ? { showlegend: false } : {}),
    };
    if (t.context) {
      // Another run, for context: thin, faint, behind, and out of the hover.
      trace.mode = "lines";
      trace.line = { ...trace.line, width: 1 };
      trace.opacity = 0.45;
      trace.hoverinfo = "skip";
      delete trace.hovertemplate;
    }
    if (t.band) {
      // A band's bound: no line, no hover; the upper one fills down to the lower one, which
      // is the trace just before it.
      trace.mode = "lines";
      trace.line = { color, width: 0 };
      trace.hoverinfo = "skip";
      delete trace.hovertemplate;
      if (t.band === "upper") {
        trace.fill = "tonexty";
        trace.fillcolor = translucent(color, 0.2);
      }
    }
    if (t.hidden) trace.visible = "legendonly";
    if (t.hover) {
      trace.text = t.hover.map((lines) => lines.map(plotText).join("<br>"));
      trace.hovertemplate = "%{text}<extra></extra>";
    }
    return trace;
  };

  /** Ticks at whole numbers where x takes whole numbers only. */
  const integerTicks = (spec, axis) => {
    if (spec.xLog) axis.type = "log";
    else if (spec.xInteger) {
      const xs = spec.traces.flatMap((t) => t.x);
      const span = Math.max(...xs) - Math.min(...xs);
      const dtick = span <= 10 ? 1 : span <= 20 ? 2 : span <= 50 ? 5 : null;
      if (dtick !== null) axis.dtick = dtick;
      axis.tickformat = "d";
    }
    return axis;
  };

  /** What every figure's layout has: colours, fonts, hover, and the legend below the plot. */
  const baseLayout = (spec, theme, width, { height, margin }) => {
    const narrow = isNarrow(width);
    const fontSize = narrow ? 11 : 12;
    const names = spec.traces.filter((t) => t.showLegend !== false).map((t) => t.name);
    const rows = legendRows(names, width, fontSize);
    const rowHeight = narrow ? 17 : 20;
    return {
      height: height + rows * rowHeight,
      margin: { ...margin, b: margin.b + rows * rowHeight },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: theme.font, color: theme.ink, size: 12 },
      hovermode: "x unified",
      hoversubplots: "axis",
      hoverlabel: {
        bgcolor: theme.raised,
        bordercolor: theme.rule,
        font: { family: theme.font, color: theme.ink, size: 12 },
      },
      // The legend goes below the plot, clear of the toolbar (which shows on hover, top right),
      // its entries packed in rows (no gap between groups): on a phone it stays a strip.
      legend: {
        orientation: "h",
        x: 0,
        xref: "container",
        y: 0,
        yref: "container",
        xanchor: "left",
        yanchor: "bottom",
        font: { size: fontSize, color: theme.soft },
        bgcolor: "rgba(0,0,0,0)",
        tracegroupgap: 0,
        itemwidth: 30,
      },
      modebar: { bgcolor: "rgba(0,0,0,0)", color: theme.muted, activecolor: theme.ink },
    };
  };

  /** Small multiples (`spec.grid`): the panels in a grid, on the same axes, each titled. */
  const buildGrid = (spec, theme, width) => {
    const narrow = isNarrow(width);
    const n = spec.panels.length;
    // Two columns on a phone (one would make them a long scroll), as many as fit elsewhere.
    const fit = narrow ? 2 : Math.max(1, Math.floor((width - 90) / 120));
    const cols = Math.min(spec.grid.columns, n, fit);
    const rows = Math.ceil(n / cols);
    const rowPx = narrow ? Math.min(spec.grid.rowHeight, 140) : spec.grid.rowHeight;
    const hasY2 = spec.panels.some((p) => p.y2Title);
    const margin = { l: narrow ? 50 : 64, r: hasY2 ? (narrow ? 50 : 66) : 16, t: 44, b: 52 };
    const plotW = Math.max(60, width - margin.l - margin.r), plotH = rows * rowPx;
    const gx = 14 / plotW, gy = 34 / plotH;
    const cw = (1 - gx * (cols - 1)) / cols, rh = (1 - gy * (rows - 1)) / rows;
    const layout = baseLayout(spec, theme, width, { height: plotH + margin.t + margin.b, margin });
    const titleChars = Math.max(8, Math.floor((cw * plotW) / 6.2));
    layout.annotations = [];
    spec.panels.forEach((panel, i) => {
      const col = i % cols, row = Math.floor(i / cols);
      const x = i === 0 ? "x" : `x${i + 1}`, y = axisName(i, "y"), y2 = axisName(i, "y2");
      const left = col * (cw + gx), top = 1 - row * (rh + gy);
      const below = i + cols < n; // a panel under this one shows the x axis' numbers
      const rightmost = col === cols - 1 || i === n - 1;
      layout[i === 0 ? "xaxis" : `xaxis${i + 1}`] = integerTicks(spec, {
        ...baseAxis(theme, below ? "" : spec.xTitle),
        domain: [left, left + cw],
        anchor: y,
        showticklabels: !below,
        ...(i ? { matches: "x" } : {}),
      });
      layout[layoutKey(y)] = {
        ...baseAxis(theme, col === 0 ? panel.yTitle : "", panel.yFormat),
        domain: [Math.max(0, top - rh), top],
        anchor: x,
        showticklabels: col === 0,
        ...(i ? { matches: "y" } : {}),
        ...(panel.yLog ? { type: "log", exponentformat: "power" } : {}),
      };
      if (panel.y2Title) {
        layout[layoutKey(y2)] = {
          ...baseAxis(theme, rightmost ? panel.y2Title : "", panel.y2Format),
          overlaying: y,
          side: "right",
          anchor: x,
          showgrid: false,
          zeroline: false,
          showticklabels: rightmost,
          ...(i ? { matches: "y2" } : {}),
          ...(panel.y2Log ? { type: "log", exponentformat: "power" } : { rangemode: "tozero" }),
        };
      }
      const title = String(panel.title ?? "");
      layout.annotations.push({
        text: plotText(title.length > titleChars ? `${title.slice(0, titleChars - 1)}…` : title),
        xref: `${x} domain`,
        yref: `${y} domain`,
        x: 0,
        y: 1,
        xanchor: "left",
        yanchor: "bottom",
        yshift: 2,
        showarrow: false,
        font: { size: narrow ? 11 : 12, color: theme.ink },
      });
    });
    const data = spec.traces.map((t) =>
      plotTrace(t, theme, t.panel === 0 ? "x" : `x${t.panel + 1}`, axisName(t.panel, t.axis))
    );
    return { data, layout };
  };

  /** A figure spec (lib/site/figures.ts) as Plotly data and layout in `theme`. */
  const buildFigure = (spec, theme, width = 720) => {
    if (spec.grid) return buildGrid(spec, theme, width);
    const panels = spec.panels.length;
    const gap = panels > 1 ? 0.1 : 0;
    const height = (1 - gap * (panels - 1)) / panels;
    const hasY2 = spec.panels.some((p) => p.y2Title);
    const xaxis = integerTicks(spec, {
      ...baseAxis(theme, spec.xTitle),
      anchor: axisName(panels - 1, "y"),
      showspikes: true,
      spikemode: "across",
      spikethickness: 1,
      spikecolor: theme.muted,
      spikedash: "dot",
    });
    const layout = {
      ...baseLayout(spec, theme, width, {
        height: spec.height,
        margin: { l: 64, r: hasY2 ? 70 : 20, t: 30, b: 52 },
      }),
      xaxis,
    };
    spec.panels.forEach((panel, i) => {
      const top = 1 - i * (height + gap);
      layout[layoutKey(axisName(i, "y"))] = {
        ...baseAxis(theme, panel.yTitle, panel.yFormat),
        domain: [Math.max(0, top - height), top],
        anchor: "x",
        ...(panel.yLog ? { type: "log", exponentformat: "power" } : {}),
      };
      if (panel.y2Title) {
        layout[layoutKey(axisName(i, "y2"))] = {
          ...baseAxis(theme, panel.y2Title, panel.y2Format),
          overlaying: axisName(i, "y"),
          side: "right",
          showgrid: false,
          zeroline: false,
          anchor: "x",
          ...(panel.y2Log ? { type: "log", exponentformat: "power" } : { rangemode: "tozero" }),
        };
      }
    });
    const data = spec.traces.map((t) => plotTrace(t, theme, "x", axisName(t.panel, t.axis)));
    return { data, layout };
  };

  const config = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    toImageButtonOptions: { format: "svg" },
  };

  const plots = [];
  for (const element of document.querySelectorAll("figure .plot")) {
    const data = element.parentElement.querySelector("script.plot-data");
    if (data) plots.push({ element, spec: JSON.parse(data.textContent) });
  }

  /** Draw the figures `which` (default all) in the current theme, laid out for their width. */
  const drawAll = (which = plots) => {
    const Plotly = globalThis.Plotly;
    if (Plotly === undefined) return;
    const theme = plotTheme();
    for (const plot of which) {
      const { element, spec } = plot;
      plot.width = element.clientWidth;
      const { data, layout } = buildFigure(spec, theme, plot.width);
      element.style.height = `${layout.height}px`;
      Plotly.react(element, data, layout, {
        ...config,
        displayModeBar: isNarrow(plot.width) ? false : "hover",
      });
    }
  };
  /** The figures whose width is no longer the one they were laid out for. */
  const resized = (within = document) =>
    plots.filter((p) =>
      within.contains(p.element) && Math.abs(p.element.clientWidth - (p.width ?? 0)) > 24
    );

  drawAll();
  // The layout is made for the width (a grid's columns, the legend's rows): a figure whose
  // width changed (a phone turned, a window resized) is laid out again.
  let relayout = 0;
  globalThis.addEventListener("resize", () => {
    clearTimeout(relayout);
    relayout = setTimeout(() => {
      const changed = resized();
      if (changed.length) drawAll(changed);
    }, 150);
  });
  document.addEventListener("lr-book-theme", () => drawAll());

  // ---- what the keyboard reaches: scrollable regions yes, figure toolbars no ----

  /** Regions that may be wider than the column: focusable (to scroll them) only when they are. */
  const SCROLLERS = ".table-wrap, pre, .math-display, .output-text";

  const tableName = (wrap) => {
    const caption = wrap.closest(".table-box")?.querySelector(".table-caption");
    return caption ? caption.textContent.replace(/\s+/g, " ").trim() : "Table";
  };

  const markScrollers = () => {
    for (const button of document.querySelectorAll(".modebar-btn:not([tabindex])")) {
      // Plotly's toolbar works with the mouse; for the keyboard it is six stops per figure.
      button.setAttribute("tabindex", "-1");
    }
    for (const el of document.querySelectorAll(SCROLLERS)) {
      if (el.parentElement?.closest(SCROLLERS)) continue;
      const scrolls = el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1;
      if (scrolls === el.classList.contains("scrolls")) continue;
      el.classList.toggle("scrolls", scrolls);
      if (scrolls) {
        el.setAttribute("tabindex", "0");
        if (el.classList.contains("table-wrap")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", `${tableName(el)} (scrolls sideways)`);
        }
      } else {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    }
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      const end = wrap.scrollWidth - wrap.clientWidth - wrap.scrollLeft;
      wrap.classList.toggle("at-start", wrap.scrollLeft <= 1);
      wrap.classList.toggle("at-end", end <= 1);
    }
  };

  let marking = 0;
  const markSoon = () => {
    if (marking) return;
    marking = requestAnimationFrame(() => {
      marking = 0;
      markScrollers();
    });
  };
  markScrollers();
  globalThis.addEventListener("resize", markSoon);
  document.addEventListener("scroll", (event) => {
    if (event.target instanceof Element && event.target.classList.contains("table-wrap")) {
      markSoon();
    }
  }, true);
  document.addEventListener("toggle", (event) => {
    markSoon(); // a <details> opened: its tables and code may scroll
    // Plots drawn while folded away take their width now: laid out again for it (a grid's
    // columns, a legend's rows), or only resized where the width is what they were drawn for.
    const Plotly = globalThis.Plotly;
    if (Plotly && event.target instanceof HTMLDetailsElement && event.target.open) {
      const changed = resized(event.target);
      drawAll(changed);
      for (const el of event.target.querySelectorAll(".js-plotly-plot")) {
        if (!changed.some((p) => p.element === el)) Plotly.Plots.resize(el);
      }
    }
  }, true);
  // Plotly redraws its hover labels on every mouse move: only a new toolbar matters there.
  const matters = (record) =>
    !(record.target instanceof Element && record.target.closest(".js-plotly-plot")) ||
    [...record.addedNodes].some((n) =>
      n instanceof Element && (n.matches(".modebar-btn") || n.querySelector(".modebar-btn"))
    );
  new MutationObserver((records) => {
    if (records.some(matters)) markSoon();
  }).observe(document.body, { childList: true, subtree: true });

  // ---- "on this page": the entry of what is being read is marked, and kept in view ----

  const pageNav = document.querySelector(".page-nav");
  if (pageNav && "IntersectionObserver" in globalThis) {
    const links = [...pageNav.querySelectorAll("a[href^='#']")];
    const targets = links.map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1))))
      .filter(Boolean);
    const visible = new Set();
    const mark = () => {
      // The first target on screen; else the last one above the screen.
      let current = targets.find((t) => visible.has(t));
      if (!current) {
        const above = targets.filter((t) => t.getBoundingClientRect().top < 0);
        current = above.at(-1) ?? targets[0];
      }
      for (const a of links) {
        const here = current !== undefined && a.hash.slice(1) === current.id;
        a.classList.toggle("active", here);
        if (here) {
          a.setAttribute("aria-current", "location");
          const box = pageNav.getBoundingClientRect(), r = a.getBoundingClientRect();
          if (r.top < box.top || r.bottom > box.bottom) {
            pageNav.scrollTop += r.top - box.top - box.height / 3;
          }
        } else a.removeAttribute("aria-current");
      }
    };
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries) e.isIntersecting ? visible.add(e.target) : visible.delete(e.target);
      mark();
    }, { rootMargin: "-56px 0px -55% 0px" });
    for (const t of targets) observer.observe(t);
  }

  // ---- search: MiniSearch over every section of the book, loaded on first use ----

  const dialog = document.querySelector(".search-dialog");
  const openSearch = document.querySelector(".search-toggle");
  if (dialog && openSearch && typeof dialog.showModal === "function") {
    const input = dialog.querySelector("#search-input");
    const results = dialog.querySelector("#search-results");
    const status = dialog.querySelector("#search-status");
    let engine = null, loading = null;

    /** Load a script beside the page: file:// allows <script src>, not fetch. */
    const script = (src) =>
      new Promise((resolve, reject) => {
        const el = document.createElement("script");
        el.src = src;
        el.onload = resolve;
        el.onerror = () => reject(new Error(`cannot load ${src}`));
        document.head.appendChild(el);
      });

    const load = () => {
      loading ??= script(dialog.dataset.library)
        .then(() => script(dialog.dataset.index))
        .then(() => {
          const { options, index } = globalThis.lrBookSearch;
          engine = globalThis.MiniSearch.loadJS(index, options);
        });
      return loading;
    };

    const escape = (text) =>
      text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

    /** A few words around the first match, the matched words marked. */
    const excerpt = (text, terms) => {
      const lower = text.toLowerCase();
      const at = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
      const start = Math.max(0, (at ?? 0) - 60);
      let piece = (start > 0 ? "…" : "") + text.slice(start, start + 180) +
        (start + 180 < text.length ? "…" : "");
      piece = escape(piece);
      for (const t of [...terms].sort((a, b) => b.length - a.length)) {
        if (t.length < 2) continue;
        const re = new RegExp(`(${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`, "gi");
        piece = piece.replace(re, "<mark>$1</mark>");
      }
      return piece;
    };

    const show = () => {
      const query = input.value.trim();
      results.replaceChildren();
      if (!query) {
        status.textContent = "";
        return;
      }
      if (!engine) {
        status.textContent = "Loading the index…";
        return;
      }
      const found = engine.search(query).slice(0, 12);
      status.textContent = found.length
        ? `${found.length}${found.length === 12 ? "+" : ""} result${found.length === 1 ? "" : "s"}`
        : "Nothing found.";
      for (const hit of found) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = hit.id;
        a.className = "search-hit";
        a.innerHTML = `<span class="search-where">${escape(hit.page)}${
          hit.heading !== hit.page ? ` › ${escape(hit.heading)}` : ""
        }</span><span class="search-text">${excerpt(hit.text, hit.terms)}</span>`;
        li.append(a);
        results.append(li);
      }
    };

    const open = () => {
      if (!dialog.open) dialog.showModal();
      input.focus();
      input.select();
      load().then(show, (error) => {
        status.textContent = `The search index could not be loaded (${error.message}).`;
      });
    };

    openSearch.hidden = false;
    openSearch.addEventListener("click", open);
    input.addEventListener("input", show);
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    results.addEventListener("click", (event) => {
      if (event.target.closest("a")) dialog.close();
    });
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      const hits = [...results.querySelectorAll("a")];
      if (hits.length === 0) return;
      event.preventDefault();
      const at = hits.indexOf(document.activeElement);
      const next = event.key === "ArrowDown"
        ? (at + 1) % hits.length
        : at <= 0
        ? (at === 0 ? -1 : hits.length - 1)
        : at - 1;
      (next < 0 ? input : hits[next]).focus();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        const first = results.querySelector("a");
        if (first) {
          dialog.close();
          location.href = first.href;
        }
      }
    });
    document.addEventListener("keydown", (event) => {
      const typing = event.target instanceof Element &&
        event.target.closest("input, textarea, select, [contenteditable]");
      const shortcut = (event.key === "k" && (event.ctrlKey || event.metaKey)) ||
        (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey);
      if (shortcut) {
        event.preventDefault();
        open();
      }
    });
  }

  // For the schedule playground (lib/playground/client.ts): the same figures, colours and copying.
  globalThis.lrBook = {
    plotTheme,
    plotText,
    theme: currentTheme,
    buildFigure,
    plotConfig: config,
    copyWithFeedback,
  };
})();
