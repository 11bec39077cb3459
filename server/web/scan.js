// The gate scanner: camera frames, a keyboard-wedge field and photo uploads all end in
// one submit() that checks the ticket in and shows the verdict full-screen.
//
// Camera frames are decoded by the server (POST /api/v1.0/decode, the project's Go
// decoder) a few times a second; only decoded QR text is checked in, once, with a fresh
// nonce, so retries after a network failure cannot admit twice or count twice.

import {api, NetworkError, contractPath, addressFromPath, load, save, clock, nonce, keyProblem, el} from './common.js';
import {playOutcome, unlockAudio} from './sound.js';
import {verdictView} from './verdict.js';
import {OfflineGate} from './gate-copy.js';

const FRAME_EVERY_MS = 250;   // four frames a second while nothing is in flight
const FRAME_SIDE = 640;        // the central square of the frame, scaled down to this
const SAME_QR_MS = 3000;       // the same code in view again within this is not resubmitted...
const SAME_QR_MISSES = 3;      // ...nor before this many frames were read without it
const SHOW_MS = {admit: 2500, already: 3500, reject: 3500, partial: 5000, unchecked: 4000, identity: 5000};
const CHECK_DEADLINE_MS = 5000;          // a check-in not answered within this is NOT CHECKED
const RETRY_NONCE_MS = 10 * 60 * 1000;   // a code scanned again this soon after NOT CHECKED keeps its nonce
const COUNTS_EVERY_MS = 10000;
const OFFLINE_AFTER_S = 1.5;             // with a gate copy, a check-in not answered within this is decided here
const SYNC_EVERY_MS = 15000;             // the gate copy follows the sale this often
const UPLOAD_EVERY_MS = 3000;            // admissions made offline are offered to the server this often

const $ = (id) => document.getElementById(id);
const ui = {
  video: $('video'), cameraState: $('camera-state'), cameraSelect: $('camera-select'), torch: $('torch'),
  upload: $('upload'), wedgeForm: $('wedge-form'), wedge: $('wedge'), wedgeState: $('wedge-state'),
  banner: $('banner'), result: $('result'), toast: $('toast'), recent: $('recent'),
  setup: $('setup'), setupForm: $('setup-form'), setupError: $('setup-error'),
};

const state = {
  settings: load('scan'),
  stream: null, track: null, timer: 0, frames: 0, codes: 0,
  lastText: '', lastSeen: 0, misses: 0,
  scanId: 0, checking: null, unchecked: null,
  resultTimer: 0, seq: 0, outcomes: [],
  problems: {},
  gate: null, // the OfflineGate: copy and queue of this set-up
};

// ---- set-up ----------------------------------------------------------------

function address() {
  return state.settings.contract || '';
}

function configured() {
  const s = state.settings;
  return Boolean(s.contract && s.gate && s.key);
}

function openSetup(message) {
  ui.setupForm.contract.value = address() || addressFromPath('/scan');
  ui.setupForm.gate.value = state.settings.gate || '';
  ui.setupForm.key.value = state.settings.key || '';
  ui.setupForm.offlineAfter.value = String(offlineAfterS());
  $('setup-cancel').hidden = !configured();
  showSetupError(message || '');
  if (!ui.setup.open) ui.setup.showModal();
  const first = [ui.setupForm.contract, ui.setupForm.gate, ui.setupForm.key].find((i) => !i.value);
  (first || $('setup-save')).focus();
}

function showSetupError(text) {
  ui.setupError.textContent = text;
  ui.setupError.hidden = !text;
}

async function saveSetup(ev) {
  ev.preventDefault();
  unlockAudio();
  const s = {
    contract: ui.setupForm.contract.value.trim(),
    gate: ui.setupForm.gate.value.trim(),
    key: ui.setupForm.key.value.trim(),
    camera: state.settings.camera,
    offlineAfter: offlineSetting(ui.setupForm.offlineAfter.value),
  };
  $('setup-save').disabled = true;
  showSetupError('');
  const problem = await checkSetup(s);
  $('setup-save').disabled = false;
  if (problem) {
    showSetupError(problem);
    return;
  }
  state.settings = s;
  state.checking = state.unchecked = null; // an answer for the old set-up is shown to nobody
  checkingShown(false);
  save('scan', s);
  if (addressFromPath('/scan') !== s.contract) history.replaceState(null, '', '/scan/' + encodeURIComponent(s.contract));
  ui.setup.close();
  start();
}

