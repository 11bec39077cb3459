// Package pdfscan reads the QR codes printed in a PDF, for the gate: a ticket sent as a
// PDF, or a PDF that holds a photo or scan of a ticket, without any external program.
//
// It finds the objects of the file by scanning for "N G obj" (and inside object
// streams), so that a file with a damaged cross-reference table still reads; walks the
// page tree; and for each page paints the filled paths of its content streams and form
// XObjects (rectangles, lines and curves, in grey levels) into a raster at about 300 dpi,
// as the issuer's vector QR codes are drawn. Text, strokes and shadings are not painted.
// Each image XObject (JPEG or Flate-compressed samples, inline images too) is decoded as
// an image of its own. The rasters and images go to qrdecode.DecodeAll, which finds every
// code of a picture.
//
// Everything a stranger can send is bounded (see Limits): the file's size, the number of
// objects, pages and content operators, the inflated size of each stream and of them
// all, the nesting of objects and forms, and the raster's pixels. A malformed or hostile
// file gives a *qrdecode.Error in plain words, never a panic. The package knows nothing
// of tickets or the ledger: the server and the command line turn its errors into the
// ledger's (internal/gateread).
//
// DecodeFile reads a PDF or an image alike and is what the CLI and the server call.
package pdfscan
