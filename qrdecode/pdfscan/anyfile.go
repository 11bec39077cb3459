package pdfscan

import (
	"context"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// DecodeFile reads every QR code of a file that is either a PDF (see Decode) or a PNG,
// JPEG or GIF image within lim.Pictures (see scanner.DecodeAll; its codes have page 0).
// Anything else is an EINVALID error wrapping ErrNotPDF and scanner.ErrImageFormat that
// says so in words; an image's other errors are scanner.DecodeAllBytesWithin's.
func DecodeFile(ctx context.Context, data []byte, lim Limits) ([]Code, error) {
	if IsPDF(data) {
		return Decode(ctx, data, lim)
	}
	texts, err := scanner.DecodeAllBytesWithin(data, lim.withDefaults().Pictures)
	if errors.Is(err, scanner.ErrImageFormat) {
		return nil, newError(errors.Join(ErrNotPDF, scanner.ErrImageFormat), "This file is neither a picture (PNG, JPEG or GIF) nor a PDF")
	}
	if err != nil {
		return nil, err
	}
	codes := make([]Code, len(texts))
	for i, t := range texts {
		codes[i] = Code{Text: t}
	}
	return codes, nil
}
