package qrdecode_test

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"runtime"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/imagebomb"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// allocated returns the bytes fn allocated on the heap.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestImageBombsRefusedBeforeDecoding: a 150-byte truncated progressive JPEG declaring
// 6324x6324 and a cut-short 16-bit PNG of 6300x6300 are refused from their headers, in a
// sentence, allocating next to nothing (decoded, they took 600 MB and 320 MB).
func TestImageBombsRefusedBeforeDecoding(t *testing.T) {
	for name, data := range map[string][]byte{
		"ProgressiveJPEG": imagebomb.ProgressiveJPEG(6324, 6324),
		"PNG16":           imagebomb.PNG16(6300, 6300),
		"PNG16Costly":     imagebomb.PNG16(4000, 4000),           // within the size limits, over the memory limit
		"JPEGCostly":      imagebomb.ProgressiveJPEG(4000, 3500), // likewise
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = qrdecode.DecodeBytes(data) })
			var de *qrdecode.Error
			if !errors.As(err, &de) || de.Kind != qrdecode.ErrImageTooLarge {
				t.Fatalf("DecodeBytes: %v, want image too large", err)
			}
			if msg := de.Message; !strings.Contains(msg, "MB") && !strings.Contains(msg, "megapixels") {
				t.Errorf("message %q does not say the limit", msg)
			}
			if n > 4<<20 {
				t.Errorf("refusing it allocated %d MB", n>>20)
			}
		})
	}
}

// TestImageBombsDecodeCostly: the crafted files really are bombs: within generous file
// limits, the decoder allocates the picture they declare.
func TestImageBombsDecodeCostly(t *testing.T) {
	lim := qrdecode.Limits{MaxSide: 10000, MaxPixels: 100_000_000, MaxMemory: 1 << 40}
	for name, data := range map[string][]byte{"ProgressiveJPEG": imagebomb.ProgressiveJPEG(3000, 3000), "PNG16": imagebomb.PNG16(3000, 3000)} {
		n := allocated(func() { qrdecode.DecodeBytesWithin(data, lim) })
		if n < 50<<20 {
			t.Errorf("%s of 3000x3000: decoding allocated only %d MB; the test file is not a bomb", name, n>>20)
		}
	}
}

// TestImageLimitsAdmitPhotos: a 12-megapixel phone photo (a baseline JPEG of 4032x3024)
// passes the gate's limits: it is searched, and holds no code.
func TestImageLimitsAdmitPhotos(t *testing.T) {
	var buf bytes.Buffer
	img := image.NewYCbCr(image.Rect(0, 0, 4032, 3024), image.YCbCrSubsampleRatio420)
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := qrdecode.DecodeBytes(buf.Bytes()); !errors.Is(err, qrdecode.ErrNoCode) {
		t.Errorf("a blank 12-megapixel photo: %v, want no code found", err)
	}
}

// FuzzImageHeaderLimits: no file makes the header checks (the JPEG marker walk, the PNG
// interlace byte, the cost estimate) panic or let a picture over the limits through to
// the decoder; every refusal is an *Error with a kind.
func FuzzImageHeaderLimits(f *testing.F) {
	f.Add(imagebomb.ProgressiveJPEG(6324, 6324))
	f.Add(imagebomb.PNG16(6300, 6300))
	f.Add(imagebomb.ProgressiveJPEG(40, 40))
	f.Add([]byte("\xff\xd8\xff\xff\xff\xc0\x00\x11\x08\x00\x10\x00\x10\x03"))
	lim := qrdecode.Limits{MaxSide: 64, MaxPixels: 4096, MaxMemory: 64 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		var err error
		n := allocated(func() { _, err = qrdecode.DecodeBytesWithin(data, lim) })
		var de *qrdecode.Error
		if err != nil && (!errors.As(err, &de) || de.Kind == nil) {
			t.Fatalf("error %v is not an *Error with a kind", err)
		}
		if n > 8<<20 {
			t.Fatalf("a %d-byte file made the decoder allocate %d MB within limits of 64 KB", len(data), n>>20)
		}
	})
}
