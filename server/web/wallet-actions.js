// The holder's actions on the wallet page, under each ticket still valid: give it to
// someone by e-mail ("Transfer"), offer it for resale ("Sell") and withdraw that offer,
// and have a new code mailed ("Send a new code", a reissue). Each calls the wallet's API
// with the link's token (ctx.token()) and shows the API's sentence when it refuses.
//
//   import {ticketActions} from './wallet-actions.js';
//   li.append(ticketActions(ticket, {token, reload, gone(li)}));
//
// A link that keeps no code of a ticket (another mail brought it) offers only "Send a new
// code": the other actions prove holding by that code. The wallet's list does not say
// which tickets are offered: the page keeps the offers it
// made in this browser (localStorage, by ticket id) to offer their withdrawal.

import {el} from './common.js';
import {language} from './wallet-words.js';

const API = '/api/v1.0/wallet/tickets/';

const words = {
  en: {
    transfer: 'Transfer',
    transferTitle: 'Give this ticket to someone',
    email: "Receiver's e-mail",
    firstName: 'First name',
    lastName: 'Last name',
    transferGo: 'Give the ticket',
    transferAsk: 'Give this ticket to {to}? Your code stops working at once, and the ticket leaves this wallet.',
    transferred: 'The ticket now belongs to {to}: they got an e-mail with it and their own wallet link.',
    transferredUnmailed: 'The ticket now belongs to {to}, but the e-mail could not be sent: {why}',
    sell: 'Sell',
    sellTitle: 'Offer this ticket for resale',
    price: 'Price, in cents',
    priceHint: 'At most the price the organizer allows (usually the face value). A release fee is kept from the price.',
    sellGo: 'Offer for sale',
    offered: 'Offered for {price} (face value {face}): when it sells, you get {credit} (release fee {fee}).',
    withdraw: 'Withdraw offer',
    withdrawn: 'The offer is withdrawn: the ticket stays yours.',
    reissue: 'Send a new code',
    reissueAsk: 'Send a new code for this ticket by e-mail? The code you have now stops working at once.',
    reissued: 'A new code is on its way to your e-mail. The old code no longer works at the entrance.',
    reissuedUnmailed: 'The ticket was reissued, but the e-mail could not be sent: {why}',
    cancel: 'Cancel',
    working: 'One moment…',
    offline: 'The server cannot be reached. Check your connection and try again.',
    failed: 'Something went wrong. Try again in a moment.',
    busy: 'Too many requests: wait a moment and try again.',
  },
  de: {
    transfer: 'Weitergeben',
    transferTitle: 'Dieses Ticket jemandem geben',
    email: 'E-Mail der Person',
    firstName: 'Vorname',
    lastName: 'Nachname',
    transferGo: 'Ticket weitergeben',
    transferAsk: 'Dieses Ticket an {to} weitergeben? Dein Code gilt sofort nicht mehr, und das Ticket verlässt diese Wallet.',
    transferred: 'Das Ticket gehört jetzt {to}: Die Person hat es per E-Mail mit einem eigenen Wallet-Link erhalten.',
    transferredUnmailed: 'Das Ticket gehört jetzt {to}, aber die E-Mail konnte nicht gesendet werden: {why}',
    sell: 'Verkaufen',
    sellTitle: 'Dieses Ticket zum Weiterverkauf anbieten',
    price: 'Preis, in Rappen bzw. Cent',
    priceHint: 'Höchstens der Preis, den der Veranstalter erlaubt (meist der Nennwert). Vom Preis wird eine Gebühr abgezogen.',
    sellGo: 'Zum Verkauf anbieten',
    offered: 'Angeboten für {price} (Nennwert {face}): Wenn es verkauft ist, erhältst du {credit} (Gebühr {fee}).',
    withdraw: 'Angebot zurückziehen',
    withdrawn: 'Das Angebot ist zurückgezogen: Das Ticket bleibt deins.',
    reissue: 'Neuen Code senden',
    reissueAsk: 'Einen neuen Code für dieses Ticket per E-Mail senden? Der Code, den du jetzt hast, gilt sofort nicht mehr.',
    reissued: 'Ein neuer Code ist per E-Mail unterwegs. Der alte Code gilt am Eingang nicht mehr.',
    reissuedUnmailed: 'Das Ticket wurde neu ausgestellt, aber die E-Mail konnte nicht gesendet werden: {why}',
    cancel: 'Abbrechen',
    working: 'Einen Moment …',
    offline: 'Der Server ist nicht erreichbar. Prüfe die Verbindung und versuche es erneut.',
    failed: 'Etwas ist schiefgelaufen. Versuche es gleich noch einmal.',
    busy: 'Zu viele Anfragen: Warte einen Moment und versuche es erneut.',
  },
};