// checkSetup asks the server about the contract and the key; it returns what is wrong.
async function checkSetup(s) {
  try {
    const c = await api(contractPath(s.contract));
    if (c.status !== 200) return keyProblem(c.status, c.data, 'scanner') || 'The server answered ' + c.status + '.';
    const g = await api(contractPath(s.contract, 'GateCounts') + '?gate=' + encodeURIComponent(s.gate), {key: s.key});
    if (g.status !== 200) return keyProblem(g.status, g.data, 'scanner') || g.data.error || 'The server answered ' + g.status + '.';
    if (g.data.gate) s.gate = g.data.gate; // the ledger's spelling of a gate already used
    showContract(c.data);
    showCounts(g.data);
  } catch (e) {
    return 'The server cannot be reached: check the network, then try again.';
  }
  return '';
}

function showContract(c) {
  $('venue').textContent = c.venue || 'Ticketbooth gate';
  const sale = c.sale && c.sale.details;
  $('show').textContent = sale ? sale.name : 'No sale yet';
}

// ---- problems: the banner ----------------------------------------------------

// problem sets or clears one kind of trouble; the banner shows the worst one.
function problem(kind, text) {
  if (text) state.problems[kind] = text;
  else delete state.problems[kind];
  const order = ['key', 'contract', 'offline', 'queue'];
  const k = order.find((x) => state.problems[x]);
  ui.banner.hidden = !k;
  ui.banner.textContent = k ? state.problems[k] : '';
}

// answered records what an answer says about the key and the contract; it returns true
// when the answer is usable.
function answered(res) {
  problem('offline', '');
  if (state.gate && state.gate.waiting && res.status < 500) uploadQueue();
  if (res.status === 401 || res.status === 403) {
    problem('key', 'Key refused — check set-up');
    return false;
  }
  problem('key', '');
  if (res.status === 404) {
    problem('contract', 'Unknown contract — check set-up');
    return false;
  }
  problem('contract', '');
  return true;
}

function offline() {
  const g = state.gate;
  problem('offline', g && g.ready() && offlineAfterS() ? 'Offline — ' + waitingText(g.waiting) + ' waiting to upload' : 'Server unreachable — tickets cannot be checked');
}

// ---- counts ----------------------------------------------------------------

async function refreshCounts() {
  if (!configured()) return;
  try {
    const res = await api(contractPath(address(), 'GateCounts') + '?gate=' + encodeURIComponent(state.settings.gate), {key: state.settings.key});
    if (answered(res) && res.status === 200) showCounts(res.data);
  } catch (e) {
    if (e instanceof NetworkError) offline();
  }
}

function showCounts(c) {
  offerGates(c.gates || []);
  $('count-gate').textContent = c.gateAdmitted;
  $('count-gate-label').textContent = 'in at ' + c.gate;
  $('count-in').textContent = c.admitted;
  $('count-in-label').textContent = 'admitted of ' + c.sold;
  $('count-tocome').textContent = c.toCome;
}

// offerGates lists the contract's gates seen so far in the set-up form; a new name may
// still be typed.
function offerGates(gates) {
  $('known-gates').replaceChildren(...gates.map((g) => {
    const o = el('option');
    o.value = g;
    return o;
  }));
}

// fetchGates fills the gate list as soon as the set-up form has a contract and a key.
async function fetchGates() {
  const contract = ui.setupForm.contract.value.trim();
  const key = ui.setupForm.key.value.trim();
  if (!contract || !key) return;
  try {
    const g = await api(contractPath(contract, 'GateCounts'), {key});
    if (g.status === 200) offerGates(g.data.gates || []);
  } catch (e) {
    // the list is a help only: saving the set-up says what is wrong
  }
}

