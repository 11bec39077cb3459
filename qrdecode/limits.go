package qrdecode

import (
	"encoding/binary"
	"image"
	"image/color"
)

// Limits bound what decoding one image may cost. They are checked from the image's
// header, before any pixel is decoded, so a small hostile file (a truncated progressive
// JPEG or a 16-bit PNG declaring 6,000 pixels a side) is refused without allocating.
type Limits struct {
	MaxSide   int   // pixels on either side
	MaxPixels int   // width × height
	MaxMemory int64 // bytes the image decoder and the code search may take, estimated from the header
}

// GateLimits bound an image sent to the server (a camera frame, a phone photo): 4096
// pixels a side, 16 megapixels, 128 MB. A 12-megapixel phone photo passes; a 16-bit PNG
// of 4000x4000 (about 176 MB to decode) does not.
var GateLimits = Limits{MaxSide: 4096, MaxPixels: 16_000_000, MaxMemory: 128 << 20}

// FileLimits bound the picture files the command line reads (a big scan, a 50-megapixel
// photo) and an image already in memory given to Decode: 12,000 pixels a side, 64
// megapixels, 1 GB.
var FileLimits = Limits{MaxSide: 12_000, MaxPixels: 64_000_000, MaxMemory: 1 << 30}

// MaxImagePixels is GateLimits.MaxPixels, the most pixels DecodeBytes and Decode accept.
const MaxImagePixels = 16_000_000

// check refuses an image whose header promises more than the limits allow, with a
// sentence saying the limit. kind names the format ("PNG"); data is the whole file.
func (l Limits) check(kind string, cfg image.Config, data []byte) error {
	w, h := cfg.Width, cfg.Height
	if w > l.MaxSide || h > l.MaxSide || w*h > l.MaxPixels {
		return newError(ErrImageTooLarge, "this %s of %dx%d pixels is larger than a camera frame: at most %d pixels a side and %d megapixels; scale it down",
			kind, w, h, l.MaxSide, l.MaxPixels/1_000_000)
	}
	if cost := decodeCost(kind, cfg, data); cost > l.MaxMemory {
		return newError(ErrImageTooLarge, "decoding this %s of %dx%d pixels would take about %d MB, more than the %d MB one image may use; send an 8-bit picture or scale it down",
			kind, w, h, cost>>20, l.MaxMemory>>20)
	}
	return nil
}

// searchBytesPerPixel is what the code search takes beyond the decoded image: the
// luminance plane, a half-size copy and the binarized matrices.
const searchBytesPerPixel = 3

// decodeCost estimates the bytes decoding an image and searching it for a code takes:
// the decoded pixels (an interlaced PNG is decoded pass by pass, twice the pixels; a
// progressive JPEG keeps every coefficient, 4 bytes a pixel per component) plus the search.
func decodeCost(kind string, cfg image.Config, data []byte) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	per := bytesPerPixel(cfg.ColorModel)
	switch {
	case kind == "PNG" && pngInterlaced(data):
		per *= 2
	case kind == "JPEG" && jpegProgressive(data):
		per += 4 * per
	}
	return px * int64(per+searchBytesPerPixel)
}

// bytesPerPixel is the size of one decoded pixel in the colour model (YCbCr counted
// without chroma subsampling, the costliest case).
func bytesPerPixel(m color.Model) int {
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8 // 16-bit RGBA, and anything else
}

// pngInterlaced reads the interlace method of a PNG's header (IHDR, after the signature).
func pngInterlaced(data []byte) bool {
	const at = 8 + 8 + 12 // signature, chunk length and type, 12 bytes into IHDR
	return len(data) > at && data[at] != 0
}

// jpegProgressive reports whether a JPEG's frame header (SOFn) is a progressive one,
// walking the marker segments before it; true when none is found, the costlier guess.
func jpegProgressive(data []byte) bool {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return true
		}
		switch m := data[i+1]; {
		case m == 0xff:
			i++ // fill byte
			continue
		case m == 0x01 || m == 0xd8 || m >= 0xd0 && m <= 0xd7:
			i += 2 // markers without a segment
			continue
		case m == 0xc2 || m == 0xc6 || m == 0xca || m == 0xce:
			return true
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			return false
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	return true
}
