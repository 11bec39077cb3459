// Package issuer sells tickets: it reserves and releases seats against the ledger with
// fresh secrets, builds the QR payload and renders QR images and PDF tickets.
//
// Rendering builds each QR symbol once with go-qrcode and draws that one bitmap either as
// a PNG with a whole number of pixels per module (QRPNG) or as vector rectangles on a PDF
// page (WritePDF), always with a four-module quiet zone. WritePDF puts every ticket of a
// purchase, or of a box-office batch, into one PDF, one ticket a page, in the A4
// print-at-home layout or the A6 ticket-stock layout. How many tickets one code carries
// depends on the page: PrintableQRTexts groups a purchase so that every module prints at
// least MinModuleMM (0.5 mm), and WritePDF refuses a code that would print smaller. Symbols are built on every core
// ahead of the page being drawn, and a small PDF writer of our own streams each page to
// the output as soon as it is drawn, so memory stays flat for 60,000 tickets. The Go
// fonts are embedded as subsets, so Latin, Greek and Cyrillic names print, and can be
// searched, without fetching anything at run time.
package issuer
