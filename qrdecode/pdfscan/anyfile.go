package pdfscan

import (
	"context"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// DecodeFile reads every QR code of a file that is either a PDF (see Decode) or a PNG,
// JPEG or GIF image within lim.Pictures (see qrdecode.DecodeAll; its codes have page 0).
// Anything else is a *qrdecode.Error whose Kind joins ErrNotPDF and
// qrdecode.ErrImageFormat, saying so in words; an image's other errors are qrdecode.DecodeAllBytesWithin's.
func DecodeFile(ctx context.Context, data []byte, lim Limits) ([]Code, error) {
	if IsPDF(data) {
		return Decode(ctx, data, lim)
	}
	texts, err := qrdecode.DecodeAllBytesWithin(data, lim.withDefaults().Pictures)
	if errors.Is(err, qrdecode.ErrImageFormat) {
		return nil, newError(errors.Join(ErrNotPDF, qrdecode.ErrImageFormat), "This file is neither a picture (PNG, JPEG or GIF) nor a PDF")
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
