// Shared by the scanner page and the dashboard: the API call, settings kept in this
// browser, and the words and formats both pages show. Keys live in localStorage only:
// never in a URL, never in a log line.

const API = '/api/v1.0';

// NetworkError means the server could not be reached at all (no HTTP answer).
export class NetworkError extends Error {}

// api calls the server and returns {status, data}; data is the parsed JSON body or {}.
// It throws NetworkError when there is no whole answer within timeout ms: the request,
// body included, is aborted then, so no answer arrives after it.
export async function api(path, {key = '', method = 'GET', json, body, type, timeout = 8000} = {}) {
  const headers = {Accept: 'application/json'};
  if (key) headers.Authorization = 'Bearer ' + key;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (type) {
    headers['Content-Type'] = type;
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeout);
  try {
    const res = await fetch(API + path, {method, headers, body, cache: 'no-store', signal: ctl.signal});
    let data = {};
    try {
      data = await res.json();
    } catch (e) {
      if (ctl.signal.aborted) throw e;
    }
    return {status: res.status, data: data || {}};
  } catch (e) {
    throw new NetworkError(ctl.signal.aborted ? 'the server did not answer in time' : 'the server cannot be reached');
  } finally {
    clearTimeout(timer);
  }
}

// contractPath is the API path of a contract's route.
export function contractPath(address, route = '') {
  return '/ticketbooth/' + encodeURIComponent(address) + (route ? '/' + route : '');
}

// addressFromPath returns the address after prefix in the page's path, or ''.
export function addressFromPath(prefix) {
  const rest = location.pathname.slice(prefix.length).replace(/^\/+|\/+$/g, '');
  return rest.includes('/') ? '' : decodeURIComponent(rest);
}

// load returns the settings stored under name, or {}.
export function load(name) {
  try {
    return JSON.parse(localStorage.getItem('ticketbooth.' + name)) || {};
  } catch (e) {
    return {};
  }
}

// save stores settings under name.
export function save(name, value) {
  localStorage.setItem('ticketbooth.' + name, JSON.stringify(value));
}

// seatText writes a seat as the ledger does: "12C", "Stalls/12C".
export function seatText(seat) {
  if (!seat) return '';
  return (seat.section ? seat.section + '/' : '') + (seat.number ? String(seat.number) : '') + (seat.letter || '');
}

// clock formats a time as the door staff read it: 19:42:05.
export function clock(t) {
  const d = t instanceof Date ? t : new Date(t);
  return d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false});
}

// nonce returns a fresh random id for one submission (works without a secure context).
export function nonce() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// keyProblem turns a 401/403/404 answer into a sentence for the set-up form, or ''.
export function keyProblem(status, data, role) {
  if (status === 401) return 'Key refused: it is unknown or revoked. Check the key, or ask the organizer for a new one.';
  if (status === 403) return forbidden(data, role);
  if (status === 404 || status === 400) return data.error || 'No contract at this address.';
  return '';
}

// forbidden says why a key was refused (the server's sentence) and what to do instead.
function forbidden(data, role) {
  const why = data && data.error ? data.error.replace(/\.?$/, '.') + ' ' : '';
  const a = /^[aeiou]/i.test(role) ? 'an ' : 'a ';
  if (role === 'organizer') {
    return why + 'Use an organizer key that owns this contract. Its owner or the administrator can hand the contract ' +
      'to your key: ticketbooth contract transfer --contract ADDRESS --owner KEY-NAME-OR-ID.';
  }
  return why + 'Use ' + a + role + ' key.';
}

// el makes an element with a class and text.
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
