package qrdecode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// referenceText is what the Ticketbooth documentation's example QR (testdata) reads, as
// given in the reference material: a UTF-8 ECI code made by Ticketbooth's own encoder.
const referenceText = `[{"seat":{"number":1,"letter":"A"},"secret":"USfoUzEvP1wf04I","nameKey":"4d38a395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d","nameIV":"7d4984f0bda1d5bbb341edf26553e896"}]`

func TestDecodeBytesReferenceQR(t *testing.T) {
	data, err := os.ReadFile("testdata/ticketbooth-docs-example-qr.png")
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeBytes(data)
	if err != nil {
		t.Fatalf("DecodeBytes: %v", err)
	}
	if got != referenceText {
		t.Errorf("got %q\nwant %q", got, referenceText)
	}
}

// testCode renders text as a plain code: 5 pixels per module, a 4-module quiet zone.
func testCode(tb testing.TB, text string) *image.Gray {
	tb.Helper()
	return cropped(sheet(qrBits(tb, text)), 5, pose{}, 235).gray()
}

func TestDecodeUTF8WithoutECI(t *testing.T) {
	// go-qrcode writes UTF-8 bytes without an ECI designator, as many encoders do.
	want := `[{"seat":{"number":7,"letter":"B","section":"Parkett/Loge Süd – 東"},"secret":"abcdefghijklmno"}]`
	got, err := Decode(testCode(t, want))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got != want || !utf8.ValidString(got) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestDecodeLatin1WithoutECI(t *testing.T) {
	// "Süd 3§" in ISO-8859-1 bytes, which are not valid UTF-8.
	latin1 := string([]byte{'S', 0xfc, 'd', ' ', '3', 0xa7})
	got, err := Decode(testCode(t, latin1))
	if want := "Süd 3§"; err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

func TestDecodeBytesFormats(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	want := ticketPayload(t, rng, 1)
	img := testCode(t, want)
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, img, nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"PNG": encodePNG(t, img), "JPEG": encodeJPEG(t, img, 90), "GIF": gifData.Bytes(),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := DecodeBytes(data)
			if err != nil || got != want {
				t.Errorf("got %q, %v; want %q", got, err, want)
			}
		})
	}
}

// TestDecodeImageTypes decodes one code held in each image type the standard library
// has, including sub-images and a code drawn on a transparent background.
func TestDecodeImageTypes(t *testing.T) {
	want := "ticket image types"
	g := testCode(t, want)
	b := g.Bounds()
	convert := func(dst draw.Image) image.Image { draw.Draw(dst, b, g, b.Min, draw.Src); return dst }
	transparent := image.NewNRGBA(b)
	for i, v := range g.Pix {
		if v < 128 {
			transparent.Pix[4*i+3] = 255 // black ink; the paper stays transparent black
		}
	}
	pal := image.NewPaletted(b, color.Palette{color.White, color.Black})
	big := image.NewGray(image.Rect(0, 0, b.Dx()+40, b.Dy()+40))
	draw.Draw(big, big.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(big, b.Add(image.Pt(20, 20)), g, b.Min, draw.Src)
	cases := map[string]image.Image{
		"Gray": g, "RGBA": convert(image.NewRGBA(b)), "NRGBA": convert(image.NewNRGBA(b)),
		"Gray16": convert(image.NewGray16(b)), "RGBA64": convert(image.NewRGBA64(b)),
		"CMYK": convert(image.NewCMYK(b)), "Paletted": convert(pal),
		"YCbCr": jpegRoundTrip(t, g), "TransparentNRGBA": transparent,
		"SubImage": big.SubImage(image.Rect(10, 10, b.Dx()+30, b.Dy()+30)),
	}
	for name, img := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := Decode(img)
			if err != nil || got != want {
				t.Errorf("got %q, %v; want %q", got, err, want)
			}
		})
	}
}

func jpegRoundTrip(tb testing.TB, img image.Image) image.Image {
	tb.Helper()
	out, err := jpegDecode(encodeJPEG(tb, img, 95))
	if err != nil {
		tb.Fatal(err)
	}
	if _, ok := out.(*image.YCbCr); !ok {
		// A grey JPEG decodes to *image.Gray; make a colour one.
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		rgba.Pix[0] = 200 // one coloured pixel makes the encoder keep chroma
		out, err = jpegDecode(encodeJPEG(tb, rgba, 95))
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

func jpegDecode(data []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(data)) }

// pngHeader returns the signature and IHDR chunk of a PNG of the given size: enough for
// image.DecodeConfig, with no pixel data after it.
func pngHeader(w, h uint32) []byte {
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8] = 8 // bit depth; colour type 0 (grey), no interlace
	chunk := append([]byte("IHDR"), ihdr[:]...)
	out := append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13)
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

