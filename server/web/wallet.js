// The wallet page: a customer's tickets, reached by the link of their e-mail,
// /wallet#TOKEN. The token is in the fragment, which the browser never sends to the
// server; the page moves it into this browser's storage (sessionStorage, and IndexedDB
// so the page opens again without the link), takes it out of the address bar, and sends
// it only as "Authorization: Wallet TOKEN" to the wallet's API.

import {el, seatText} from './common.js';
import {language, setLanguage, word} from './wallet-words.js';
import {codeView, problemWord} from './wallet-code.js';
import './wallet-rotate.js'; // the rotating codes of SECURE tickets register their view
import {ticketActions} from './wallet-actions.js';

const API = '/api/v1.0';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const $ = (id) => document.getElementById(id);

let token = '';
let closeCode = null;

// walletFetch calls the wallet's API with the token; it answers the Response.
function walletFetch(path, {method = 'GET'} = {}) {
  return fetch(API + path, {method, cache: 'no-store', referrerPolicy: 'no-referrer',
    headers: {Authorization: 'Wallet ' + token, Accept: 'application/json'}});
}

// call calls the wallet's API and answers {status, data}.
async function call(path, options) {
  const res = await walletFetch(path, options);
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  return {status: res.status, data};
}

// The token's keeping: sessionStorage for this tab, IndexedDB for this browser.
const store = {
  async get() {
    const kept = sessionStorage.getItem('ticketbooth.wallet');
    return kept || (await idb('readonly', (s) => s.get('token'))) || '';
  },
  async put(t) {
    sessionStorage.setItem('ticketbooth.wallet', t);
    await idb('readwrite', (s) => s.put(t, 'token')).catch(() => {});
  },
  async forget() {
    sessionStorage.removeItem('ticketbooth.wallet');
    await idb('readwrite', (s) => s.delete('token')).catch(() => {});
  },
};

// idb runs fn on the wallet's IndexedDB object store and answers its request's result.
function idb(mode, fn) {
  return new Promise((resolve, reject) => {
    if (!window.indexedDB) return resolve(undefined);
    const open = indexedDB.open('ticketbooth-wallet', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('link');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('link', mode);
      const req = fn(tx.objectStore('link'));
      tx.oncomplete = () => { open.result.close(); resolve(req.result); };
      tx.onerror = () => { open.result.close(); reject(tx.error); };
    };
  });
}

// takeToken reads the token from the fragment (keeping it and clearing the address bar)
// or from this browser's storage.
async function takeToken() {
  const fragment = location.hash.slice(1);
  if (fragment) {
    history.replaceState(null, '', location.pathname + location.search);
    if (TOKEN.test(fragment)) {
      await store.put(fragment);
      return fragment;
    }
  }
  const kept = await store.get();
  return TOKEN.test(kept) ? kept : '';
}

// problem shows a sentence instead of the tickets.
function problem(text) {
  const state = $('state');
  state.textContent = text;
  state.className = 'wallet-state problem';
  state.hidden = false;
}

// load reads the wallet and lists its tickets.
async function load() {
  let res;
  try {
    res = await call('/wallet');
  } catch (e) {
    return problem(word('offline'));
  }
  if (res.status !== 200) {
    if (res.status === 401) await store.forget();
    return problem(problemWord(res.status, res.data));
  }
  setLanguage(res.data.language);
  const tickets = res.data.tickets || [];
  $('tickets').replaceChildren(...tickets.map(ticketItem));
  $('state').hidden = tickets.length > 0;
  if (!tickets.length) $('state').textContent = word('none');
  $('state').className = 'wallet-state';
  $('actions').hidden = false;
}

// when formats a ticket's time in its show's zone, in the page's language.
function when(t) {
  const opts = {dateStyle: 'full', timeStyle: 'short'};
  try {
    return new Intl.DateTimeFormat(language(), {...opts, timeZone: t.timeZone || undefined}).format(new Date(t.time)) +
      (t.timeZone ? ' (' + t.timeZone + ')' : '');
  } catch (e) {
    return new Intl.DateTimeFormat(language(), opts).format(new Date(t.time));
  }
}

