#!/usr/bin/env node
// Renders the preview images of the SOC Actions workbook (Solutions/SOC Actions/Workbooks/SOCActions.json)
// from sample data: it makes a week of sample SOCActions_CL rows, computes each workbook panel's
// aggregation as its KQL does (the same filters, groupings and percentiles), draws the panels in the
// workbook's layout in light and dark themes, and screenshots them with headless Chromium.
//
// Needs Node 20, Debian's chromium (/usr/bin/chromium) and playwright-core installed outside the
// repository, e.g.:  npm install --prefix ~/.cache/soc-actions/render playwright-core@1.65.1
// Run:  NODE_PATH=~/.cache/soc-actions/render/node_modules node scripts/render-workbook-preview.js
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const out = path.join(__dirname, "..", "Solutions", "SOC Actions", "Workbooks", "Images", "Preview");
const workbook = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "Solutions", "SOC Actions", "Workbooks", "SOCActions.json"), "utf8"));
const titles = {};
workbook.items.forEach(item => { if (item.type === 3) titles[item.name] = item.content.title; });

// ---- sample rows (deterministic) ----
let seed = 19;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = list => list[Math.floor(rnd() * list.length)];
const END = Date.parse("2026-12-05T12:00:00Z");
const START = END - 7 * 24 * 3600e3;
const providers = ["defender", "panos", "edl", "entra-named-location"];
const guardrails = ["private_range", "critical_asset", "protected", "too_broad", "public_suffix", "allow_list"];
const ips = Array.from({ length: 40 }, (_, i) => `185.220.${100 + (i % 5)}.${10 + i}`);
const domains = ["login-micros0ft.example", "invoice-portal.example", "cdn-update.example", "dropbox-share.example", "okta-verify.example"];
const rows = [];
for (let t = START; t < END; t += 20 * 60e3) {
  const hour = new Date(t).getUTCHours();
  const busy = hour >= 7 && hour <= 18 ? 3 : 1;
  for (let k = 0; k < busy; k++) {
    const at = t + rnd() * 20 * 60e3;
    const r = rnd();
    if (r < 0.55) {
      const isIp = rnd() < 0.75;
      const indicator = isIp ? pick(ips) : pick(domains);
      const status = rnd() < 0.8 ? "blocked" : rnd() < 0.6 ? "refused" : rnd() < 0.5 ? "failed" : "already_active";
      rows.push({ TimeGenerated: at, Operation: "BlockIndicators", Provider: isIp ? pick(providers) : pick(providers.slice(0, 3)), Indicator: indicator, IndicatorType: isIp ? "ip" : "domain", Status: status, Guardrail: status === "refused" ? pick(guardrails) : null, ExpiresAt: status === "blocked" ? at + pick([24, 24, 48, 168]) * 3600e3 : null, RequestedBy: pick(["alice@contoso.com", "bob@contoso.com", "playbook Block-Indicators"]) });
    } else if (r < 0.62) {
      rows.push({ TimeGenerated: at, Operation: "AllowIndicators", Provider: pick(["defender", "edl"]), Indicator: pick(domains), IndicatorType: "domain", Status: "allowed", ExpiresAt: at + 72 * 3600e3 });
    } else if (r < 0.7) {
      rows.push({ TimeGenerated: at, Operation: pick(["DisableAccounts", "DisableAccounts", "RevokeSessions", "ConfirmCompromised", "EnableAccounts"]), Provider: "entra-id", Account: `user${Math.floor(rnd() * 30)}@contoso.com`, Status: rnd() < 0.85 ? "done" : "refused" });
    } else if (r < 0.85) {
      const system = pick(["servicenow", "jira"]);
      const direction = rnd() < 0.7 ? "outbound" : "inbound";
      const failed = rnd() < 0.04;
      rows.push({ TimeGenerated: at, Operation: direction === "outbound" ? "SyncTicket" : "TicketInbound", Provider: system, TicketSystem: system, Direction: direction, Status: failed ? "failed" : direction === "outbound" ? pick(["created", "updated", "unchanged"]) : pick(["applied", "unchanged"]), DurationMs: Math.round(300 + rnd() * (system === "jira" ? 1800 : 900)) });
    } else {
      const partial = rnd() < 0.08;
      rows.push({ TimeGenerated: at, Operation: "EnrichIncident", Status: partial ? "partial" : "enriched", EntityCount: 2 + Math.floor(rnd() * 25), DurationMs: Math.round(400 + rnd() * 2500 + (partial ? 30000 : 0)) });
    }
  }
}
rows.filter(x => x.Status === "done").forEach(x => { x.Status = { DisableAccounts: "disabled", RevokeSessions: "revoked", ConfirmCompromised: "confirmed", EnableAccounts: "enabled" }[x.Operation]; });

