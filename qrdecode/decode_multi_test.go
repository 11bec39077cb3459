package qrdecode

import (
	"bytes"
	"errors"
	"image/png"
	"math/rand/v2"
	"slices"
	"testing"
)

// A photo of several tickets: DecodeAll reads each code once, in reading order; Decode
// only one of them.
func TestDecodeAllSeveralCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var texts []string
	c := newCanvas(1400, 1000, 200)
	for i, at := range []pt{{330, 260}, {1060, 280}, {340, 740}, {1050, 730}} {
		texts = append(texts, ticketPayload(t, rng, 1+i%2))
		c.draw(sheet(qrBits(t, texts[i])), pose{cx: at.x, cy: at.y, sidePx: 400, rotate: signed(rng, 0, 8)})
	}
	c.blur(0.6)
	c.noise(rng, 3)
	got, err := DecodeAll(c.gray())
	if err != nil {
		t.Fatalf("DecodeAll: %v", err)
	}
	if !slices.Equal(got, texts) {
		t.Fatalf("DecodeAll read %d codes %q, want the %d in reading order", len(got), got, len(texts))
	}
	one, err := Decode(c.gray())
	if err != nil || !slices.Contains(texts, one) {
		t.Fatalf("Decode: %q %v", one, err)
	}
}

// One code: DecodeAll reads what Decode reads, also when only Decode's later steps find
// it; no code at all gives Decode's error.
func TestDecodeAllOneCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	text := ticketPayload(t, rng, 3)
	small := frame(rng, sheet(qrBits(t, text)), 2.3, pose{rotate: 5})
	small.blur(0.7)
	got, err := DecodeAll(small.gray())
	if want, derr := Decode(small.gray()); derr != nil || err != nil || !slices.Equal(got, []string{want}) {
		t.Fatalf("DecodeAll: %q %v; Decode: %q %v", got, err, want, derr)
	}
	var b bytes.Buffer
	png.Encode(&b, newCanvas(300, 200, 128).gray())
	if _, err := DecodeAllBytes(b.Bytes()); !errors.Is(err, ErrNoCode) {
		t.Fatalf("blank image: %v", err)
	}
	if _, err := DecodeAllBytes([]byte("%PDF-1.4")); !errors.Is(err, ErrImageFormat) {
		t.Fatalf("PDF bytes: %v", err)
	}
}