// say returns the named sentence in the page's language, with {names} filled in.
function say(name, fill = {}) {
  const lang = language() === 'de' ? 'de' : 'en';
  return (words[lang][name] || words.en[name]).replace(/\{(\w+)\}/g, (_, k) => String(fill[k] ?? ''));
}

// The offers this browser made, by ticket id.
const offers = {
  all() {
    try { return JSON.parse(localStorage.getItem('ticketbooth.offers') || '{}'); } catch (e) { return {}; }
  },
  get(id) { return this.all()[id]; },
  put(id, offer) {
    const all = this.all();
    if (offer) all[id] = offer; else delete all[id];
    try { localStorage.setItem('ticketbooth.offers', JSON.stringify(all)); } catch (e) { /* private mode */ }
  },
};

// notice writes a sentence to the page's notice line above the list (made once).
export function notice(text, bad) {
  let p = document.getElementById('notice');
  if (!p) {
    p = el('p', 'wallet-notice');
    p.id = 'notice';
    p.setAttribute('role', 'status');
    const list = document.getElementById('tickets');
    list.parentNode.insertBefore(p, list);
  }
  p.textContent = text;
  p.className = bad ? 'wallet-notice problem' : 'wallet-notice';
  p.hidden = !text;
}

// post sends a JSON body to one of the ticket's actions; it answers {status, data}.
async function post(ctx, ticket, action, body) {
  const res = await fetch(API + encodeURIComponent(ticket.id) + '/' + action, {
    method: 'POST', cache: 'no-store', referrerPolicy: 'no-referrer',
    headers: {Authorization: 'Wallet ' + ctx.token(), Accept: 'application/json', 'Content-Type': 'application/json'},
    body: JSON.stringify(body || {}),
  });
  const data = await res.json().catch(() => ({}));
  return {status: res.status, data};
}

// refusal is the sentence for a refused answer: the API's own, else a general one.
function refusal(res) {
  if (res.status === 429) return say('busy');
  if (res.status < 500 && res.data && res.data.error) return res.data.error;
  return say('failed');
}

// money writes an amount in the sale's smallest unit as the page shows it: 9000 -> "90.00".
function money(n) {
  return (Number(n) / 100).toLocaleString(language(), {minimumFractionDigits: 2, maximumFractionDigits: 2});
}

// field is a labelled input of a form.
function field(name, label, type, attrs = {}) {
  const id = 'f-' + Math.random().toString(36).slice(2);
  const wrap = el('label', 'field');
  wrap.htmlFor = id;
  const input = el('input');
  Object.assign(input, {id, name, type, required: true}, attrs);
  wrap.append(el('span', 'field-label', label), input);
  return wrap;
}