// ---- the panels' aggregations, as their KQL computes them ----
const count = (list, key) => list.reduce((m, x) => (m[key(x)] = (m[key(x)] || 0) + 1, m), {});
const percentile = (values, p) => { const s = [...values].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)] : 0; };
const GRAIN = 6 * 3600e3;
const bin = t => Math.floor(t / GRAIN) * GRAIN;
const done = ["blocked", "already_active", "allowed", "unblocked", "expired", "disabled", "enabled", "revoked", "confirmed", "created", "updated", "applied", "enriched"];
const tiles = count(rows, x => done.includes(x.Status) ? "done" : x.Status === "refused" ? "refused" : x.Status === "failed" ? "failed" : "other");
const series = {};
rows.filter(x => (x.Operation === "BlockIndicators" && x.Status === "blocked") || (x.Operation === "AllowIndicators" && x.Status === "allowed"))
  .forEach(x => { const s = `${x.Operation === "BlockIndicators" ? "block" : "allow"} on ${x.Provider}`; (series[s] = series[s] || {}); series[s][bin(x.TimeGenerated)] = (series[s][bin(x.TimeGenerated)] || 0) + 1; });
const refusals = Object.entries(count(rows.filter(x => x.Status === "refused" && x.Guardrail), x => x.Guardrail)).sort((a, b) => b[1] - a[1]);
const latest = {};
rows.filter(x => x.Indicator && ((["BlockIndicators", "AllowIndicators"].includes(x.Operation) && ["blocked", "already_active", "allowed"].includes(x.Status))))
  .forEach(x => { const k = x.Indicator + "|" + x.Provider; if (!latest[k] || latest[k].TimeGenerated < x.TimeGenerated) latest[k] = x; });
const expiring = Object.values(latest).filter(x => x.ExpiresAt && x.ExpiresAt > END).sort((a, b) => a.ExpiresAt - b.ExpiresAt).slice(0, 8)
  .map(x => [iso(x.ExpiresAt), x.Indicator, x.IndicatorType, x.Provider, x.Operation === "BlockIndicators" ? "block" : "allow", x.RequestedBy || ""]);
