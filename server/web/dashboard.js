// The entry dashboard: sold, admitted and still to come, per gate, the double entries
// (tickets admitted again at a gate that was offline), and admissions per five minutes,
// from GET .../CheckIns (organizer key) every five seconds.

import {api, NetworkError, contractPath, addressFromPath, load, save, clock, keyProblem, el} from './common.js';

const REFRESH_MS = 5000;
const BUCKET_MS = 5 * 60 * 1000;
const MIN_BUCKETS = 12;   // at least an hour on the chart
const MAX_BUCKETS = 36;   // at most the last three hours
const SVG = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);
const state = {settings: load('dashboard'), timer: 0, report: null, contractAt: 0};

// ---- set-up ------------------------------------------------------------------

function configured() {
  return Boolean(state.settings.contract && state.settings.key);
}

function openSetup(message) {
  const f = $('setup-form');
  f.contract.value = state.settings.contract || addressFromPath('/dashboard');
  f.key.value = state.settings.key || '';
  $('setup-cancel').hidden = !configured();
  $('setup-error').textContent = message || '';
  $('setup-error').hidden = !message;
  if (!$('setup').open) $('setup').showModal();
  (f.contract.value ? f.key : f.contract).focus();
}

async function saveSetup(ev) {
  ev.preventDefault();
  const f = $('setup-form');
  const s = {contract: f.contract.value.trim(), key: f.key.value.trim()};
  let problem = '';
  try {
    const res = await api(contractPath(s.contract, 'CheckIns'), {key: s.key});
    if (res.status !== 200) problem = keyProblem(res.status, res.data, 'organizer') || res.data.error || 'The server answered ' + res.status + '.';
  } catch (e) {
    problem = 'The server cannot be reached: check the network, then try again.';
  }
  if (problem) {
    openSetup(problem);
    return;
  }
  state.settings = s;
  save('dashboard', s);
  if (addressFromPath('/dashboard') !== s.contract) history.replaceState(null, '', '/dashboard/' + encodeURIComponent(s.contract));
  $('setup').close();
  state.contractAt = 0;
  refresh();
}

// ---- refreshing ----------------------------------------------------------------

function banner(text, warn) {
  $('banner').textContent = text || '';
  $('banner').hidden = !text;
  $('banner').classList.toggle('warn', Boolean(warn));
}

async function refresh() {
  clearTimeout(state.timer);
  if (!configured()) return;
  const s = state.settings;
  try {
    if (Date.now() - state.contractAt > 60000) {
      const c = await api(contractPath(s.contract));
      if (c.status === 200) {
        showContract(c.data);
        state.contractAt = Date.now();
      }
    }
    const res = await api(contractPath(s.contract, 'CheckIns'), {key: s.key});
    if (res.status === 200) {
      banner('');
      render(res.data);
    } else {
      banner(res.status === 401 || res.status === 403 ? 'Key refused — check set-up' : res.data.error || 'The server answered ' + res.status);
    }
  } catch (e) {
    if (e instanceof NetworkError) banner('Server unreachable — retrying', true);
  }
  state.timer = setTimeout(refresh, REFRESH_MS);
}

function showContract(c) {
  $('venue').textContent = c.venue || 'Entry dashboard';
  const d = c.sale && c.sale.details;
  $('show').textContent = d ? d.name + ' · ' + new Date(d.time * 1000).toLocaleString([], {dateStyle: 'medium', timeStyle: 'short'}) : 'No sale yet';
}

function render(r) {
  state.report = r;
  $('sold').textContent = r.sold;
  $('admitted').textContent = r.admitted;
  $('tocome').textContent = r.toCome;
  $('inside').textContent = r.inside;
  const pct = r.sold ? Math.round((100 * r.admitted) / r.sold) : 0;
  $('share').textContent = pct + '%';
  $('meter-fill').style.width = pct + '%';
  $('updated').textContent = 'Updated ' + clock(new Date());
  renderGates(r);
  renderDoubles(r.doubles || []);
  renderChart(r.checkIns || []);
}

// ---- double entries ----------------------------------------------------------------

// renderDoubles lists the tickets admitted again at a gate that was offline: the seat,
// where and when again (the device's time), where and when first; hidden when none.
function renderDoubles(doubles) {
  $('doubles-panel').hidden = !doubles.length;
  $('doubles-title').textContent = 'Double entries: ' + doubles.length;
  $('doubles').replaceChildren(...doubles.map(doubleRow));
}

function seatText(seat) {
  if (!seat) return '';
  return (seat.section ? seat.section + ' ' : '') + seat.number + (seat.letter || '');
}

function doubleRow(d) {
  const tr = el('tr');
  tr.dataset.gate = d.gate;
  const again = d.gate + (d.device ? ' (' + d.device + ')' : '') + (d.againstPolicy ? ' · against the gate policy' : '');
  tr.append(el('td', '', seatText(d.seat)), el('td', 'gate', again), el('td', 'num', clock(Date.parse(d.at))),
    el('td', 'gate', d.firstGate), el('td', 'num', clock(Date.parse(d.firstAt))));
  return tr;
}

// ---- per gate --------------------------------------------------------------------