// button is a type=button button.
function button(cls, text, onClick) {
  const b = el('button', 'button ' + cls, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

// ticketActions returns the actions of one ticket: a row of buttons and, under it, the
// open form and the ticket's own status line. ctx: {token(), reload(), gone(li)}.
export function ticketActions(ticket, ctx) {
  const box = el('div', 'ticket-actions');
  const row = el('div', 'ticket-action-row');
  const panel = el('div', 'ticket-panel');
  const status = el('p', 'ticket-status');
  status.setAttribute('role', 'status');
  const a = {ticket, ctx, box, panel, status, row};
  const redraw = () => {
    const offer = offers.get(ticket.id);
    const buttons = [button('reissue', say('reissue'), () => reissue(a))];
    if (ticket.hasCode) { // giving away and selling prove holding by the code this link keeps
      buttons.unshift(button('transfer', say('transfer'), () => open(a, transferForm)),
        offer ? button('withdraw', say('withdraw'), () => withdraw(a, offer)) : button('sell', say('sell'), () => open(a, sellForm)));
    }
    row.replaceChildren(...buttons);
  };
  a.redraw = redraw;
  redraw();
  box.append(row, panel, status);
  return box;
}

// open shows a form in the ticket's panel (or closes it when that form is open).
function open(a, make) {
  const same = a.panel.dataset.form === make.name;
  a.panel.replaceChildren();
  a.panel.dataset.form = '';
  if (same) return;
  const form = make(a);
  form.append(button('cancel', say('cancel'), () => { a.panel.replaceChildren(); a.panel.dataset.form = ''; }));
  a.panel.dataset.form = make.name;
  a.panel.append(form);
  form.querySelector('input').focus();
}

// act runs one request with the buttons disabled, showing its refusal in words.
async function act(a, run) {
  const buttons = a.box.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  a.status.textContent = say('working');
  a.status.className = 'ticket-status';
  try {
    const res = await run();
    if (res && res.problem) {
      a.status.textContent = res.problem;
      a.status.className = 'ticket-status problem';
    } else if (res && res.said) {
      a.status.textContent = res.said;
    }
  } catch (e) {
    a.status.textContent = say('offline');
    a.status.className = 'ticket-status problem';
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// transferForm asks for the receiver and gives the ticket away after a confirmation.
function transferForm(a) {
  const form = el('form', 'ticket-form');
  form.setAttribute('aria-label', say('transferTitle'));
  form.append(el('strong', 'ticket-form-title', say('transferTitle')),
    field('email', say('email'), 'email', {autocomplete: 'off', inputMode: 'email'}),
    field('firstName', say('firstName'), 'text', {autocomplete: 'off', required: false}),
    field('lastName', say('lastName'), 'text', {autocomplete: 'off'}));
  const go = el('button', 'button primary', say('transferGo'));
  go.type = 'submit';
  form.append(go);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (n) => form.elements[n].value.trim();
    const to = {email: v('email'), firstName: v('firstName'), lastName: v('lastName'), locale: language()};
    const who = [to.firstName, to.lastName].filter(Boolean).join(' ') + ' <' + to.email + '>';
    if (!confirm(say('transferAsk', {to: who}))) return;
    act(a, async () => {
      const res = await post(a.ctx, a.ticket, 'transfer', {to});
      if (res.status !== 200) return {problem: refusal(res)};
      offers.put(a.ticket.id, null);
      const li = a.box.closest('li');
      notice(res.data.mailed ? say('transferred', {to: who}) : say('transferredUnmailed', {to: who, why: res.data.mailError || ''}), !res.data.mailed);
      a.ctx.gone(li);
      return null;
    });
  });
  return form;
}

// sellForm asks for a price and offers the ticket for resale.
function sellForm(a) {
  const form = el('form', 'ticket-form');
  form.setAttribute('aria-label', say('sellTitle'));
  form.append(el('strong', 'ticket-form-title', say('sellTitle')),
    field('price', say('price'), 'number', {min: '0', step: '1', inputMode: 'numeric'}),
    el('p', 'hint', say('priceHint')));
  const go = el('button', 'button primary', say('sellGo'));
  go.type = 'submit';
  form.append(go);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const price = Number(form.elements.price.value);
    act(a, async () => {
      const res = await post(a.ctx, a.ticket, 'offer', {price});
      if (res.status !== 201) return {problem: refusal(res)};
      const o = res.data;
      offers.put(a.ticket.id, o.id);
      a.panel.replaceChildren();
      a.panel.dataset.form = '';
      a.redraw();
      return {said: say('offered', {price: money(o.price), face: money(o.faceValue), credit: money(o.credit), fee: money(o.fee)})};
    });
  });
  return form;
}

// withdraw withdraws the ticket's offer made in this browser.
function withdraw(a, offer) {
  act(a, async () => {
    const res = await post(a.ctx, a.ticket, 'withdraw', {offer});
    if (res.status !== 200) {
      if (res.status === 409 || res.status === 404) { offers.put(a.ticket.id, null); a.redraw(); }
      return {problem: refusal(res)};
    }
    offers.put(a.ticket.id, null);
    a.redraw();
    return {said: say('withdrawn')};
  });
}

// reissue has a new code mailed to the holder after a confirmation.
function reissue(a) {
  if (!confirm(say('reissueAsk'))) return;
  act(a, async () => {
    const res = await post(a.ctx, a.ticket, 'reissue');
    if (res.status !== 200) return {problem: refusal(res)};
    notice(res.data.mailed ? say('reissued') : say('reissuedUnmailed', {why: res.data.mailError || ''}), !res.data.mailed);
    await a.ctx.reload();
    return null;
  });
}
