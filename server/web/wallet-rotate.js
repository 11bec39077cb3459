// The rotating code of SECURE tickets in the wallet page (see ledger/rotating.go). The
// first time the holder opens such a ticket, this phone makes an ECDSA P-256 key pair
// whose private key cannot leave the browser (WebCrypto, not extractable), keeps it in
// IndexedDB, and registers the public key with the ledger. From then on the page draws a
// new code every 15 seconds: the ticket, the time step by the ledger's clock, and this
// phone's signature. The gate admits only a code of the last few steps, so a screenshot
// stops working within a minute. When the ticket is registered to another phone, the page
// offers to move it here, which replaces (and so revokes) the other phone's key.

import {registerCodeView} from './wallet-code.js';
import {language} from './wallet-words.js';
import {encodeQR, drawQR} from './qr.js';

const API = '/api/v1.0';
const STEP_MS = 15000;

const words = {
  en: {
    live: 'This code changes every 15 seconds: a screenshot or a copy does not get in.',
    making: 'Preparing this phone for the ticket…',
    elsewhere: 'This ticket shows its code on another phone. Move it here if that phone is lost or replaced: the other phone\'s code stops working at once.',
    move: 'Move to this phone',
    moveAsk: 'Move this ticket to this phone? Its code on the other phone stops working at once.',
    unsupported: 'This browser cannot keep the ticket\'s key. Open the link in a current browser (Safari, Chrome, Firefox, Edge).',
    used: 'This ticket was used at the entrance.',
    failed: 'The code could not be prepared. Check your connection and open the ticket again.',
  },
  de: {
    live: 'Dieser Code wechselt alle 15 Sekunden: Ein Screenshot oder eine Kopie kommt nicht hinein.',
    making: 'Dieses Telefon wird für das Ticket vorbereitet …',
    elsewhere: 'Dieses Ticket zeigt seinen Code auf einem anderen Telefon. Hole es hierher, wenn jenes Telefon verloren oder ersetzt ist: Sein Code gilt dann sofort nicht mehr.',
    move: 'Auf dieses Telefon holen',
    moveAsk: 'Dieses Ticket auf dieses Telefon holen? Sein Code auf dem anderen Telefon gilt dann sofort nicht mehr.',
    unsupported: 'Dieser Browser kann den Schlüssel des Tickets nicht aufbewahren. Öffne den Link in einem aktuellen Browser (Safari, Chrome, Firefox, Edge).',
    used: 'Dieses Ticket wurde am Eingang verwendet.',
    failed: 'Der Code konnte nicht vorbereitet werden. Prüfe die Verbindung und öffne das Ticket erneut.',
  },
};

function say(name) {
  return (words[language()] || words.en)[name] || words.en[name];
}

// ---- this phone's keys, one per ticket, in IndexedDB ---------------------------------

function keyStore(mode, fn) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('ticketbooth-devices', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('keys');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('keys', mode);
      const req = fn(tx.objectStore('keys'));
      tx.oncomplete = () => { open.result.close(); resolve(req.result); };
      tx.onerror = () => { open.result.close(); reject(tx.error); };
    };
  });
}

// newKey makes this phone's key pair for a ticket (the private key not extractable) and
// keeps it: {pair, publicKey (SPKI in hex)}.
async function newKey(ticketID) {
  const pair = await crypto.subtle.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign']);
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey);
  const kept = {pair, publicKey: hex(spki)};
  await keyStore('readwrite', (s) => s.put(kept, ticketID));
  return kept;
}