// ---- the camera --------------------------------------------------------------

function cameraState(text) {
  ui.cameraState.textContent = text;
  ui.cameraState.hidden = !text;
}

async function startCamera(deviceId) {
  stopCamera();
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    cameraState(window.isSecureContext ? 'This browser offers no camera.' :
      'No camera over plain HTTP: open this page over HTTPS (see the README). The barcode scanner and photos still work.');
    return;
  }
  cameraState('Starting the camera…');
  const size = {width: {ideal: 1280}, height: {ideal: 720}};
  const video = deviceId ? {deviceId: {exact: deviceId}, ...size} : {facingMode: {ideal: 'environment'}, ...size};
  try {
    state.stream = await navigator.mediaDevices.getUserMedia({video, audio: false});
  } catch (e) {
    if (deviceId) return startCamera('');
    cameraState(cameraError(e));
    return;
  }
  ui.video.srcObject = state.stream;
  await ui.video.play().catch(() => {});
  state.track = state.stream.getVideoTracks()[0];
  const id = state.track.getSettings().deviceId;
  if (id && id !== state.settings.camera) {
    state.settings.camera = id;
    save('scan', state.settings);
  }
  cameraState('');
  await listCameras(id);
  offerTorch();
  scheduleFrame(0);
}

function cameraError(e) {
  switch (e.name) {
    case 'NotAllowedError': return 'Camera blocked: allow it in the browser\'s site settings, or use a barcode scanner or a photo.';
    case 'NotFoundError': return 'No camera found: use a barcode scanner or a photo.';
    case 'NotReadableError': return 'The camera is busy in another app: close it and reload.';
  }
  return 'The camera did not start (' + e.name + ').';
}

function stopCamera() {
  clearTimeout(state.timer);
  if (state.stream) state.stream.getTracks().forEach((t) => t.stop());
  state.stream = state.track = null;
}

async function listCameras(current) {
  const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
  ui.cameraSelect.replaceChildren(...devices.map((d, i) => {
    const o = el('option', '', d.label || 'Camera ' + (i + 1));
    o.value = d.deviceId;
    o.selected = d.deviceId === current;
    return o;
  }));
  ui.cameraSelect.hidden = devices.length < 2;
}

function offerTorch() {
  const caps = state.track && state.track.getCapabilities ? state.track.getCapabilities() : {};
  ui.torch.hidden = !caps.torch;
  ui.torch.setAttribute('aria-pressed', 'false');
}

async function toggleTorch() {
  const on = ui.torch.getAttribute('aria-pressed') !== 'true';
  try {
    await state.track.applyConstraints({advanced: [{torch: on}]});
    ui.torch.setAttribute('aria-pressed', String(on));
  } catch (e) {
    toast('This camera cannot turn its torch on.');
  }
}

function scheduleFrame(delay) {
  clearTimeout(state.timer);
  state.timer = setTimeout(readFrame, delay);
}

// readFrame sends the central square of the current frame to be decoded; at most one
// frame is in flight, so a slow network lowers the rate instead of piling up requests.
async function readFrame() {
  const v = ui.video;
  if (!state.stream || document.hidden || !configured() || v.readyState < 2 || !v.videoWidth) {
    scheduleFrame(FRAME_EVERY_MS);
    return;
  }
  let delay = FRAME_EVERY_MS;
  try {
    const blob = await grabFrame(v);
    const res = await api('/decode', {key: state.settings.key, method: 'POST', body: blob, type: 'image/jpeg'});
    v.dataset.frames = String(++state.frames);
    if (answered(res) && res.status === 200 && res.data.qr) {
      v.dataset.codes = String(++state.codes);
      seen(res.data.qr);
    } else if (res.status === 422) {
      state.misses++; // a frame read and found without a code
    }
  } catch (e) {
    if (e instanceof NetworkError) {
      offline();
      delay = 2000;
    }
  }
  if (state.stream) scheduleFrame(delay);
}

