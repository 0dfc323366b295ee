// Hearth's dashboard: polls the orchestrator API every few seconds and draws what it answers. No build step, nothing
// fetched from elsewhere. A 401 asks once for a key, kept in this tab's sessionStorage and sent as a bearer token.
"use strict";
(function () {
  const KEY = "hearth.dashboard.key";
  const REFRESH_MS = Number(new URLSearchParams(location.search).get("refresh")) || 5000;
  const state = { by: "model", timer: null, waitingForKey: false, refreshes: 0, charts: {}, lastError: null };
  window.hearthDashboard = state; // for people and tests: the charts, how many refreshes have completed
  const $ = (id) => document.getElementById(id);
  const testid = (name) => document.querySelector(`[data-testid="${name}"]`);

  class Unauthorized extends Error {}

  async function api(path) {
    const headers = { accept: "application/json" };
    const key = sessionStorage.getItem(KEY);
    if (key) headers.authorization = "Bearer " + key;
    const res = await fetch(path, { headers });
    if (res.status === 401) throw new Unauthorized(await errorText(res));
    if (!res.ok) throw new Error(path + ": " + await errorText(res));
    return res.json();
  }

  async function errorText(res) {
    try { const b = await res.json(); return (b.error && b.error.message) || res.statusText; }
    catch (e) { return res.status + " " + res.statusText; }
  }

  function askForKey(message) {
    state.waitingForKey = true;
    sessionStorage.removeItem(KEY);
    $("main").hidden = true;
    $("key-form").hidden = false;
    $("key-error").textContent = message && sessionStorage.getItem(KEY + ".tried") ? message : "";
    $("key-input").focus();
    setStatus("Waiting for an API key");
  }

  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const key = $("key-input").value.trim();
    if (!key) return;
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(KEY + ".tried", "1");
    $("key-input").value = "";
    $("key-form").hidden = true;
    $("main").hidden = false;
    $("forget-key").hidden = false;
    state.waitingForKey = false;
    refresh();
  });
  $("forget-key").addEventListener("click", () => { sessionStorage.removeItem(KEY); location.reload(); });
  $("refresh").addEventListener("click", () => refresh());
  $("forget-key").hidden = !sessionStorage.getItem(KEY);

  document.querySelectorAll("[data-by]").forEach((b) => b.addEventListener("click", () => {
    state.by = b.dataset.by;
    document.querySelectorAll("[data-by]").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
    refresh();
  }));
  $("trace-close").addEventListener("click", () => { $("trace").hidden = true; });

  function setStatus(text, bad) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("bad", !!bad);
  }

  // dollars to the micro-dollar, trailing zeros dropped to the cent: $4.999862, $5.00, $0.000138
  const usd = (v) => v === null || v === undefined ? "none set"
    : "$" + Number(v).toFixed(6).replace(/(\.\d\d\d*?)0+$/, "$1");
  function money(el, v) { el.dataset.value = v === null || v === undefined ? "" : String(v); el.textContent = usd(v); }
  function count(el, v) { el.dataset.value = String(v); el.textContent = String(v); }
  function ms(el, v) { el.dataset.value = v === null ? "" : String(v); el.textContent = v === null ? "–" : v + " ms"; }
  const pct = (x) => (100 * x).toFixed(1) + "%";
  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }
  function rows(tbody, items, fill) {
    tbody.replaceChildren(...items.map((item) => { const tr = document.createElement("tr"); fill(tr, item); return tr; }));
  }

  async function refresh() {
    if (state.waitingForKey) return;
    clearTimeout(state.timer);
    try {
      const month = new Date().toISOString().slice(0, 7);
      const [spend, days, stats, calls, host] = await Promise.all([
        api(`/v1/hearth/spend?month=${month}&by=${state.by}`), api(`/v1/hearth/spend?month=${month}&by=day`),
        api("/v1/hearth/stats?minutes=60"), api("/v1/hearth/calls?last=25"), api("/v1/hearth/host")]);
      drawSpend(spend, days);
      drawStats(stats);
      drawCalls(calls.calls);
      drawHost(host);
      state.refreshes++;
      state.lastError = null;
      setStatus("Updated " + new Date().toLocaleTimeString() + "; refreshes every " + REFRESH_MS / 1000 + " s");
    } catch (e) {
      if (e instanceof Unauthorized) { askForKey(e.message); return; }
      state.lastError = String(e.message || e);
      setStatus("Could not refresh: " + state.lastError, true);
    }
    state.timer = setTimeout(refresh, REFRESH_MS);
  }

  function drawSpend(spend, days) {
    const today = new Date().toISOString().slice(0, 10);
    const todayRow = days.rows.find((r) => r.key === today);
    money(testid("spend-today"), todayRow ? todayRow.cost_usd : 0);
    money(testid("spend-month"), spend.spend_usd);
    money(testid("budget"), spend.budget_usd);
    money(testid("remaining"), spend.remaining_usd);
    money(testid("savings"), spend.savings_usd);
    $("spend-caption").textContent = `Spend by ${spend.by} in ${spend.month}`;
    rows($("spend-rows"), spend.rows, (tr, r) => {
      tr.dataset.testid = "spend-row";
      tr.dataset.key = r.key;
      cell(tr, r.key || "(none)");
      cell(tr, String(r.calls));
      cell(tr, String(r.input_tokens));
      cell(tr, String(r.output_tokens));
      cell(tr, usd(r.cost_usd)).dataset.value = String(r.cost_usd);
      cell(tr, usd(r.baseline_usd));
    });
    // burn-down: each day of the month, what is left of the budget (or the month's spend so far without one)
    const [y, m] = spend.month.split("-").map(Number);
    const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const byDay = Object.fromEntries(days.rows.map((r) => [r.key, Number(r.cost_usd)]));
    const x = [], line = [];
    let spent = 0;
    const dayToday = Number(today.slice(8, 10));
    for (let d = 1; d <= daysInMonth; d++) {
      const key = `${spend.month}-${String(d).padStart(2, "0")}`;
      spent += byDay[key] || 0;
      x.push(Date.UTC(y, m - 1, d) / 1000);
      line.push(d > dayToday && spend.month === today.slice(0, 7) ? null
        : spend.budget_usd === null ? spent : Math.max(0, Number(spend.budget_usd) - spent));
    }
    // and from today on, where the current rate (this month's spend per day so far) takes it
    const rate = Number(spend.spend_usd) / Math.max(1, dayToday);
    const current = spend.month === today.slice(0, 7);
    const projected = x.map((_, i) => !current || i + 1 < dayToday ? null : spend.budget_usd === null
      ? Number(spend.spend_usd) + rate * (i + 1 - dayToday)
      : Math.max(0, Number(spend.remaining_usd) - rate * (i + 1 - dayToday)));
    chart("burn", [x, line, projected], [
      { label: spend.budget_usd === null ? "spent ($)" : "budget left ($)", stroke: "#b4471f" },
      { label: "at this rate ($)", stroke: "#5b6270", dash: [6, 4] }]);
    const runsOut = testid("runs-out");
    if (spend.budget_usd === null) runsOut.textContent = "no budget set";
    else if (rate <= 0) runsOut.textContent = "not at this rate";
    else {
      const left = Number(spend.remaining_usd) / rate;
      const date = new Date(Date.now() + left * 86400000).toISOString().slice(0, 10);
      runsOut.textContent = date > `${spend.month}-${String(daysInMonth).padStart(2, "0")}` ? "not this month (" + date + ")" : date;
    }
  }

  function drawStats(stats) {
    const t = stats.totals, s = stats.series;
    count(testid("calls-total"), t.calls);
    count(testid("errors-total"), t.errors);
    count(testid("fallbacks-total"), t.fallbacks);
    testid("local-share").textContent = t.local + t.remote === 0 ? "–" : pct(t.local_share);
    testid("local-share").dataset.value = String(t.local_share);
    ms(testid("ttft-p50"), t.ttft_p50_ms);
    ms(testid("ttft-p95"), t.ttft_p95_ms);
    ms(testid("itl-p50"), t.itl_p50_ms);
    ms(testid("itl-p95"), t.itl_p95_ms);
    chart("calls", [s.t, s.calls], [{ label: "calls", stroke: "#3b6fd8" }]);
    chart("ttft", [s.t, s.ttft_p50_ms, s.ttft_p95_ms], [{ label: "p50", stroke: "#2e7d32" }, { label: "p95", stroke: "#b4471f" }]);
    chart("itl", [s.t, s.itl_p50_ms, s.itl_p95_ms], [{ label: "p50", stroke: "#2e7d32" }, { label: "p95", stroke: "#b4471f" }]);
    chart("errors", [s.t, s.errors, s.fallbacks], [{ label: "errors", stroke: "#b3261e" }, { label: "fallbacks", stroke: "#8a6d00" }]);
    chart("share", [s.t, s.local, s.remote], [{ label: "local", stroke: "#2e7d32" }, { label: "remote", stroke: "#3b6fd8" }]);
    const p = stats.privacy;
    count(testid("privacy-refused"), p.refused);
    count(testid("privacy-redactions"), p.redactions);
    kindList("privacy-kinds", p.redacted, "nothing redacted");
    kindList("privacy-refused-kinds", p.refused_kinds, "nothing refused");
  }
  function kindList(id, counts, none) {
    const kinds = Object.entries(counts || {});
    $(id).replaceChildren(...(kinds.length === 0 ? [li(none)]
      : kinds.map(([k, n]) => { const e = li(`${k}: ${n}`); e.dataset.kind = k; e.dataset.value = String(n); return e; })));
  }
  function li(text) { const e = document.createElement("li"); e.textContent = text; return e; }

  function chart(name, data, series) {
    const el = $("chart-" + name);
    const existing = state.charts[name];
    if (existing && existing.series.length === series.length + 1) { existing.setData(data); return; }
    if (existing) existing.destroy();
    const opts = {
      width: Math.max(300, el.clientWidth || 400), height: 180,
      series: [{}].concat(series.map((s) => Object.assign({ width: 2, spanGaps: false, points: { show: true, size: 5 } }, s))),
      axes: [{}, { size: 70, values: (u, vals) => vals.map((v) => v === null ? "" : Number(v.toPrecision(6)).toString()) }],
      legend: { show: true },
    };
    state.charts[name] = new uPlot(opts, data, el);
  }
  window.addEventListener("resize", () => Object.entries(state.charts).forEach(([name, u]) => {
    const w = $("chart-" + name).clientWidth;
    if (w > 0) u.setSize({ width: w, height: 180 });
  }));

  function drawCalls(calls) {
    rows($("call-rows"), calls, (tr, c) => {
      tr.dataset.testid = "call-row";
      tr.dataset.id = c.id;
      cell(tr, new Date(c.started_at).toLocaleTimeString());
      cell(tr, c.model);
      cell(tr, `${c.route}: ${c.reason}`, "reason");
      cell(tr, `${c.input_tokens} / ${c.output_tokens}`);
      cell(tr, usd(c.cost_usd)).dataset.value = String(c.cost_usd);
      cell(tr, c.total_ms === null ? "–" : c.total_ms + " ms" + (c.ttft_ms === null ? "" : ` (first token ${c.ttft_ms} ms)`));
      cell(tr, c.outcome + (c.fallback_hops > 0 ? `, ${c.fallback_hops} fallback` : ""), c.outcome === "ok" ? "" : "bad");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Trace";
      b.setAttribute("aria-label", `Trace of call ${c.id}`);
      b.addEventListener("click", () => showTrace(c.id));
      tr.appendChild(document.createElement("td")).appendChild(b);
    });
  }

  async function showTrace(id) {
    try {
      const t = await api("/v1/hearth/calls/" + encodeURIComponent(id));
      $("trace-h").textContent = `Trace of ${id} (${t.call.model}, ${t.call.outcome})`;
      $("trace-events").replaceChildren(...t.events.map((e) => {
        const item = li(`${e.at} ${e.name} `);
        const attrs = document.createElement("code");
        attrs.textContent = Object.entries(e.attributes).map(([k, v]) => `${k}=${v}`).join("  ");
        item.appendChild(attrs);
        return item;
      }));
      $("trace").hidden = false;
      $("trace").focus();
    } catch (e) {
      if (e instanceof Unauthorized) askForKey(e.message); else setStatus("Could not read the trace: " + e.message, true);
    }
  }

  function drawHost(host) {
    const now = Date.parse(host.now);
    rows($("loaded-rows"), host.loaded, (tr, m) => {
      tr.dataset.testid = "loaded-row";
      cell(tr, m.id);
      cell(tr, m.device);
      const dev = host.devices.find((d) => d.device === m.device) || host.devices[0];
      const td = cell(tr, "");
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.setAttribute("role", "img");
      const share = dev && dev.capacity_bytes > 0 ? m.total_bytes / dev.capacity_bytes : 0;
      bar.setAttribute("aria-label", `${mib(m.total_bytes)} of ${dev ? mib(dev.capacity_bytes) : "?"}`);
      const fill = document.createElement("span");
      fill.style.width = Math.min(100, 100 * share).toFixed(1) + "%";
      bar.appendChild(fill);
      td.append(bar, " " + mib(m.total_bytes) + (m.gpu_bytes > 0 ? ` (${mib(m.gpu_bytes)} GPU)` : ""));
      cell(tr, m.expires_at === null ? (m.leases > 0 ? "in use" : "kept") : countdown(Date.parse(m.expires_at) - now));
      cell(tr, String(m.slots));
      cell(tr, String(m.waiting));
    });
    if (host.loaded.length === 0) rows($("loaded-rows"), [null], (tr) => { cell(tr, "no model loaded").colSpan = 6; });
    rows($("circuit-rows"), host.circuits, (tr, c) => {
      cell(tr, c.model);
      cell(tr, c.local ? "local" : "remote");
      cell(tr, c.state, c.state === "closed" ? "" : "bad");
      cell(tr, c.failure_rate === null ? "too few calls" : pct(c.failure_rate));
      cell(tr, String(c.calls));
    });
    rows($("endpoint-rows"), host.endpoints || [], (tr, e) => {
      tr.dataset.testid = "endpoint-row";
      cell(tr, e.model);
      cell(tr, e.endpoint);
      cell(tr, e.state, e.state === "healthy" ? "" : "bad");
      cell(tr, String(e.outstanding));
      cell(tr, String(e.requests));
      cell(tr, String(e.failures));
    });
    if (!host.endpoints || host.endpoints.length === 0) {
      rows($("endpoint-rows"), [null], (tr) => { cell(tr, "no pool of servers called yet").colSpan = 6; });
    }
  }
  const mib = (b) => (b / 1048576).toFixed(0) + " MiB";
  function countdown(msLeft) {
    if (msLeft <= 0) return "unloading";
    const s = Math.round(msLeft / 1000);
    return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
  }

  refresh();
})();