const byIndicator = {};
rows.filter(x => x.Indicator).forEach(x => { const k = x.Indicator; const v = byIndicator[k] = byIndicator[k] || { Indicator: k, Type: x.IndicatorType, Decisions: 0, Blocked: 0, Refused: 0, Failed: 0 }; v.Decisions++; if (x.Status === "blocked") v.Blocked++; if (x.Status === "refused") v.Refused++; if (x.Status === "failed") v.Failed++; });
const top = Object.values(byIndicator).sort((a, b) => b.Decisions - a.Decisions).slice(0, 8).map(v => [v.Indicator, v.Type, v.Decisions, v.Blocked, v.Refused, v.Failed]);
const accountGroups = {};
rows.filter(x => ["DisableAccounts", "EnableAccounts", "RevokeSessions", "ConfirmCompromised"].includes(x.Operation)).forEach(x => { const k = x.Operation + "|" + x.Status; const v = accountGroups[k] = accountGroups[k] || { accounts: new Set(), n: 0 }; v.accounts.add(x.Account); v.n++; });
const accounts = Object.entries(accountGroups).sort().map(([k, v]) => [...k.split("|"), v.accounts.size, v.n]);
const ticketGroups = {};
rows.filter(x => ["SyncTicket", "TicketInbound"].includes(x.Operation)).forEach(x => { const k = x.TicketSystem + "|" + x.Direction; (ticketGroups[k] = ticketGroups[k] || []).push(x); });
const tickets = Object.entries(ticketGroups).sort().map(([k, list]) => { const failed = list.filter(x => x.Status === "failed").length; return [...k.split("|"), list.length, list.filter(x => x.Status === "created").length, list.filter(x => ["updated", "applied"].includes(x.Status)).length, failed, (100 * failed / list.length).toFixed(1), percentile(list.map(x => x.DurationMs), 95)]; });
const enrich = rows.filter(x => x.Operation === "EnrichIncident");
const enrichBins = {};
enrich.forEach(x => { (enrichBins[bin(x.TimeGenerated)] = enrichBins[bin(x.TimeGenerated)] || []).push(x); });
const enrichCalls = { Calls: {}, Entities: {} };
const latency = { p50: {}, p95: {} };
Object.entries(enrichBins).forEach(([b, list]) => { enrichCalls.Calls[b] = list.length; enrichCalls.Entities[b] = list.reduce((s, x) => s + x.EntityCount, 0); latency.p50[b] = percentile(list.map(x => x.DurationMs), 50); latency.p95[b] = percentile(list.map(x => x.DurationMs), 95); });
function iso(t) { return new Date(Math.floor(t / 60e3) * 60e3).toISOString().slice(0, 16).replace("T", " "); }