const canvas = document.createElement('canvas');

function grabFrame(v) {
  const side = Math.min(v.videoWidth, v.videoHeight);
  const out = Math.min(side, FRAME_SIDE);
  canvas.width = canvas.height = out;
  const ctx = canvas.getContext('2d', {alpha: false});
  ctx.drawImage(v, (v.videoWidth - side) / 2, (v.videoHeight - side) / 2, side, side, 0, 0, out, out);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no frame'))), 'image/jpeg', 0.7));
}

// seen takes a code the camera read: the same code still in view is not sent again.
function seen(text) {
  const now = Date.now();
  // Still in view unless it was last read a while ago and frames read since showed no
  // code: frames the server could not read (busy, unreachable) say nothing either way.
  const same = text === state.lastText && (now - state.lastSeen < SAME_QR_MS || state.misses < SAME_QR_MISSES);
  if (state.checking && !same) return; // another code: read again once the verdict is in
  state.lastText = text;
  state.lastSeen = now;
  state.misses = 0;
  if (!same) submit(text, 'camera');
}

// ---- photos and the keyboard wedge -----------------------------------------------

// uploadPhoto has the server read the code in a chosen file, then checks it in. A file
// that holds no readable code gets plain words and a hint to upload a photo instead.
async function uploadPhoto() {
  const file = ui.upload.files[0];
  ui.upload.value = '';
  keepFocus();
  if (!file) return;
  if (state.checking) {
    toast('Still checking the last ticket: choose the file again after its verdict.');
    return;
  }
  toast('Reading the file…');
  const scan = {id: ++state.scanId, text: '', source: 'photo', gate: state.settings.gate, nonce: ''};
  let res;
  try {
    res = await api('/decode?all=true', {key: state.settings.key, method: 'POST', body: file, type: file.type || 'application/octet-stream', timeout: 20000});
  } catch (e) {
    offline();
    hideToast();
    notChecked(scan, e.message === 'the server did not answer in time' ? 'The server did not answer in time' : 'Server unreachable');
    return;
  }
  answered(res);
  hideToast();
  if (res.status === 200 && res.data.qr) {
    const codes = (res.data.codes || []).length;
    submit(res.data.qr, 'photo', codes > 1 ? 'This file holds ' + codes + ' ticket codes: only the first was checked. Show the others to the camera one by one.' : '');
  } else if ([401, 403, 404].includes(res.status) || res.status >= 500) notChecked(scan, refusal(res));
  else toast(fileProblem(res));
}

// fileProblem says why a file gave no code, in the door staff's words: the server's
// sentence, with the way out when it does not give one.
function fileProblem(res) {
  const hint = 'upload a photo or a screenshot of the ticket\'s QR code.';
  if (res.status === 422) return 'No ticket code found in this file: ' + hint;
  const said = ((res.data && res.data.error) || 'This file cannot be read').replace(/[.\s]+$/, '');
  return /photo|screenshot/i.test(said) ? said + '.' : said + ': ' + hint;
}

function wedgeSubmit(ev) {
  ev.preventDefault();
  const text = ui.wedge.value.trim();
  ui.wedge.value = '';
  if (text) submit(text, 'wedge');
}

// keepFocus gives the wedge field the focus back, so a barcode scanner's typing always
// lands there; not while the set-up form or another field is in use.
function keepFocus() {
  if (ui.setup.open) return;
  const a = document.activeElement;
  if (a && a !== ui.wedge && (a.tagName === 'INPUT' || a.tagName === 'SELECT' || a.tagName === 'TEXTAREA') && a.type !== 'file') return;
  ui.wedge.focus({preventScroll: true});
}

function wedgeReady() {
  const ready = document.activeElement === ui.wedge;
  ui.wedgeForm.classList.toggle('ready', ready);
  ui.wedgeState.textContent = state.checking ? 'Checking the ticket…' : ready ? 'Barcode scanner ready' : 'Tap here for the barcode scanner';
}

