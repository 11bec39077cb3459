// The wallet page's words in English and German; the customer's language comes with the
// wallet (its "language"), the browser's until then.

const words = {
  en: {
    title: 'Your tickets',
    subtitle: "Show a ticket's code at the entrance",
    loading: 'Loading your tickets…',
    none: 'There are no tickets in this wallet now.',
    noLink: 'This page needs the link from your e-mail. Open the link again from the e-mail.',
    badLink: 'This wallet link is not valid: it may have been revoked. Ask the box office or the organizer to send you a new one.',
    offline: 'The server cannot be reached. Check your connection and try again.',
    busy: 'Too many requests: wait a moment and try again.',
    failed: 'Something went wrong. Try again in a moment.',
    showCode: 'Show code',
    noCode: "This link holds no code for this ticket: open the link of the e-mail that brought it, or ask for it to be sent again.",
    reissued: 'This ticket was reissued or transferred: its code here no longer admits.',
    checkedIn: 'Admitted',
    issued: 'Valid',
    seat: 'Seat',
    section: 'Section',
    close: 'Close',
    revoke: 'Revoke this link',
    revokeHint: 'Anyone who has this link sees your tickets. Revoke it if it reached someone else; the box office can send you a new one.',
    revokeAsk: 'Revoke this link? It stops working on every device at once.',
    revoked: 'This link is revoked. Ask the box office or the organizer for a new one.',
    codeHint: 'Turn the screen brightness up and hold the code flat to the scanner.',
  },
  de: {
    title: 'Deine Tickets',
    subtitle: 'Zeige den Code eines Tickets am Eingang',
    loading: 'Tickets werden geladen …',
    none: 'In dieser Wallet sind zurzeit keine Tickets.',
    noLink: 'Diese Seite braucht den Link aus deiner E-Mail. Öffne den Link aus der E-Mail erneut.',
    badLink: 'Dieser Wallet-Link ist nicht gültig: Vielleicht wurde er widerrufen. Bitte die Kasse oder den Veranstalter um einen neuen.',
    offline: 'Der Server ist nicht erreichbar. Prüfe die Verbindung und versuche es erneut.',
    busy: 'Zu viele Anfragen: Warte einen Moment und versuche es erneut.',
    failed: 'Etwas ist schiefgelaufen. Versuche es gleich noch einmal.',
    showCode: 'Code zeigen',
    noCode: 'Dieser Link enthält keinen Code für dieses Ticket: Öffne den Link der E-Mail, mit der es kam, oder lass es dir erneut senden.',
    reissued: 'Dieses Ticket wurde neu ausgestellt oder übertragen: Sein Code hier gilt nicht mehr.',
    checkedIn: 'Eingelassen',
    issued: 'Gültig',
    seat: 'Platz',
    section: 'Bereich',
    close: 'Schliessen',
    revoke: 'Diesen Link widerrufen',
    revokeHint: 'Wer diesen Link hat, sieht deine Tickets. Widerrufe ihn, wenn er in falsche Hände kam; die Kasse sendet dir einen neuen.',
    revokeAsk: 'Diesen Link widerrufen? Er funktioniert dann auf keinem Gerät mehr.',
    revoked: 'Dieser Link ist widerrufen. Bitte die Kasse oder den Veranstalter um einen neuen.',
    codeHint: 'Stelle den Bildschirm hell und halte den Code flach an den Scanner.',
  },
};

let lang = pick(navigator.language);

// pick returns the page's language for a language tag: German for "de…", else English.
export function pick(tag) {
  return String(tag || '').toLowerCase().startsWith('de') ? 'de' : 'en';
}

// setLanguage switches the page to "de" or "en" and rewrites the words marked data-word.
export function setLanguage(l) {
  lang = pick(l);
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll('[data-word]')) e.textContent = word(e.dataset.word);
}

// language returns the page's language.
export function language() {
  return lang;
}

// word returns the named word in the page's language.
export function word(name) {
  return words[lang][name] || words.en[name] || name;
}