// ---- drawing ----
const palette = ["#0078d4", "#e8590c", "#2f9e44", "#ae3ec9", "#1098ad", "#f08c00", "#c92a2a", "#5c7cfa"];
function lineChart(data, w, h) {
  const names = Object.keys(data).sort();
  const xs = []; for (let b = bin(START); b <= bin(END - 1); b += GRAIN) xs.push(b);
  const max = Math.max(1, ...names.flatMap(n => xs.map(x => data[n][x] || 0)));
  const px = i => 40 + i * (w - 60) / (xs.length - 1), py = v => h - 30 - v * (h - 50) / max;
  let svg = `<svg width="${w}" height="${h}"><g class="axis"><line x1="40" y1="${h - 30}" x2="${w - 20}" y2="${h - 30}"/><line x1="40" y1="10" x2="40" y2="${h - 30}"/></g>`;
  [0, 0.5, 1].forEach(f => svg += `<text class="tick" x="34" y="${py(max * f) + 4}" text-anchor="end">${Math.round(max * f)}</text>`);
  xs.forEach((x, i) => { if (i % 4 === 0) svg += `<text class="tick" x="${px(i)}" y="${h - 12}" text-anchor="middle">${new Date(x).toISOString().slice(5, 10)}</text>`; });
  names.forEach((n, k) => { svg += `<polyline fill="none" stroke="${palette[k % 8]}" stroke-width="2" points="${xs.map((x, i) => px(i) + "," + py(data[n][x] || 0)).join(" ")}"/>`; });
  svg += "</svg>";
  return svg + `<div class="legend">${names.map((n, k) => `<span><i style="background:${palette[k % 8]}"></i>${n}</span>`).join("")}</div>`;
}
function barChart(entries, w) {
  const max = Math.max(...entries.map(e => e[1]));
  return entries.map(([k, v], i) => `<div class="bar"><span class="label">${k}</span><span class="fill" style="width:${Math.round(v / max * (w - 200))}px;background:${palette[i % 8]}"></span><span class="value">${v}</span></div>`).join("");
}
function table(head, body) {
  return `<table><tr>${head.map(h => `<th>${h}</th>`).join("")}</tr>${body.map(r => `<tr>${r.map(c => `<td>${c}</td>`).join("")}</tr>`).join("")}</table>`;
}
const panel = (name, html, width) => `<section style="width:${width}"><h3>${titles[name]}</h3>${html}</section>`;
function page(theme) {
  const dark = theme === "dark";
  const css = `body{margin:0;padding:16px;font:13px "Segoe UI",Arial,sans-serif;background:${dark ? "#1b1a19" : "#fff"};color:${dark ? "#f3f2f1" : "#323130"}}
  h2{margin:4px 0 6px;font-size:20px}p.intro{margin:0 0 10px;max-width:1100px}
  .params{display:flex;gap:10px;margin-bottom:12px}.pill{border:1px solid ${dark ? "#605e5c" : "#c8c6c4"};border-radius:14px;padding:3px 12px}
  .grid{display:flex;flex-wrap:wrap;gap:12px}section{box-sizing:border-box;border:1px solid ${dark ? "#3b3a39" : "#edebe9"};padding:10px;border-radius:2px}
  h3{margin:0 0 8px;font-size:14px}.tiles{display:flex;gap:12px}.tile{flex:1;padding:10px;border-left:4px solid #0078d4;background:${dark ? "#252423" : "#f3f2f1"}}
  .tile b{display:block;font-size:24px}.axis line{stroke:${dark ? "#8a8886" : "#a19f9d"}}.tick{fill:${dark ? "#c8c6c4" : "#605e5c"};font-size:10px}
  .legend span{margin-right:14px;font-size:11px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
  .bar{display:flex;align-items:center;margin:4px 0}.bar .label{width:120px}.bar .fill{height:14px;margin-right:6px}
  table{border-collapse:collapse;width:100%;font-size:12px}th{text-align:left;border-bottom:1px solid ${dark ? "#605e5c" : "#c8c6c4"};padding:3px 6px}td{padding:3px 6px;border-bottom:1px solid ${dark ? "#323130" : "#f3f2f1"}}`;
  const tileHtml = `<div class="tiles">${Object.entries(tiles).sort((a, b) => b[1] - a[1]).map(([k, v]) => `<div class="tile">${k}<b>${v}</b></div>`).join("")}</div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>
  <h2>SOC Actions decisions</h2><p class="intro">${workbook.items[0].content.json.split("\n")[1].replace(/\*\*/g, "")} <i>(sample data)</i></p>
  <div class="params"><span class="pill">Time range: Last 7 days</span><span class="pill">Provider: All</span></div>
  <div class="grid">
  ${panel("decision-tiles", tileHtml, "100%")}
  ${panel("blocks-over-time", lineChart(series, 880, 230), "66%")}
  ${panel("refusals-by-guardrail", barChart(refusals, 420), "calc(34% - 12px)")}
  ${panel("expiring-next", table(["ExpiresAt", "Indicator", "Type", "Provider", "Action", "RequestedBy"], expiring), "calc(50% - 6px)")}
  ${panel("top-indicators", table(["Indicator", "Type", "Decisions", "Blocked", "Refused", "Failed"], top), "calc(50% - 6px)")}
  ${panel("account-actions", table(["Operation", "Status", "Accounts", "Decisions"], accounts), "calc(50% - 6px)")}
  ${panel("ticket-sync-health", table(["TicketSystem", "Direction", "Syncs", "Created", "Updated", "Failed", "FailureRate", "P95DurationMs"], tickets), "calc(50% - 6px)")}
  ${panel("enrichment-volume", lineChart(enrichCalls, 640, 200), "calc(50% - 6px)")}
  ${panel("enrichment-latency", lineChart(latency, 640, 200), "calc(50% - 6px)")}
  </div></body></html>`;
}

(async () => {
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  for (const [theme, file] of [["light", "SOCActionsWhite.png"], ["dark", "SOCActionsBlack.png"]]) {
    const tab = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await tab.setContent(page(theme));
    await tab.screenshot({ path: path.join(out, file), fullPage: true });
    await tab.close();
    console.log("wrote", path.join(out, file), "from", rows.length, "sample rows");
  }
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