func TestDecodeBytesErrors(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 300, 200))
	draw.Draw(blank, blank.Bounds(), image.White, image.Point{}, draw.Src)
	valid := encodePNG(t, testCode(t, "truncate me"))
	cases := []struct {
		name string
		data []byte
		kind error
	}{
		{"Empty", nil, ErrImageFormat},
		{"Text", []byte(`[{"seat":{"number":1}}]`), ErrImageFormat},
		{"BMP", []byte("BM\x00\x00\x00\x00"), ErrImageFormat},
		{"PNGSignatureOnly", []byte("\x89PNG\r\n\x1a\n"), ErrImageCorrupt},
		{"TruncatedPNG", valid[:len(valid)/2], ErrImageCorrupt},
		{"TruncatedJPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), ErrImageCorrupt},
		{"ZeroSizePNG", pngHeader(0, 10), ErrImageCorrupt},
		{"HugePNG", pngHeader(50000, 50000), ErrImageTooLarge},
		{"WidePNG", pngHeader(MaxImagePixels+1, 1), ErrImageTooLarge},
		{"Blank", encodePNG(t, blank), ErrNoCode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, err := DecodeBytes(c.data)
			checkScanError(t, text, err, c.kind)
		})
	}
}

// checkScanError checks that err is an *Error of the kind whose message starts with
// the kind's text.
func checkScanError(t *testing.T, text string, err, kind error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got %q and no error, want %v", text, kind)
	}
	if !errors.Is(err, kind) {
		t.Errorf("error %q does not wrap %q", err, kind)
	}
	var de *Error
	if !errors.As(err, &de) || de.Kind != kind {
		t.Fatalf("error %q is not an *Error of kind %q", err, kind)
	}
	if !strings.HasPrefix(de.Message, kind.Error()) || err.Error() != de.Message {
		t.Errorf("message %q does not start with %q", de.Message, kind)
	}
}

func TestDecodeNoCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	noisy := newCanvas(640, 480, 128)
	noisy.clutter(rng, 20)
	noisy.noise(rng, 30)
	cases := map[string]image.Image{
		"Nil":   nil,
		"Empty": image.NewGray(image.Rect(5, 5, 5, 9)),
		"Tiny":  image.NewGray(image.Rect(0, 0, 1, 1)),
		"Noise": noisy.gray(),
	}
	for name, img := range cases {
		t.Run(name, func(t *testing.T) {
			text, err := Decode(img)
			checkScanError(t, text, err, ErrNoCode)
		})
	}
}

func TestDecodeReasonSaysWhy(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 120, 80))
	_, err := Decode(img)
	if !strings.Contains(err.Error(), "no finder patterns") || !strings.Contains(err.Error(), "120x80") {
		t.Errorf("error %q does not say what was searched and why it failed", err)
	}
}

// TestDecodeLargePhoto decodes a 24-megapixel photo with the code small in it: found at
// a reduced level, read from a full-resolution crop.
func TestDecodeLargePhoto(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	want := ticketPayload(t, rng, 3)
	c := newCanvas(6000, 4000, 140)
	c.clutter(rng, 30)
	c.draw(sheet(qrBits(t, want)), pose{cx: 4100, cy: 1300, sidePx: 101 * 3.2, rotate: 12})
	got, err := Decode(c.gray())
	if err != nil || got != want {
		t.Errorf("got %.40q, %v; want %.40q", got, err, want)
	}
}

// TestDecodeBrokenImage decodes an image that claims a size its pixel buffer does not
// have: an error, not a panic.
func TestDecodeBrokenImage(t *testing.T) {
	img := &image.Gray{Pix: make([]byte, 10), Stride: 5, Rect: image.Rect(0, 0, 100, 100)}
	text, err := Decode(img)
	checkScanError(t, text, err, ErrNoCode)
}

func FuzzDecodeBytes(f *testing.F) {
	small := testCode(f, "fuzz")
	f.Add(encodePNG(f, small))
	f.Add(encodeJPEG(f, small, 50))
	f.Add(pngHeader(100, 100))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := DecodeBytes(data)
		if err == nil {
			if !utf8.ValidString(text) {
				t.Errorf("decoded text %q is not UTF-8", text)
			}
			return
		}
		if de := (*Error)(nil); !errors.As(err, &de) || de.Kind == nil {
			t.Errorf("error %q is not an *Error with a kind", err)
		}
	})
}

// TestDecodeReasonCutOffCode: a ticket held so that the bottom of its code is outside the
// picture is reported as such, not as "no finder patterns".
func TestDecodeReasonCutOffCode(t *testing.T) {
	bits := qrBits(t, ticketPayload(t, rand.New(rand.NewPCG(7, 8)), 2))
	const px, margin = 4, 4
	n := len(bits)
	img := image.NewGray(image.Rect(0, 0, (n+2*margin)*px, (n*6/10+margin)*px)) // the lower 40% of the code is cut off
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			my, mx := y/px-margin, x/px-margin
			if my >= 0 && mx >= 0 && mx < n && my < n && bits[my][mx] {
				img.Pix[y*img.Stride+x] = 0
			}
		}
	}
	_, err := Decode(img)
	if de := (*Error)(nil); !errors.As(err, &de) || !strings.Contains(de.Message, "not a whole code") {
		t.Errorf("cut-off code: %v, want it to say the code is not whole", err)
	}
}