function renderGates(r) {
  const last = {};
  for (const c of r.checkIns || []) {
    const t = Date.parse(c.checkedInAt);
    if (!last[c.gate] || t > last[c.gate]) last[c.gate] = t;
  }
  const gates = Object.entries(r.perGate || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  $('gate-note').textContent = gates.length ? gates.length + (gates.length === 1 ? ' gate' : ' gates') : '';
  if (!gates.length) {
    const td = el('td', 'empty', 'No one has come in yet.');
    td.colSpan = 4;
    const tr = el('tr');
    tr.append(td);
    $('gates').replaceChildren(tr);
    return;
  }
  $('gates').replaceChildren(...gates.map(([gate, n]) => gateRow(gate, n, r.admitted, last[gate])));
}

function gateRow(gate, n, total, lastAt) {
  const tr = el('tr');
  tr.dataset.gate = gate;
  const share = total ? Math.round((100 * n) / total) : 0;
  const cell = el('td', 'share-cell');
  const bar = el('div', 'share');
  const meter = el('div', 'meter');
  const fill = el('div');
  fill.style.width = share + '%';
  meter.append(fill);
  bar.append(meter, el('small', '', share + '%'));
  cell.append(bar);
  tr.append(el('td', 'gate', gate), el('td', 'num count', String(n)), cell, el('td', 'num', lastAt ? clock(lastAt) : '–'));
  return tr;
}

// ---- the chart ---------------------------------------------------------------------

// buckets counts admissions per five minutes, from the first (at most MAX_BUCKETS back)
// to now.
function buckets(checkIns) {
  const now = Math.floor(Date.now() / BUCKET_MS);
  let first = now - MIN_BUCKETS + 1;
  for (const c of checkIns) first = Math.min(first, Math.floor(Date.parse(c.checkedInAt) / BUCKET_MS));
  first = Math.max(first, now - MAX_BUCKETS + 1);
  const counts = new Array(now - first + 1).fill(0);
  for (const c of checkIns) {
    const b = Math.floor(Date.parse(c.checkedInAt) / BUCKET_MS) - first;
    if (b >= 0 && b < counts.length) counts[b]++;
  }
  return {first, counts};
}

function niceMax(n) {
  for (const step of [4, 8, 20, 40, 100, 200, 400, 1000, 2000, 4000, 10000]) if (n <= step) return step;
  return Math.ceil(n / 10000) * 10000;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function renderChart(checkIns) {
  const box = $('chart');
  const W = Math.max(300, box.clientWidth || 600);
  const H = 240;
  const pad = {l: 34, r: 8, t: 16, b: 24};
  const {first, counts} = buckets(checkIns);
  const max = niceMax(Math.max(1, ...counts));
  const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none'});
  const ih = H - pad.t - pad.b;
  const iw = W - pad.l - pad.r;
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + ih - (ih * i) / 4;
    s.append(svg('line', {class: 'grid', x1: pad.l, x2: W - pad.r, y1: y, y2: y}),
      svg('text', {class: 'axis', x: pad.l - 6, y: y + 4, 'text-anchor': 'end'}, String((max * i) / 4)));
  }
  const slot = iw / counts.length;
  const every = Math.ceil(counts.length / Math.max(1, Math.floor(iw / 56)));
  counts.forEach((n, i) => {
    const x = pad.l + i * slot;
    const h = (ih * n) / max;
    if (n) {
      s.append(svg('rect', {class: i === counts.length - 1 ? 'bar now' : 'bar', x: x + slot * 0.15, y: pad.t + ih - h, width: slot * 0.7, height: h, rx: 2}));
      if (slot >= 16) s.append(svg('text', {class: 'value', x: x + slot / 2, y: pad.t + ih - h - 4, 'text-anchor': 'middle'}, String(n)));
    }
    if (i % every === 0) {
      s.append(svg('text', {class: 'axis', x: x + slot / 2, y: H - 6, 'text-anchor': 'middle'}, hhmm((first + i) * BUCKET_MS)));
    }
  });
  if (!checkIns.length) s.append(svg('text', {class: 'empty', x: pad.l + iw / 2, y: pad.t + ih / 2, 'text-anchor': 'middle'}, 'No admissions yet'));
  const total = counts.reduce((a, b) => a + b, 0);
  box.setAttribute('aria-label', 'Admissions per 5 minutes: ' + total + ' in the ' + counts.length * 5 + ' minutes shown');
  $('chart-note').textContent = 'last ' + (counts.length * 5 >= 120 ? counts.length * 5 / 60 + ' h' : counts.length * 5 + ' min') + ' · peak ' + Math.max(...counts);
  box.replaceChildren(s);
}

function hhmm(ms) {
  return new Date(ms).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', hour12: false});
}

// ---- start -------------------------------------------------------------------------

$('setup-form').addEventListener('submit', saveSetup);
$('setup-cancel').addEventListener('click', () => $('setup').close());
$('setup').addEventListener('cancel', (e) => { if (!configured()) e.preventDefault(); });
$('open-setup').addEventListener('click', () => openSetup());
window.addEventListener('resize', () => state.report && renderChart(state.report.checkIns || []));

const fromPath = addressFromPath('/dashboard');
if (fromPath && fromPath !== state.settings.contract) {
  state.settings = {contract: fromPath, key: state.settings.key || ''};
}
if (configured()) refresh();
else openSetup();
