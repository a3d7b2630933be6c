// The dashboard's pages: hash routes over the JSON API, everything drawn in the page.
"use strict";
const TOKEN = new URLSearchParams(location.search).get("token");
const page = document.getElementById("page");
let timer = null;

function url(path, params = {}) {
  const q = new URLSearchParams(params);
  if (TOKEN) q.set("token", TOKEN);
  const s = q.toString();
  return path + (s ? "?" + s : "");
}

async function api(path, params, init) {
  const r = await fetch(url(path, params), init);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function link(text, route, params) {
  return h("a", {href: "#" + route + "?" + new URLSearchParams(params)}, text);
}

function fail(e) {
  page.append(h("p", {class: "error", id: "error"}, e.message));
}

function table(headers, rows) {
  return h("table", {}, h("tr", {}, ...headers.map(x => h("th", {}, x))),
    ...rows.map(r => h("tr", {}, ...r.map(c => h("td", {}, c)))));
}

// ---- runs -------------------------------------------------------------------

async function runsPage() {
  page.replaceChildren(h("h1", {}, "Training runs"));
  const runs = await api("/api/runs");
  page.append(runs.length ? table(["log", "size", "last written"], runs.map(r =>
    [link(r.log, "/run", {log: r.log}), (r.bytes / 1024).toFixed(1) + " KiB", new Date(r.modified).toLocaleString()]))
    : h("p", {}, "No training logs (*.log) under the runs directory yet."));
}

function column(t, name) {
  const i = t.columns.indexOf(name);
  return i < 0 ? null : t.rows.map(r => r[i]);
}

function curves(run) {
  const tr = run.train, te = run.test;
  const it = column(tr, "NumIters") || [], tit = column(te, "NumIters") || [];
  const loss = [], acc = [];
  for (const c of tr.columns.filter(c => !["NumIters", "Seconds", "LearningRate"].includes(c))) {
    (/acc/i.test(c) ? acc : loss).push({name: "train " + c, xs: it, ys: column(tr, c)});
  }
  for (const c of te.columns.filter(c => !["NumIters", "Seconds", "LearningRate"].includes(c))) {
    (/acc/i.test(c) ? acc : loss).push({name: "test " + c, xs: tit, ys: column(te, c)});
  }
  const lr = [{name: "lr", xs: it, ys: column(tr, "LearningRate") || []}];
  return h("div", {class: "charts"},
    h("div", {id: "chart-loss"}, Plot.lines("loss", loss)),
    h("div", {id: "chart-accuracy"}, Plot.lines("accuracy", acc)),
    h("div", {id: "chart-lr"}, Plot.lines("learning rate", lr)));
}

async function runPage(params) {
  const log = params.get("log");
  const draw = async () => {
    const run = await api("/api/run", {log});
    const last = run.train.rows.length ? run.train.rows[run.train.rows.length - 1][0] : 0;
    page.replaceChildren(h("h1", {}, "Run " + run.log),
      h("p", {class: "stats"},
        h("span", {id: "iteration"}, "iteration " + last + (run.maxIter ? " of " + run.maxIter : "")),
        h("span", {id: "speed"}, run.speed ? run.speed.toFixed(2) + " it/s" : "speed: not yet"),
        h("span", {id: "eta"}, run.finished ? "finished" : run.eta ? "ETA " + run.eta : "")),
      curves(run),
      h("h2", {}, "Snapshots"),
      run.snapshots.length ? h("ul", {}, ...run.snapshots.map(s => h("li", {}, s))) : h("p", {}, "none yet"),
      h("h2", {}, "Solver"), h("pre", {id: "solver"}, run.solver || "(not in the log)"));
    if (!run.finished) timer = setTimeout(() => draw().catch(fail), 1000);
  };
  await draw();
}

// ---- models -----------------------------------------------------------------

async function modelsPage() {
  page.replaceChildren(h("h1", {}, "Models"));
  const m = await api("/api/models");
  if (!m.nets.length) {
    page.append(h("p", {}, "No deploy nets (a .prototxt with an Input layer) under the runs directory."));
    return;
  }
  page.append(table(["deploy net", "open with weights"], m.nets.map(n => [n,
    h("span", {}, ...[""].concat(m.weights).map(w => h("span", {}, link(w || "(fillers)", "/model", {net: n, weights: w}), " ")))])));
}

async function modelPage(params) {
  const net = params.get("net"), weights = params.get("weights") || "";
  page.replaceChildren(h("h1", {}, "Model " + net + (weights ? " with " + weights : "")));
  const result = h("div", {id: "result"});
  const form = h("form", {id: "classify"},
    h("input", {type: "file", id: "image", name: "image", accept: "image/*"}),
    h("label", {}, "scale ", h("input", {id: "scale", name: "scale", value: "1", size: 10})),
    h("label", {}, "mean value ", h("input", {id: "mean_value", name: "mean_value", size: 10})),
    h("button", {type: "submit", id: "classify-button"}, "Classify"));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const data = new FormData(form);
    data.set("net", net);
    data.set("weights", weights);
    result.replaceChildren("classifying...");
    try {
      const r = await api("/api/model/classify", {}, {method: "POST", body: data});
      result.replaceChildren(
        h("ol", {id: "top5"}, ...r.top.map(t => h("li", {}, t.label + " (" + (100 * t.probability).toFixed(1) + " %)"))),
        h("div", {class: "maps"}, ...r.maps.map(m => h("figure", {},
          h("img", {class: "picture", src: m.png}), h("figcaption", {}, m.blob + " " + m.shape)))));
    } catch (e) {
      result.replaceChildren(h("p", {class: "error"}, e.message));
    }
  });
  page.append(h("h2", {}, "Classify one"), form, result, h("h2", {}, "Graph"),
    h("img", {class: "picture", id: "graph", src: url("/api/model/graph.svg", {net}), alt: "net graph (needs Graphviz)"}));
  const layers = await api("/api/model/layers", {net, weights});
  page.append(h("h2", {}, "Layers"), table(["layer", "type", "top shape", "parameters"],
    layers.map(l => [l.name, l.type, l.top, l.params])));
  for (const l of layers.filter(l => l.filters)) {
    page.append(h("h2", {}, "Filters of " + l.name),
      h("img", {class: "picture", src: url("/api/model/filters.png", {net, weights, layer: l.name})}));
  }
}

