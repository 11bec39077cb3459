// The scanner page's side of the offline gate: the gate copy of its sale, followed with
// GET …/GateCopy?cursor=C and kept in IndexedDB; the offline verdict from it; the queue
// of admissions made offline, each with its scan's nonce, time and gate, kept in
// IndexedDB until POST …/CheckInUpload takes it (a nonce uploaded twice is one
// admission). scan.js decides when to use it.

import {api, contractPath} from './common.js';
import {decideOffline, seatKey} from './gate-offline.js';
import * as store from './gate-store.js';

const ROTATING_PREFIX = 'TBR1.';
const MAX_UPLOAD = 500; // scanner.MaxUploadBatch

// fromBase64 decodes the copy's bytes (standard base64, as Go's encoding/json writes).
function fromBase64(s) {
  if (!s) return null;
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// entry reads one seat of the copy as the server sends it: [seat] for a seat not sold,
// else [seat, secretDigest, checkedInAt (Unix ms, 0: not yet), gate, secure, nameDigest,
// nameCiphertext, deviceKey, deviceDigest], bytes in base64, trailing empties left out.
export function entry(t) {
  const [seat, digest, at, gate, secure, nameDigest, nameCt, deviceKey, deviceDigest] = t;
  return {seat, sold: t.length > 1, secretDigest: fromBase64(digest), checkedInAt: at ? new Date(at).toISOString() : '',
    gate: gate || '', secure: secure === 1, nameDigest: fromBase64(nameDigest), nameCiphertext: fromBase64(nameCt),
    deviceKey: fromBase64(deviceKey), deviceDigest: fromBase64(deviceDigest)};
}

// OfflineGate holds one device's copy and queue for one contract and gate.
export class OfflineGate {
  constructor({contract, key, gate, device}) {
    this.contract = contract;
    this.device = device || '';
    this.key = key;
    this.gate = gate;
    this.meta = null;
    this.copy = {tickets: new Map(), allSeats: true};
    this.queue = [];
    this.uploading = null;
    this.policy = null;
  }

  // load reads what this browser kept: the copy and the queue.
  async load() {
    const kept = await store.loadCopy(this.contract);
    if (kept) {
      this.meta = kept;
      for (const s of kept.seats) this.copy.tickets.set(s.key, entry(s.ticket));
    }
    this.queue = await store.queued(this.contract);
  }

  // ready reports whether scans can be decided here when the server is away.
  ready() {
    return Boolean(this.meta && window.crypto && crypto.subtle) && this.allowed();
  }

  // setPolicy takes the sale's gate policy as the contract shows it (sale.gatePolicy).
  setPolicy(p) {
    this.policy = p || null;
    if (this.meta && p) this.meta.gatePolicy = p;
  }

  // allowed reports whether the sale allows admission offline (its gate policy).
  allowed() {
    const p = (this.meta && this.meta.gatePolicy) || this.policy;
    return !(p && p.offlineAdmission === false);
  }

  get waiting() {
    return this.queue.length;
  }

  // sync fetches what changed since the kept cursor and keeps it; it returns the
  // server's answer's status, or throws NetworkError.
  async sync() {
    const cursor = this.meta ? '?cursor=' + encodeURIComponent(this.meta.cursor || '') : '';
    const res = await api(contractPath(this.contract, 'GateCopy') + cursor, {key: this.key, timeout: 30000});
    if (res.status !== 200) return res.status;
    const c = res.data;
    const seats = (c.tickets || []).map((t) => ({key: String(t[0]).toLowerCase(), ticket: t}));
    const meta = {contract: this.contract, sale: c.sale, cursor: c.cursor, venue: c.venue, gatePolicy: c.gatePolicy || this.policy || null, syncedAt: Date.now()};
    await store.saveCopy(meta, c.full, seats);
    if (c.full) this.copy.tickets.clear();
    for (const s of seats) this.copy.tickets.set(s.key, entry(s.ticket));
    this.meta = meta;
    return 200;
  }

  // decide returns the offline verdict on a scan ({text}), or null when the copy cannot
  // decide it (a wallet's live code).
  async decide(scan) {
    if (scan.text.trim().startsWith(ROTATING_PREFIX)) return null;
    return decideOffline(this.copy, scan.text, (key) => this.admittedHere(key));
  }

  // admittedHere returns this device's admission of a seat that the copy does not show
  // yet, or null.
  admittedHere(key) {
    const item = this.queue.find((q) => q.seats.includes(key));
    return item ? {at: item.at, gate: item.gate} : null;
  }

  // record queues the admissions of a scan decided offline, under the scan's nonce.
  async record(scan, results) {
    const seats = results.filter((r) => r.status === 'admitted').map((r) => seatKey(r.seat));
    if (!seats.length) return;
    const item = {nonce: scan.nonce, contract: this.contract, qr: scan.text, gate: scan.gate, at: new Date().toISOString(), direction: 'in', seats};
    await store.enqueue(item);
    this.queue.push(item);
  }

  // noteOnline marks in the copy the seats the server just admitted, so that the same
  // ticket scanned offline before the next sync is already in.
  noteOnline(results) {
    for (const r of results) {
      const e = r.seat && this.copy.tickets.get(seatKey(r.seat));
      if (e && r.status === 'admitted' && !e.checkedInAt) {
        e.checkedInAt = r.checkedInAt || new Date().toISOString();
        e.gate = r.gate || this.gate;
      }
    }
  }

  // upload sends the queue; the server's answer takes the uploaded ones off it. Only one
  // upload runs at a time. It returns the server's answer's status (0: nothing to send)
  // or throws NetworkError.
  upload() {
    if (!this.uploading) this.uploading = this.send().finally(() => { this.uploading = null; });
    return this.uploading;
  }

  // send uploads the oldest MAX_UPLOAD queued admissions as {device, checkIns}; the server
  // answers each item under its nonce (admitted, double_entry, or why not), and an item
  // answered leaves the queue.
  async send() {
    const items = this.queue.slice(0, MAX_UPLOAD);
    if (!items.length) return 0;
    const body = {device: this.device, checkIns: items.map((q) => ({qr: q.qr, gate: q.gate, nonce: q.nonce, at: q.at, direction: q.direction}))};
    const res = await api(contractPath(this.contract, 'CheckInUpload'), {key: this.key, method: 'POST', json: body, timeout: 20000});
    if (res.status !== 200) return res.status;
    const done = new Set((res.data.results || []).map((r) => r.nonce));
    await store.dequeue([...done]);
    this.queue = this.queue.filter((q) => !done.has(q.nonce));
    this.keepAdmitted(items.filter((q) => done.has(q.nonce)));
    await this.sync().catch(() => {}); // the server's state of those seats, kept for a reload
    return 200;
  }

  // keepAdmitted marks uploaded admissions in the copy until a sync brings the server's.
  keepAdmitted(items) {
    for (const q of items) {
      for (const key of q.seats) {
        const e = this.copy.tickets.get(key);
        if (e && !e.checkedInAt) {
          e.checkedInAt = q.at;
          e.gate = q.gate;
        }
      }
    }
  }
}