function hex(buf) {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

function base64url(buf) {
  let s = '';
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ---- the ledger's side: the ticket's phone --------------------------------------------

class Refused extends Error {
  constructor(text) { super(text); this.text = text; }
}

// device calls the ticket's device route; it answers api.WalletDevice or throws Refused
// with the server's sentence.
async function device(ctx, ticket, body) {
  const init = {method: body ? 'POST' : 'GET', cache: 'no-store', referrerPolicy: 'no-referrer',
    headers: {Authorization: 'Wallet ' + ctx.token(), Accept: 'application/json'}};
  if (body) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(API + '/wallet/tickets/' + encodeURIComponent(ticket.id) + '/device', init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Refused(res.status === 409 ? say('used') : data.error || say('failed'));
  data.offset = data.now - Date.now(); // the ledger's clock against this phone's
  return data;
}

// ---- the view ---------------------------------------------------------------------------

registerCodeView('SECURE', {
  show(ticket, ctx) {
    const run = {stopped: false, timer: 0};
    openTicket(ticket, ctx, run).catch((e) => {
      if (!run.stopped) ctx.note(e instanceof Refused ? e.text : say('failed'), true);
    });
    return () => {
      run.stopped = true;
      clearTimeout(run.timer);
    };
  },
});

// openTicket registers this phone on the first opening of the ticket, offers to move the
// ticket here when another phone holds it, and then draws its codes.
async function openTicket(ticket, ctx, run) {
  if (!window.crypto || !crypto.subtle || !window.indexedDB) return ctx.note(say('unsupported'), true);
  ctx.note(say('making'), false);
  let state = await device(ctx, ticket);
  let mine = await keyStore('readonly', (s) => s.get(ticket.id));
  if (!state.publicKey) {
    mine = mine || (await newKey(ticket.id));
    state = await device(ctx, ticket, {publicKey: mine.publicKey});
  } else if (!mine || mine.publicKey !== state.publicKey) {
    return offerMove(ticket, ctx, run, mine);
  }
  if (!run.stopped) draw(ctx, run, state, mine);
}

// offerMove shows that another phone holds the ticket, and the button that moves it here.
function offerMove(ticket, ctx, run, mine) {
  const text = document.createElement('p');
  text.className = 'code-elsewhere';
  text.textContent = say('elsewhere');
  const move = document.createElement('button');
  move.type = 'button';
  move.id = 'code-move';
  move.className = 'button primary';
  move.textContent = say('move');
  move.addEventListener('click', async () => {
    if (!confirm(say('moveAsk'))) return;
    move.disabled = true;
    try {
      mine = mine || (await newKey(ticket.id));
      const state = await device(ctx, ticket, {publicKey: mine.publicKey});
      if (!run.stopped) draw(ctx, run, state, mine);
    } catch (e) {
      move.disabled = false;
      ctx.note(e instanceof Refused ? e.text : say('failed'), true);
    }
  });
  const box = document.createElement('div');
  box.style.cssText = 'display:flex;flex-direction:column;align-items:center;gap:16px;max-width:420px;text-align:center';
  box.append(text, move);
  ctx.stage.replaceChildren(box);
  ctx.note('', false);
}

// draw shows the code of the current step, and again at every step's start.
function draw(ctx, run, state, mine) {
  const canvas = document.createElement('canvas');
  canvas.id = 'code-canvas';
  // as the wallet's static code image: the whole stage, the square kept, pixels crisp
  canvas.style.cssText = 'width:100%;height:100%;max-width:640px;object-fit:contain;background:#fff;image-rendering:pixelated';
  ctx.stage.replaceChildren(canvas);
  ctx.note(say('live'), false);
  const tick = async () => {
    const now = Date.now() + state.offset;
    const step = Math.floor(now / STEP_MS);
    const signed = state.codePrefix + step;
    const sig = await crypto.subtle.sign({name: 'ECDSA', hash: 'SHA-256'}, mine.pair.privateKey, new TextEncoder().encode(signed));
    if (run.stopped) return;
    canvas.width = Math.min(ctx.stage.clientWidth || 480, ctx.stage.clientHeight || 480, 720);
    drawQR(canvas, encodeQR(signed + '.' + base64url(sig)));
    canvas.dataset.step = String(step);
    run.timer = setTimeout(tick, STEP_MS - (now % STEP_MS) + 50);
  };
  tick().catch(() => ctx.note(say('failed'), true));
}