// ---- datasets ---------------------------------------------------------------

async function datasetsPage() {
  page.replaceChildren(h("h1", {}, "Datasets"));
  const dbs = await api("/api/datasets");
  page.append(dbs.length ? table(["database", "backend"], dbs.map(d => [link(d.db, "/dataset", {db: d.db}), d.backend]))
    : h("p", {}, "No LMDB or LevelDB databases under the runs directory."));
}

async function datasetPage(params) {
  const db = params.get("db");
  page.replaceChildren(h("h1", {}, "Dataset " + db), h("p", {}, "reading..."));
  const d = await api("/api/dataset", {db});
  const labels = Object.keys(d.labels);
  page.replaceChildren(h("h1", {}, "Dataset " + db),
    h("p", {id: "records"}, d.records + " records of " + d.shape.join("x") + " (" + d.backend + ")"),
    h("h2", {}, "Labels"),
    Plot.bars("records per label", labels, labels.map(k => d.labels[k]), {xLabel: "label"}),
    table(["label", "records"], labels.map(k => [k, d.labels[k]])),
    h("h2", {}, "First images"), h("img", {class: "picture", src: url("/api/dataset/samples.png", {db})}),
    h("h2", {}, "Mean image"), h("img", {class: "picture", src: url("/api/dataset/mean.png", {db})}));
}

// ---- routing ----------------------------------------------------------------

const ROUTES = {"/runs": runsPage, "/run": runPage, "/models": modelsPage, "/model": modelPage,
  "/datasets": datasetsPage, "/dataset": datasetPage};

function route() {
  clearTimeout(timer);
  const [path, query] = (location.hash.slice(1) || "/runs").split("?");
  (ROUTES[path] || runsPage)(new URLSearchParams(query || "")).catch(fail);
}
window.addEventListener("hashchange", route);
route();