// ---- check-in ----------------------------------------------------------------

// submit checks one scan in, with its own id and nonce. One scan is checked at a time: a
// scan made meanwhile is dropped with a word to scan again, never queued, so a verdict is
// always for the ticket just scanned and never appears late.
function submit(text, source, note = '') {
  if (state.checking) {
    toast('Still checking the last ticket: scan this one again after its verdict.');
    return;
  }
  const scan = {id: ++state.scanId, text, source, note, gate: state.settings.gate, nonce: nonceFor(text)};
  state.checking = scan;
  checkingShown(true);
  check(scan);
}

// nonceFor gives a scan its nonce: a fresh one, except for the code of a scan that was
// NOT CHECKED a moment ago at this gate, which keeps its nonce. If that check-in did reach
// the server, scanning again then answers its ADMIT rather than ALREADY CHECKED IN.
function nonceFor(text) {
  const u = state.unchecked;
  if (u && u.text === text && u.gate === state.settings.gate && Date.now() - u.at < RETRY_NONCE_MS) return u.nonce;
  return nonce();
}

// check sends the scan and shows its verdict, or NOT CHECKED when there is no usable
// answer within CHECK_DEADLINE_MS (the request is aborted then).
async function check(scan) {
  let res = null;
  let why = '';
  const g = state.gate && state.gate.ready() && offlineAfterS() ? state.gate : null;
  try {
    res = await api(contractPath(address(), 'CheckIn'), {key: state.settings.key, method: 'POST', timeout: g ? offlineAfterS() * 1000 : CHECK_DEADLINE_MS,
      json: {qr: scan.text, gate: scan.gate, nonce: scan.nonce}});
  } catch (e) {
    why = e instanceof NetworkError && e.message === 'the server did not answer in time' ? 'The server did not answer in time' : 'Server unreachable';
    offline();
  }
  if (state.checking !== scan) return; // set-up changed meanwhile: this answer is for nobody
  if ((!res || res.status >= 500) && g && await decideHere(scan, g)) return;
  state.checking = null;
  checkingShown(false);
  if (res) answered(res);
  const results = (res && res.data && res.data.results) || [];
  if (res && (res.status === 200 || (res.status === 400 && results.length))) {
    if (state.unchecked && state.unchecked.text === scan.text) state.unchecked = null;
    if (state.gate) state.gate.noteOnline(results);
    verdict(results, scan);
    return;
  }
  notChecked(scan, res ? refusal(res) : why);
}

// refusal says why an answer is not a verdict on the ticket.
function refusal(res) {
  switch (res.status) {
    case 401: return 'Key refused: it is unknown or revoked. Open Set-up with a new key';
    case 403: return 'This key may not check tickets in here. Open Set-up';
    case 404: return 'Unknown contract. Open Set-up';
  }
  if (res.status === 503) return 'The server is busy';
  if (res.status >= 500) return 'The server failed (' + res.status + ')';
  return (res.data && res.data.error) || 'The server answered ' + res.status;
}

// notChecked fills the screen with a scan that got no verdict. Nothing is kept to send
// later: the door staff scan again.
function notChecked(scan, why) {
  state.unchecked = {text: scan.text, gate: scan.gate, nonce: scan.nonce, at: Date.now()};
  show({outcome: 'unchecked', word: 'NOT CHECKED', detail: why, note: 'This ticket was not checked: scan it again.', seats: []}, scan);
}

function checkingShown(on) {
  ui.wedgeForm.classList.toggle('checking', on);
  wedgeReady();
}

// verdict shows the server's results on one scan.
function verdict(results, scan) {
  show(verdictView(results), scan);
}

