// Package qrdecode reads QR codes in images: image to text, nothing more. It knows
// nothing of tickets or the ledger; its errors are its own (*Error, with a Kind and a
// message in words), which the server and the command line turn into the ledger's in one
// place (internal/gateread).
//
// Decode and DecodeBytes turn an image into QR text with a cheap-first search around
// gozxing (decode_search.go): a reduced pyramid level first for large frames, both of
// gozxing's binarizers, then contrast stretching, an adaptive binarizer and a blur only
// when the image needs them, an inverted retry by flipping the bit matrix, and enlarged
// crops around finder candidates. When gozxing's detector fails, a second pass of our own
// combines finder candidates (rescanning the whole matrix when gozxing's scan stopped at
// a false finder in the data area), measures each finder along the code's own axes, counts
// modules from the timing patterns and fits the perspective by least squares. DecodeAll
// finds every code of a whole picture.
//
// What one image may cost is bounded by Limits, checked from the image's header before a
// pixel is decoded: GateLimits for what a stranger sends to the server, FileLimits for
// the files the command line reads.
package qrdecode
