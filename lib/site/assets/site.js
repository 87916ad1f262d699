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

  /** A figure spec (lib/site/figures.ts) as Plotly data and layout in `theme`. */
  const buildFigure = (spec, theme) => {
    const panels = spec.panels.length;
    const gap = panels > 1 ? 0.1 : 0;
    const height = (1 - gap * (panels - 1)) / panels;
    const hasY2 = spec.panels.some((p) => p.y2Title);
    const xaxis = {
      ...baseAxis(theme, spec.xTitle),
      anchor: axisName(panels - 1, "y"),
      showspikes: true,
      spikemode: "across",
      spikethickness: 1,
      spikecolor: theme.muted,
      spikedash: "dot",
    };
    if (spec.xLog) xaxis.type = "log";
    else if (spec.xInteger) {
      const xs = spec.traces.flatMap((t) => t.x);
      const span = Math.max(...xs) - Math.min(...xs);
      const dtick = span <= 10 ? 1 : span <= 20 ? 2 : span <= 50 ? 5 : null;
      if (dtick !== null) xaxis.dtick = dtick;
      xaxis.tickformat = "d";
    }
    const layout = {
      height: spec.height,
      margin: { l: 64, r: hasY2 ? 70 : 20, t: 44, b: 52 },
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
      legend: {
        orientation: "h",
        x: 0,
        y: 1.02,
        xanchor: "left",
        yanchor: "bottom",
        font: { size: 12, color: theme.soft },
        bgcolor: "rgba(0,0,0,0)",
      },
      modebar: { bgcolor: "rgba(0,0,0,0)", color: theme.muted, activecolor: theme.ink },
      xaxis,
    };
    spec.panels.forEach((panel, i) => {
      const top = 1 - i * (height + gap);
      layout[layoutKey(axisName(i, "y"))] = {
        ...baseAxis(theme, panel.yTitle, panel.yFormat),
        domain: [Math.max(0, top - height), top],
        anchor: "x",
        ...(panel.yLog ? { type: "log" } : {}),
      };
      if (panel.y2Title) {
        layout[layoutKey(axisName(i, "y2"))] = {
          ...baseAxis(theme, panel.y2Title, panel.y2Format),
          overlaying: axisName(i, "y"),
          side: "right",
          showgrid: false,
          zeroline: false,
          rangemode: "tozero",
          anchor: "x",
        };
      }
    });
    const data = spec.traces.map((t) => {
      const color = t.color === "muted"
        ? theme.muted
        : theme.palette[t.color % theme.palette.length];
      const trace = {
        type: "scatter",
        name: plotText(t.name),
        x: t.x,
        y: t.y,
        xaxis: "x",
        yaxis: axisName(t.panel, t.axis),
        mode: t.markers ? "lines+markers" : "lines",
        line: { color, width: 2, dash: t.dash ?? "solid" },
        marker: { color, size: 5 },
        hovertemplate: `%{y:${t.format}}`,
        connectgaps: false,
        ...(t.group ? { legendgroup: t.group } : {}),
        ...(t.showLegend === false ? { showlegend: false } : {}),
      };
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
    });
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

  const drawAll = () => {
    const Plotly = globalThis.Plotly;
    if (Plotly === undefined) return;
    const theme = plotTheme();
    for (const { element, spec } of plots) {
      const { data, layout } = buildFigure(spec, theme);
      const narrow = element.clientWidth < 520;
      Plotly.react(element, data, layout, { ...config, displayModeBar: narrow ? false : "hover" });
    }
  };

  drawAll();
  document.addEventListener("lr-book-theme", drawAll);

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