function show(v, scan) {
  const box = ui.result;
  state.seq++;
  box.className = 'result ' + v.outcome;
  box.dataset.outcome = v.outcome;
  box.dataset.seq = String(state.seq);
  box.dataset.scan = String(scan.id);
  box.dataset.offline = scan.offline ? 'true' : 'false';
  $('result-word').textContent = v.word;
  $('result-name').textContent = v.name || '';
  $('result-name').hidden = !v.name;
  $('result-name').classList.toggle('long', longName(v.name || ''));
  $('result-check').hidden = !v.name;
  $('result-detail').textContent = v.detail || '';
  const note = [v.note, scan.note].filter(Boolean).join(' ');
  $('result-note').textContent = note;
  $('result-note').hidden = !note;
  $('result-seats').replaceChildren(...v.seats.map((s) => {
    const li = el('li', '', s.text);
    if (s.small) li.append(el('small', '', s.small));
    return li;
  }));
  box.hidden = false;
  playOutcome(v.outcome);
  remember(v, scan);
  clearTimeout(state.resultTimer);
  state.resultTimer = setTimeout(hideResult, v.name ? SHOW_MS.identity : SHOW_MS[v.outcome]);
  if (v.outcome !== 'unchecked') refreshCounts();
}

// longName reports a name set smaller, so that its words fit whole on a phone's line.
function longName(name) {
  return name.length > 22 || name.split(/\s+/).some((w) => w.length > 11);
}

function hideResult() {
  clearTimeout(state.resultTimer);
  ui.result.hidden = true;
  keepFocus();
}

// remember adds the scan to the recent list (this device, this page's life only).
function remember(v, scan) {
  state.outcomes.unshift(v.outcome);
  const li = el('li', v.outcome);
  li.append(el('span', 'what', {admit: 'Admitted', already: 'Already in', reject: 'Rejected', partial: 'Some in', unchecked: 'Not checked'}[v.outcome]),
    el('span', 'seat', recentText(v) + ' · ' + scan.source),
    el('time', '', clock(new Date())));
  const empty = ui.recent.querySelector('.empty');
  if (empty) empty.remove();
  ui.recent.prepend(li);
  while (ui.recent.children.length > 12) ui.recent.lastElementChild.remove();
}

function recentText(v) {
  if (v.outcome === 'partial') return v.word.toLowerCase() + ': ' + v.detail;
  return v.seats.length ? v.seats.length + ' seats' : v.detail;
}

function toast(text) {
  ui.toast.textContent = text;
  ui.toast.hidden = false;
  clearTimeout(ui.toast.timer);
  ui.toast.timer = setTimeout(hideToast, 4000);
}

function hideToast() {
  ui.toast.hidden = true;
}

// ---- start -------------------------------------------------------------------------

let started = false;

async function start() {
  $('gate-chip').textContent = state.settings.gate;
  $('gate-chip').hidden = false;
  keepFocus();
  api(contractPath(address())).then((c) => {
    if (c.status !== 200) return;
    showContract(c.data);
    if (state.gate) state.gate.setPolicy(c.data.sale && c.data.sale.gatePolicy);
  }).catch(() => {});
  startOffline();
  refreshCounts();
  if (started) return;
  started = true;
  setInterval(refreshCounts, COUNTS_EVERY_MS);
  setInterval(syncCopy, SYNC_EVERY_MS);
  setInterval(uploadQueue, UPLOAD_EVERY_MS);
  startCamera(state.settings.camera || '');
}

// ---- offline: the gate copy and the queue (gate-copy.js) ----------------------------

// offlineAfterS is the set-up's deadline before deciding offline, in seconds; 0: never.
function offlineAfterS() {
  const s = state.settings.offlineAfter;
  return s === 0 ? 0 : Number(s) || OFFLINE_AFTER_S;
}

// offlineSetting reads the set-up's field: empty is the default, 0 never, else 0.5-10 s.
function offlineSetting(value) {
  if (String(value).trim() === '') return OFFLINE_AFTER_S;
  const s = Number(value);
  if (s === 0) return 0;
  return Math.min(10, Math.max(0.5, s || OFFLINE_AFTER_S));
}

// deviceName names this browser in the record of its offline admissions: made once, kept.
function deviceName() {
  const d = load('device');
  if (!d.name) {
    d.name = 'Browser ' + nonce().slice(0, 6);
    save('device', d);
  }
  return d.name;
}

