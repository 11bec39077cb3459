package ticketpdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// DefaultRecovery is the QR error correction level of printed and rendered tickets: M,
// which restores up to 15% of a damaged symbol.
const DefaultRecovery = qrcode.Medium

// MaxModulePx bounds the pixels per module of QRPNG, so that a bad argument cannot ask
// for an image of gigabytes.
const MaxModulePx = 64

// qrSymbol is one QR symbol built once (newQRSymbol) and drawn as many ways as needed: a
// square of size×size modules without its quiet zone, dark[y*size+x] true for dark.
type qrSymbol struct {
	size int
	dark []bool
}

// qrVersion returns the version (1 to 40) of the QR symbol text needs at the level, in
// byte mode: EINVALID for a text that fits in no symbol. At level M it is the issuer's
// (issuer.VersionM), which TestQRVersionIsTheIssuers checks.
func qrVersion(text string, level qrcode.RecoveryLevel) (int, error) {
	if level < qrcode.Low || level > qrcode.Highest {
		return 0, ledger.Errorf(ledger.EINVALID, "Invalid QR recovery level %d: use 0 (L) to 3 (H)", level)
	}
	v := qrFitVersion(len(text), level)
	if v == 0 {
		return 0, ledger.Errorf(ledger.EINVALID, "the QR text of %d bytes does not fit in a QR code (content too long to encode)", len(text))
	}
	return v, nil
}

// newQRSymbol encodes text at the recovery level (qrencode.go). It returns an EINVALID
// error for an empty text, an unknown level or a text longer than a QR symbol holds.
func newQRSymbol(text string, level qrcode.RecoveryLevel) (*qrSymbol, error) {
	if text == "" {
		return nil, ledger.Errorf(ledger.EINVALID, "Invalid QR text: it is empty")
	}
	if level < qrcode.Low || level > qrcode.Highest {
		return nil, ledger.Errorf(ledger.EINVALID, "Invalid QR recovery level %d: use 0 (L) to 3 (H)", level)
	}
	v := qrFitVersion(len(text), level)
	if v == 0 {
		return nil, ledger.Errorf(ledger.EINVALID, "Invalid QR text: %d bytes do not fit in a QR code at this recovery level (content too long to encode)", len(text))
	}
	return encodeQR(text, v, level, -1), nil
}

// width returns the number of modules across the symbol with its quiet zone.
func (s *qrSymbol) width() int { return s.size + 2*issuer.QuietZone }

// runs calls fn for every horizontal run of dark modules, with the run's row, first
// column and length, counted in modules from the symbol's top-left corner (quiet zone
// excluded).
func (s *qrSymbol) runs(fn func(row, col, length int)) {
	for y := 0; y < s.size; y++ {
		line := s.dark[y*s.size : (y+1)*s.size]
		for x := 0; x < s.size; {
			if !line[x] {
				x++
				continue
			}
			start := x
			for x < s.size && line[x] {
				x++
			}
			fn(y, start, x-start)
		}
	}
}

// image draws the symbol with its quiet zone, modulePx pixels per module, as a two-colour
// paletted image (index 0 white, 1 black), which PNG stores at one bit per pixel.
func (s *qrSymbol) image(modulePx int) *image.Paletted {
	side := s.width() * modulePx
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	dark := make([]uint8, side) // one pixel row of the current module row
	for y := 0; y < s.size; y++ {
		clear(dark)
		for x := 0; x < s.size; x++ {
			if s.dark[y*s.size+x] {
				from := (x + issuer.QuietZone) * modulePx
				for i := from; i < from+modulePx; i++ {
					dark[i] = 1
				}
			}
		}
		top := (y + issuer.QuietZone) * modulePx
		for py := top; py < top+modulePx; py++ {
			copy(img.Pix[py*img.Stride:py*img.Stride+side], dark)
		}
	}
	return img
}

// QRPNG renders text as a PNG QR code at the recovery level (DefaultRecovery unless there
// is a reason), with exactly modulePx pixels per module (1 to MaxModulePx) and a
// issuer.QuietZone-module white margin, so that no module is stretched. It returns an EINVALID
// error for an empty text, a text that does not fit in a QR code, an unknown level or a
// modulePx out of range.
func QRPNG(text string, level qrcode.RecoveryLevel, modulePx int) ([]byte, error) {
	if modulePx < 1 || modulePx > MaxModulePx {
		return nil, ledger.Errorf(ledger.EINVALID, "Invalid QR module size %d px: use 1 to %d", modulePx, MaxModulePx)
	}
	sym, err := newQRSymbol(text, level)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, sym.image(modulePx)); err != nil {
		return nil, fmt.Errorf("encode QR PNG: %w", err)
	}
	return buf.Bytes(), nil
}
