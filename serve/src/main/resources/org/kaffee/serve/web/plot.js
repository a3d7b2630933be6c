// Line charts as SVG, hand-written so the dashboard needs nothing from the network.
"use strict";
const Plot = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function ticks(lo, hi, n) {
    if (!(hi > lo)) return [lo];
    const raw = (hi - lo) / n;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(t);
    return out;
  }

  function label(v) {
    return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(+v.toPrecision(4));
  }

  /** series: [{name, xs, ys}]; returns an <svg> whose data-points counts the points drawn. */
  function lines(title, series, opts = {}) {
    const W = opts.width || 460, H = opts.height || 260, L = 56, R = 12, T = 26, B = 34;
    const svg = el("svg", {width: W, height: H, class: "chart"});
    el("text", {x: L, y: 16, "font-weight": "bold"}, svg).textContent = title;
    const pts = series.flatMap(s => s.xs.map((x, i) => [x, s.ys[i]])).filter(p => p[1] !== null && isFinite(p[1]));
    svg.setAttribute("data-points", pts.length);
    if (pts.length === 0) {
      el("text", {x: L, y: H / 2}, svg).textContent = "no points yet";
      return svg;
    }
    let x0 = Math.min(...pts.map(p => p[0])), x1 = Math.max(...pts.map(p => p[0]));
    let y0 = Math.min(...pts.map(p => p[1])), y1 = Math.max(...pts.map(p => p[1]));
    if (x1 === x0) x1 = x0 + 1;
    if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
    const sx = x => L + (x - x0) / (x1 - x0) * (W - L - R);
    const sy = y => H - B - (y - y0) / (y1 - y0) * (H - T - B);
    for (const t of ticks(y0, y1, 5)) {
      el("line", {x1: L, x2: W - R, y1: sy(t), y2: sy(t), stroke: "#eee"}, svg);
      el("text", {x: L - 4, y: sy(t) + 4, "text-anchor": "end"}, svg).textContent = label(t);
    }
    for (const t of ticks(x0, x1, 6)) {
      el("text", {x: sx(t), y: H - B + 14, "text-anchor": "middle"}, svg).textContent = label(t);
    }
    el("text", {x: W - R, y: H - 4, "text-anchor": "end"}, svg).textContent = opts.xLabel || "iterations";
    el("rect", {x: L, y: T, width: W - L - R, height: H - T - B, fill: "none", stroke: "#999"}, svg);
    series.forEach((s, k) => {
      const colour = COLOURS[k % COLOURS.length];
      const d = s.xs.map((x, i) => [x, s.ys[i]]).filter(p => p[1] !== null && isFinite(p[1]))
        .map((p, i) => (i ? "L" : "M") + sx(p[0]).toFixed(1) + " " + sy(p[1]).toFixed(1)).join(" ");
      el("path", {d, fill: "none", stroke: colour, "stroke-width": 1.5}, svg);
      el("text", {x: W - R - 4, y: T + 14 + 13 * k, "text-anchor": "end", fill: colour}, svg).textContent = s.name;
    });
    return svg;
  }

  /** One bar per category from zero up to its count (a histogram). */
  function bars(title, names, counts, opts = {}) {
    const W = opts.width || 460, H = opts.height || 220, L = 56, R = 12, T = 26, B = 34;
    const svg = el("svg", {width: W, height: H, class: "chart"});
    el("text", {x: L, y: 16, "font-weight": "bold"}, svg).textContent = title;
    svg.setAttribute("data-points", counts.length);
    const top = Math.max(1, ...counts);
    const sy = y => H - B - y / top * (H - T - B);
    for (const t of ticks(0, top, 4)) {
      el("line", {x1: L, x2: W - R, y1: sy(t), y2: sy(t), stroke: "#eee"}, svg);
      el("text", {x: L - 4, y: sy(t) + 4, "text-anchor": "end"}, svg).textContent = label(t);
    }
    const slot = (W - L - R) / Math.max(1, counts.length);
    counts.forEach((c, i) => {
      el("rect", {x: L + i * slot + slot * 0.1, y: sy(c), width: slot * 0.8, height: sy(0) - sy(c), fill: COLOURS[0]}, svg);
      el("text", {x: L + (i + 0.5) * slot, y: H - B + 14, "text-anchor": "middle"}, svg).textContent = names[i];
    });
    el("text", {x: W - R, y: H - 4, "text-anchor": "end"}, svg).textContent = opts.xLabel || "";
    return svg;
  }

  return {lines, bars};
})();