function waitingText(n) {
  return n + (n === 1 ? ' scan' : ' scans');
}

// decideHere shows the verdict of the device's copy on a scan the server did not answer
// in time, and queues its admissions under the scan's nonce. It returns false when the
// copy cannot decide (a wallet's live code): the scan is NOT CHECKED then.
async function decideHere(scan, g) {
  const results = await g.decide(scan).catch(() => null);
  if (!results || state.checking !== scan) return state.checking !== scan;
  await g.record(scan, results);
  state.checking = null;
  checkingShown(false);
  offline();
  showQueue();
  const note = 'Decided offline by this device, from the sale as of ' + clock(new Date(g.meta.syncedAt)) + '.' +
    (g.waiting ? ' ' + waitingText(g.waiting) + ' waiting to upload.' : '');
  show(verdictView(results), {...scan, offline: true, note: [note, scan.note].filter(Boolean).join(' ')});
  return true;
}

// startOffline loads this set-up's copy and queue kept in the browser, then follows the
// sale and uploads what waits.
async function startOffline() {
  const g = new OfflineGate({contract: address(), key: state.settings.key, gate: state.settings.gate, device: deviceName()});
  state.gate = g;
  await g.load().catch(() => {});
  if (state.gate !== g) return;
  showQueue();
  syncCopy();
}

async function syncCopy() {
  const g = state.gate;
  if (!g) return;
  try {
    await g.sync();
  } catch (e) {
    // the next sync tries again; the kept copy still decides meanwhile
  }
  if (state.gate !== g) return;
  document.body.dataset.copy = g.ready() ? 'ready' : 'none';
  showQueue();
  if (g.waiting) uploadQueue();
}

async function uploadQueue() {
  const g = state.gate;
  if (!g || !g.waiting) return;
  try {
    await g.upload();
  } catch (e) {
    if (e instanceof NetworkError) offline();
  }
  if (state.gate === g) showQueue();
}

// showQueue says how many admissions made offline wait to be uploaded.
function showQueue() {
  const n = state.gate ? state.gate.waiting : 0;
  document.body.dataset.waiting = String(n);
  problem('queue', n ? waitingText(n) + ' waiting to upload' : '');
  if (state.problems.offline) offline();
}

function wire() {
  ui.setupForm.addEventListener('submit', saveSetup);
  $('setup-cancel').addEventListener('click', () => ui.setup.close());
  ui.setupForm.key.addEventListener('change', fetchGates);
  ui.setupForm.contract.addEventListener('change', fetchGates);
  ui.setup.addEventListener('close', () => setTimeout(keepFocus, 0));
  ui.setup.addEventListener('cancel', (e) => { if (!configured()) e.preventDefault(); });
  $('open-setup').addEventListener('click', () => openSetup());
  ui.result.addEventListener('click', hideResult);
  ui.wedgeForm.addEventListener('submit', wedgeSubmit);
  ui.wedge.addEventListener('focus', wedgeReady);
  ui.wedge.addEventListener('blur', () => { wedgeReady(); setTimeout(keepFocus, 150); });
  ui.cameraSelect.addEventListener('change', () => { startCamera(ui.cameraSelect.value); keepFocus(); });
  ui.torch.addEventListener('click', toggleTorch);
  ui.upload.addEventListener('change', uploadPhoto);
  document.addEventListener('pointerdown', unlockAudio, {once: true});
  document.addEventListener('keydown', unlockAudio, {once: true});
  document.addEventListener('click', () => setTimeout(keepFocus, 0));
  document.addEventListener('visibilitychange', () => { if (!document.hidden && state.stream) scheduleFrame(0); });
}

wire();
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/scan/sw.js', {scope: '/scan'}).catch(() => {});
const fromPath = addressFromPath('/scan');
if (fromPath && fromPath !== state.settings.contract) {
  state.settings.contract = fromPath;
  if (configured()) save('scan', state.settings);
}
if (configured()) {
  start();
} else {
  cameraState('Set up this device to start scanning.');
  openSetup();
}
