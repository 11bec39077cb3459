// Package scanner reads tickets at the gate: image to QR text, QR text to tickets, verify
// and check in.
//
// Decode and DecodeBytes turn an image into QR text with a cheap-first search around
// gozxing (decode_search.go): a reduced pyramid level first for large frames, both of
// gozxing's binarizers, then contrast stretching, an adaptive binarizer and a blur only
// when the image needs them, an inverted retry by flipping the bit matrix, and enlarged
// crops around finder candidates. When gozxing's detector fails, a second pass of our own
// combines finder candidates (rescanning the whole matrix when gozxing's scan stopped at
// a false finder in the data area), measures each finder along the code's own axes, counts
// modules from the timing patterns and fits the perspective by least squares.
//
// ParseQR parses QR text strictly into ledger.QRTickets. Gate checks the tickets of one
// scan in against the ledger, which verifies and admits them atomically.
package scanner
