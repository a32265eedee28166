// The live dashboard's page and script, as strings: served by the query server with uPlot's files
// from its npm package, so nothing is built at run time. The script polls /dashboard.json each
// second and charts per dataType the records answered per second and the p50/p99 scoring time per
// record over each interval: the difference of two successive latency histograms (cumulative in
// the statistics) is the histogram of that interval alone.
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>modelstream serving</title>
<link rel="stylesheet" href="/dashboard/uPlot.min.css">
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.3em; margin: 0 0 .3em; }
  h2 { font-size: 1.1em; margin: 1.2em 0 .3em; }
  table { border-collapse: collapse; margin: .3em 0; }
  td, th { border: 1px solid #ccc; padding: .2em .6em; text-align: left; }
  .muted { color: #777; }
  button { margin-left: .6em; }
</style>
</head>
<body>
<h1>modelstream serving <span id="instance" class="muted"></span></h1>
<div id="summary"></div>
<div id="datatypes"></div>
<script src="/dashboard/uPlot.iife.min.js"></script>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;

export const DASHBOARD_SCRIPT = `'use strict';
const KEEP = 300; // points per chart: 5 minutes at one a second
const series = new Map(); // dataType -> { t: [], rate: [], p50: [], p99: [], last, chart, el }
// The statistics' latency buckets: four per doubling from 0.1 µs (topologies/serving/latency-histogram.ts).
const bucketUs = (b) => 0.1 * Math.pow(2, (Number(b) + 0.5) / 4);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const pct = (x) => (x === null || x === undefined ? '–' : (100 * x).toFixed(1) + '%');

function addInto(out, h, sign) {
  for (const [k, n] of Object.entries(h || {})) out[k] = (out[k] || 0) + sign * n;
  return out;
}

// What answered: the champion and the split models, their counts and latency buckets together.
function totals(current) {
  let invocations = current.invocations;
  const latency = addInto({}, current.latency, 1);
  for (const r of current.roles || []) if (r.role === 'split') { invocations += r.invocations; addInto(latency, r.latency, 1); }
  return { invocations, latency };
}

function quantileUs(h, q) {
  const buckets = Object.entries(h).filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [b, n] of buckets) if ((seen += n) >= Math.max(1, Math.ceil(q * total))) return bucketUs(b);
  return null;
}

function section(view) {
  let s = series.get(view.dataType);
  if (!s) {
    const el = document.createElement('div');
    el.className = 'datatype';
    el.innerHTML = '<h2></h2><div class="models"></div><div class="chart"></div>';
    document.getElementById('datatypes').appendChild(el);
    const chart = new uPlot({
      width: 720, height: 220, title: 'records/s answered, and p50 / p99 µs per record',
      series: [{}, { label: 'records/s', stroke: '#2a6', scale: 'r' }, { label: 'p50 µs', stroke: '#36c', scale: 'us' }, { label: 'p99 µs', stroke: '#c40', scale: 'us' }],
      // Latency on a log scale: a p99 can be a hundred times the p50.
      scales: { us: { distr: 3 } },
      axes: [{}, { scale: 'r' }, { scale: 'us', side: 1, size: 70, grid: { show: false } }],
    }, [[], [], [], []], el.querySelector('.chart'));
    s = { t: [], rate: [], p50: [], p99: [], last: undefined, chart, el };
    series.set(view.dataType, s);
  }
  return s;
}

function render(view, s) {
  const c = view.current;
  s.el.querySelector('h2').textContent = 'dataType ' + view.dataType;
  const rows = ['<tr><th>model</th><th>role</th><th>type</th><th>since</th><th>scored</th><th>mean ms</th><th>p50 / p99 ms</th><th>agreement</th><th>errors / skipped</th></tr>'];
  const mean = (m) => (m.invocations ? (m.duration / m.invocations).toFixed(4) : '–');
  const ms = (x) => (x === null || x === undefined ? '–' : x.toPrecision(2));
  const tail = (m) => '<td class="pct">' + ms(m.p50) + ' / ' + ms(m.p99) + '</td>';
  rows.push('<tr class="champion"><td>' + esc(c.name) + '</td><td>champion</td><td>' + esc(c.modelType) + '</td><td>' + (c.since ? new Date(c.since).toLocaleTimeString() : '–') + '</td><td>' + c.invocations + '</td><td>' + mean(c) + '</td>' + tail(c) + '<td></td><td>skipped ' + (c.skipped || 0) + '</td></tr>');
  for (const r of c.roles || []) {
    const role = r.role === 'split' ? 'split (weight ' + r.weight + ')' : 'shadow';
    rows.push('<tr class="role"><td>' + esc(r.name) + '</td><td>' + role + '</td><td>' + esc(r.modelType) + '</td><td>' + new Date(r.since).toLocaleTimeString() + '</td><td>' + r.invocations + '</td><td>' + mean(r) + '</td>' + tail(r) + '<td>' + (r.role === 'shadow' ? pct(r.agreement) : '') + '</td><td>' + (r.role === 'shadow' ? r.errors + ' / ' + r.skipped : '') + '</td></tr>');
  }
  const history = view.history.map((h) => esc(h.name) + ' (' + h.end + (h.loadError ? ': ' + esc(h.loadError.message) : '') + ')').join(', ');
  s.el.querySelector('.models').innerHTML = '<table>' + rows.join('') + '</table>'
    + '<div class="muted">history: ' + (history || 'none') + (view.canRollBack ? ' <button data-rollback="' + esc(view.dataType) + '">roll back</button>' : '') + '</div>'
    + (c.lastError ? '<div class="muted">last load error: ' + esc(c.lastError.message) + '</div>' : '');
}

function sample(view, s, now) {
  const { invocations, latency } = totals(view.current);
  // A new model restarts its counts: that interval is not charted.
  if (s.last && now > s.last.now && invocations >= s.last.invocations) {
    const n = invocations - s.last.invocations;
    const interval = addInto(addInto({}, latency, 1), s.last.latency, -1);
    const chart = s.el.querySelector('.chart');
    s.t.push(now / 1000);
    s.rate.push(n / ((now - s.last.now) / 1000));
    s.p50.push(n > 0 ? quantileUs(interval, 0.5) : null);
    s.p99.push(n > 0 ? quantileUs(interval, 0.99) : null);
    for (const a of [s.t, s.rate, s.p50, s.p99]) if (a.length > KEEP) a.shift();
    s.chart.setData([s.t, s.rate, s.p50, s.p99]);
    // What a reader (or a test) can count and read.
    chart.dataset.points = String(s.t.length);
    if (n > 0) chart.dataset.p99 = String(s.p99[s.p99.length - 1]);
  }
  s.last = { now, invocations, latency };
}

async function poll() {
  try {
    const d = await (await fetch('/dashboard.json')).json();
    document.getElementById('instance').textContent = d.host + ':' + d.port + ' (' + d.topology + ', ' + d.state + ')';
    const bad = Object.entries(d.badInput || {}).map(([k, v]) => esc(k) + ' ' + v).join(', ');
    document.getElementById('summary').innerHTML = 'instances: ' + d.instances.map((i) => esc(i.host + ':' + i.port)).join(', ')
      + '<br>records processed: ' + d.processed + '<br>skipped as bad input: ' + (bad || 'none');
    const now = Date.now();
    for (const view of d.dataTypes) {
      const s = section(view);
      render(view, s);
      sample(view, s, now);
    }
  } catch (err) {
    document.getElementById('summary').textContent = 'cannot read /dashboard.json: ' + err;
  }
}

document.addEventListener('click', async (e) => {
  const dataType = e.target && e.target.getAttribute && e.target.getAttribute('data-rollback');
  if (dataType) await fetch('/models/' + encodeURIComponent(dataType) + '/rollback', { method: 'POST' });
});
poll();
setInterval(poll, 1000);
`;
