package qrdecode

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
)

// Decode reads the first QR code found in img and returns its text, as UTF-8. Segments
// with an ECI designator are converted from the character set it names; a byte segment
// without one is read as UTF-8 when it is valid UTF-8 (the JSON of a ticket QR always
// is), else as ISO-8859-1 or Shift_JIS, whichever its bytes fit (gozxing's guess).
// When no code can be read it returns an *Error of kind ErrNoCode whose message says why. Decode never panics; it is safe for concurrent use.
func Decode(img image.Image) (string, error) {
	l, err := imageLuminance(img)
	if err != nil {
		return "", err
	}
	return decodeLuminance(l)
}

// imageLuminance checks the size of an image given to Decode or DecodeAll and converts
// it to luminance.
func imageLuminance(img image.Image) (*luma, error) {
	if img == nil {
		return nil, newError(ErrNoCode, "no image")
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, newError(ErrNoCode, "empty image")
	}
	if b.Dx() > FileLimits.MaxSide || b.Dy() > FileLimits.MaxSide || b.Dx()*b.Dy() > FileLimits.MaxPixels {
		return nil, newError(ErrImageTooLarge, "%dx%d pixels, the limit is %d a side and %d megapixels", b.Dx(), b.Dy(), FileLimits.MaxSide, FileLimits.MaxPixels/1_000_000)
	}
	return safeLuminance(img)
}

// safeLuminance converts img to luminance, turning a panic of a malformed image (one
// whose pixel buffer is shorter than its bounds say) into an error.
func safeLuminance(img image.Image) (l *luma, err error) {
	defer func() {
		if r := recover(); r != nil {
			l, err = nil, newError(ErrNoCode, "the image's pixels cannot be read")
		}
	}()
	return luminanceOf(img), nil
}

// DecodeBytes recognises a PNG, JPEG or GIF image by its first bytes, decodes it and then
// the first QR code in it (see Decode), within GateLimits. It returns an *Error of kind
// ErrImageFormat for other data, ErrImageCorrupt for an image that cannot be decoded,
// ErrImageTooLarge for one over the limits (checked from the header before decoding) and
// ErrNoCode when the image holds no readable QR code.
func DecodeBytes(data []byte) (string, error) {
	return DecodeBytesWithin(data, GateLimits)
}

// DecodeBytesWithin is DecodeBytes within the limits lim.
func DecodeBytesWithin(data []byte, lim Limits) (string, error) {
	img, err := decodeImage(data, lim)
	if err != nil {
		return "", err
	}
	return Decode(img)
}

// decodeImage decodes the image of DecodeBytes and DecodeAllBytes, after checking its
// format and, from its header, that it is within lim.
func decodeImage(data []byte, lim Limits) (image.Image, error) {
	name, decode, config := imageCodec(data)
	if decode == nil {
		return nil, newError(ErrImageFormat, "")
	}
	cfg, err := config(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, newError(ErrImageCorrupt, "its %s header is damaged or cut short", name)
	}
	if err := lim.check(name, cfg, data); err != nil {
		return nil, err
	}
	img, err := safeImageDecode(decode, data)
	if err != nil {
		return nil, newError(ErrImageCorrupt, "the %s file is damaged or cut short", name)
	}
	return img, nil
}

type (
	decodeFunc func(r *bytes.Reader) (image.Image, error)
	configFunc func(r *bytes.Reader) (image.Config, error)
)

// imageCodec sniffs the format from the magic bytes. It does not use image.Decode's
// registry, so that what this package accepts does not depend on what else the program
// imports.
func imageCodec(data []byte) (string, decodeFunc, configFunc) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG", func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) },
			func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) }
	case bytes.HasPrefix(data, []byte("\xff\xd8")):
		return "JPEG", func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) },
			func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) }
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "GIF", func(r *bytes.Reader) (image.Image, error) { return gif.Decode(r) },
			func(r *bytes.Reader) (image.Config, error) { return gif.DecodeConfig(r) }
	}
	return "", nil, nil
}

// safeImageDecode runs an image decoder, turning a panic inside it into an error.
func safeImageDecode(decode decodeFunc, data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("decoder failure: %v", r)
		}
	}()
	return decode(bytes.NewReader(data))
}