// seatLine writes a ticket's seat: "Section Stalls · Seat 12C", or the seat alone.
function seatLine(seat) {
  const place = seatText({number: seat.number, letter: seat.letter});
  const parts = [];
  if (seat.section) parts.push(word('section') + ' ' + seat.section);
  if (place) parts.push(word('seat') + ' ' + place);
  return parts.join(' · ');
}

// ticketItem is one ticket of the list.
function ticketItem(t) {
  const li = el('li', 'ticket');
  li.dataset.ticket = t.id;
  li.append(el('span', 'ticket-show', t.show), el('span', 'ticket-venue', t.venue), el('span', 'ticket-time', when(t)),
    el('span', 'ticket-seat', seatLine(t.seat)));
  const meta = el('div', 'ticket-meta');
  if (t.type) meta.append(el('span', 'tag', t.type));
  meta.append(el('span', 'tag', t.format));
  meta.append(el('span', t.status === 'checked in' ? 'tag in' : 'tag', word(t.status === 'checked in' ? 'checkedIn' : 'issued')));
  li.append(meta);
  if (t.hasCode || t.format !== 'PDF') {
    const show = el('button', 'button primary show-code', word('showCode'));
    show.type = 'button';
    show.addEventListener('click', () => openCode(t));
    li.append(show);
  } else {
    li.append(el('p', 'ticket-nocode', word('noCode')));
  }
  if (t.status !== 'checked in') li.append(ticketActions(t, {token: () => token, reload: load, gone}));
  return li;
}

// gone takes a ticket that left the wallet off the list.
function gone(li) {
  li.remove();
  if (!$('tickets').children.length) {
    $('state').textContent = word('none');
    $('state').hidden = false;
  }
}

// openCode shows the ticket's code full-screen through its format's view, keeping the
// screen awake while it is open when the browser allows.
function openCode(t) {
  if (closeCode) closeCode();
  $('code-show').textContent = t.show;
  $('code-seat').textContent = seatLine(t.seat);
  $('code-time').textContent = when(t);
  const note = $('code-note');
  const stage = $('code-stage');
  stage.replaceChildren();
  note.textContent = '';
  const ctx = {
    stage, call, fetch: walletFetch, token: () => token,
    note(text, bad) { note.textContent = text; note.className = bad ? 'code-note problem' : 'code-note'; },
  };
  const stop = codeView(t.format).show(t, ctx);
  const wake = keepAwake();
  $('code').hidden = false;
  $('code-close').focus();
  closeCode = () => {
    closeCode = null;
    if (typeof stop === 'function') stop();
    wake.then((lock) => lock && lock.release()).catch(() => {});
    $('code').hidden = true;
    stage.replaceChildren();
  };
}

// keepAwake asks for a screen wake lock; it answers the lock, or null when refused.
async function keepAwake() {
  try {
    return navigator.wakeLock ? await navigator.wakeLock.request('screen') : null;
  } catch (e) {
    return null;
  }
}

// revoke revokes this link for good, after asking.
async function revoke() {
  if (!confirm(word('revokeAsk'))) return;
  try {
    const res = await call('/wallet/revoke', {method: 'POST'});
    if (res.status !== 204 && res.status !== 401) return problem(problemWord(res.status, res.data));
  } catch (e) {
    return problem(word('offline'));
  }
  await store.forget();
  token = '';
  $('tickets').replaceChildren();
  $('actions').hidden = true;
  problem(word('revoked'));
}

async function start() {
  setLanguage(language());
  $('code-close').addEventListener('click', () => closeCode && closeCode());
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && closeCode) closeCode(); });
  $('revoke').addEventListener('click', revoke);
  window.addEventListener('hashchange', switchLink);
  token = await takeToken().catch(() => '');
  if (!token) return problem(word('noLink'));
  await load();
}

// switchLink opens the wallet of another link opened in this tab (only its fragment
// differs, so the page is not loaded again).
async function switchLink() {
  if (!location.hash.slice(1)) return;
  if (closeCode) closeCode();
  $('tickets').replaceChildren();
  if ($('notice')) $('notice').hidden = true;
  token = await takeToken().catch(() => '');
  if (!token) return problem(word('noLink'));
  await load();
}

start();
