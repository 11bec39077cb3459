// The code views of the wallet page: how one ticket's code is drawn full-screen, chosen
// by the ticket's format. The static view (PDF tickets, and any format without a view of
// its own) shows the QR the server draws for the link's code. A format with a code of
// its own (the rotating codes of SECURE tickets) registers its view here:
//
//   import {registerCodeView} from '/assets/wallet-code.js';
//   registerCodeView('SECURE', {show(ticket, ctx) { ...; return () => { /* stop */ }; }});
//
// show draws into ctx.stage (an empty element filling the screen), may write a line to
// ctx.note(text, problem), calls the wallet's API with ctx.call(path, options) (the
// token is added there; it answers {status, data} or throws), and returns a function
// that stops it when the code is closed.

import {word} from './wallet-words.js';

const views = new Map();

// registerCodeView makes view draw the codes of tickets of the format.
export function registerCodeView(format, view) {
  views.set(format, view);
}

// codeView returns the view of a ticket's format: its own, else the static view.
export function codeView(format) {
  return views.get(format) || staticView;
}

// staticView shows the link's code of the ticket as the server draws it (a PNG).
export const staticView = {
  show(ticket, ctx) {
    let url = '';
    let stopped = false;
    (async () => {
      const res = await ctx.fetch('/wallet/tickets/' + encodeURIComponent(ticket.id) + '/code.png');
      if (stopped) return;
      if (!res.ok) {
        const data = await res.json().catch(() => ({}));
        ctx.note(problemWord(res.status, data), true);
        return;
      }
      url = URL.createObjectURL(await res.blob());
      if (stopped) return URL.revokeObjectURL(url);
      const img = document.createElement('img');
      img.alt = 'QR';
      img.id = 'code-image';
      img.src = url;
      ctx.stage.replaceChildren(img);
      ctx.note(word('codeHint'), false);
    })().catch(() => { if (!stopped) ctx.note(word('offline'), true); });
    return () => {
      stopped = true;
      if (url) URL.revokeObjectURL(url);
    };
  },
};

// problemWord words a refused answer of the wallet's API for the customer.
export function problemWord(status, data) {
  if (status === 401) return word('badLink');
  if (status === 429) return word('busy');
  if (status === 400 && data && data.code === 'refused') return word('reissued');
  if (status === 404) return word('noCode');
  return word('failed');
}
