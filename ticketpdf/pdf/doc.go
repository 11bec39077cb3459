// Package pdf writes PDF documents as a stream, with the Go fonts embedded as subsets. It
// knows nothing of tickets, QR codes or the ledger: ticketpdf draws the tickets with it.
//
// A Writer writes each page to its io.Writer as soon as the page is drawn, keeping only
// the byte offset of each object (16 bytes a page), so memory stays flat however long
// the document. A Page draws text in one of the three embedded fonts (Regular, Bold,
// Mono), filled rectangles, lines, rounded rectangles, and grids of black cells (Grid,
// one path of runs, which rasterizes sharply at any resolution). Positions and sizes are
// millimetres from the top-left corner of the page; font sizes are points.
//
// After the last page, Close embeds each font cut down to the glyphs the pages drew
// (TrueType subsetting that keeps glyph indexes, so that the text's glyph codes stay
// valid) with a ToUnicode map, so that the text can be searched and copied, and writes
// the cross-reference table. The same pages give the same bytes.
package pdf
