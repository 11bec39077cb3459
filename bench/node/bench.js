// Node baseline: qrcode builds each ticket's QR (PNG buffer, as a print shop would embed it) and pdfkit
// writes one A6 page per ticket with the same kind of text; single process, as node runs it.
const QRCode = require('qrcode');
const PDFDocument = require('pdfkit');
const fs = require('fs');
const crypto = require('crypto');
const N = parseInt(process.argv[2] || '500');
function hex(n) { return crypto.randomBytes(n).toString('hex'); }
function secret() { const a='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'; let s=''; for (const b of crypto.randomBytes(15)) s+=a[b&63]; return s; }
(async () => {
  const t0 = process.hrtime.bigint();
  const doc = new PDFDocument({ size: [419.5, 297.6], autoFirstPage: false });
  doc.pipe(fs.createWriteStream(require('os').tmpdir() + '/ticketbooth-node-baseline.pdf'));
  for (let i = 0; i < N; i++) {
    const text = JSON.stringify([{ seat: { number: i + 1, letter: 'A', section: 'West Lower' }, secret: secret(), secretKey: hex(32), secretIV: hex(16) }]);
    const png = await QRCode.toBuffer(text, { errorCorrectionLevel: 'M', margin: 4, scale: 4 });
    doc.addPage();
    doc.fontSize(18).text('Cup Final', 20, 20);
    doc.fontSize(10).text('Presented by FA — Ticketbooth Stadium', 20, 45);
    doc.text('Seat West Lower/' + (i + 1) + 'A   EUR 45.00', 20, 65);
    doc.text('TB-7KQ2-91XA  ' + hex(32), 20, 85);
    doc.image(png, 250, 20, { width: 150 });
  }
  doc.end();
  await new Promise(r => doc.on('end', r));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${N} tickets in ${s.toFixed(2)} s = ${(N / s).toFixed(0)} tickets/s`);
})();
