// Package ticketpdf prints tickets: PDF tickets in the A4 print-at-home layout or the A6
// ticket-stock layout, and QR codes as PNG images.
//
// Printed lays an issuer.Purchase out as PrintedTickets, one per QR code, with the
// show's details from the contract's sale and the release deadline from the clock.
// WritePDF puts every ticket of a purchase, or of a box-office batch, into one PDF, one
// ticket a page; PDFStream does so chunk by chunk for batches too large to hold. WritePDF
// refuses a code whose modules would print under issuer.MinModuleMM on the layout.
//
// Each QR symbol is built once by the package's own encoder (byte mode, any level, the
// mask of the lowest penalty: qrencode.go; go-qrcode gives the levels' names and checks it
// in tests), on every core ahead of the page being drawn, and that one bitmap is drawn either as a PNG with a whole number of pixels per
// module (QRPNG) or as vector rectangles on a PDF page, always with a four-module quiet
// zone. The pages are written with package ticketpdf/pdf, which streams each page to the
// output as soon as it is drawn, so memory stays flat for 60,000 tickets, and embeds the
// Go fonts as subsets, so Latin, Greek and Cyrillic names print, and can be searched,
// without fetching anything at run time.
package ticketpdf
