// The verdict screen's words for the results of one scan, apart from how the scanner
// page shows them: the outcome (its colour, sound and vibration), the big word, the
// seats that may pass and those that may not, and why.

import {seatText, clock} from './common.js';

const REASONS = {
  invalid: 'Not a genuine ticket',
  not_sold: 'This seat was not sold, or its ticket was refunded',
  unknown_seat: 'No such seat at this venue',
  no_sale: 'No sale for this venue yet',
  malformed: 'This QR code is not a ticket',
};

// REFUSED says briefly why one seat of a code may not pass.
const REFUSED = {
  invalid: 'not a genuine ticket',
  not_sold: 'not sold, or its ticket was refunded',
  unknown_seat: 'no such seat here',
  no_sale: 'no sale yet',
  malformed: 'not a ticket',
};

const WORDS = {admit: 'ADMIT', already: 'ALREADY CHECKED IN', reject: 'REJECT'};

// WALLET_CODE matches the ledger's reasons for a SECURE ticket's code that is genuine but
// not the live one (a screenshot, a replay, the static QR of a ticket with a phone): the
// holder is sent back to the wallet rather than told the ticket is not genuine.
const WALLET_CODE = /show the (live )?code in the wallet/;

// verdictView turns the server's results on one scan into what the door staff see: every
// seat may pass (ADMIT), none because all were used (ALREADY CHECKED IN), none (REJECT),
// or some but not all (ADMIT n OF m, with the seats that may not pass and why). It
// returns {outcome, word, name, detail, note, seats:[{text, small}]}.
export function verdictView(results) {
  const ok = results.filter((r) => r.status === 'admitted' || r.status === 'valid');
  const already = results.filter((r) => r.status === 'already_checked_in');
  const bad = results.filter((r) => !ok.includes(r) && !already.includes(r));
  const outcome = ok.length ? (ok.length < results.length ? 'partial' : 'admit') : bad.length ? 'reject' : 'already';
  const named = results.find((r) => r.identityCheckRequired && r.name && ok.includes(r));
  const single = results.length === 1 ? results[0] : null;
  return {
    outcome,
    word: outcome === 'partial' ? 'ADMIT ' + ok.length + ' OF ' + results.length : WORDS[outcome] + (outcome === 'admit' && ok.length > 1 ? ' ' + ok.length : ''),
    name: named ? named.name : '',
    detail: headline(outcome, results, ok, bad, already),
    note: single && outcome === 'reject' ? [seatText(single.seat) ? 'Seat ' + seatText(single.seat) : '', single.reason].filter(Boolean).join(' · ') : '',
    seats: outcome === 'partial' ? results.filter((r) => !ok.includes(r)).map(refusedLine) : results.length > 1 ? results.map(seatLine) : [],
  };
}

function headline(outcome, results, ok, bad, already) {
  const seats = (rs) => (rs.length > 1 ? 'Seats ' : 'Seat ') + rs.map((r) => seatText(r.seat)).join(', ');
  switch (outcome) {
    case 'reject': return WALLET_CODE.test(bad[0].reason || '') ? 'Show the live code in the wallet' : REASONS[bad[0].status] || bad[0].reason || 'Not admitted';
    case 'already': return (already.length === 1 ? seats(already) + ' · first' : 'First') + ' entry ' + clock(already[0].checkedInAt) + ' at ' + already[0].gate;
    case 'partial': return 'Let in ' + seats(ok).replace(/^S/, 's') + ' only';
  }
  return results.length === 1 ? seats(results) : '';
}

function seatLine(r) {
  const words = {admitted: 'admitted', valid: 'valid', already_checked_in: 'already in, ' + (r.checkedInAt ? clock(r.checkedInAt) + ' at ' + r.gate : '')};
  return {text: 'Seat ' + seatText(r.seat) + ' — ' + (words[r.status] || REASONS[r.status] || r.status), small: r.status in words ? '' : r.reason};
}

// refusedLine names a seat of a mixed verdict that may not pass, and why.
function refusedLine(r) {
  const seat = 'Not seat ' + seatText(r.seat) + ': ';
  if (r.status === 'already_checked_in') {
    return {text: seat + 'already in', small: r.checkedInAt ? 'first entry ' + clock(r.checkedInAt) + ' at ' + r.gate : ''};
  }
  const short = REFUSED[r.status];
  return {text: seat + (short || r.reason || r.status), small: short && (r.status === 'invalid' || r.status === 'malformed') ? r.reason : ''};
}
