package pdfscan

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// wantError decodes pdf and expects a *qrdecode.Error of the kind, in words.
func wantError(t *testing.T, pdf []byte, kind error) error {
	t.Helper()
	codes, err := Decode(context.Background(), pdf, Limits{})
	if err == nil {
		t.Fatalf("Decode read %v, want an error", codes)
	}
	if !errors.Is(err, kind) || !isReaderError(err) {
		t.Fatalf("Decode: %v (%T), want a *qrdecode.Error of kind %v", err, err, kind)
	}
	if strings.Contains(err.Error(), "zlib") || strings.Contains(err.Error(), "flate:") {
		t.Errorf("the message shows Go internals: %v", err)
	}
	return err
}

func TestHostilePDFs(t *testing.T) {
	bomb := deflate(make([]byte, 20<<20)) // 20 MiB of zeros in about 20 kB
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	cases := []struct {
		name string
		pdf  []byte
		kind error
	}{
		{"not a PDF", []byte("hello, I am text"), ErrNotPDF},
		{"header only", []byte("%PDF-1.7\n"), ErrMalformed},
		{"flate bomb nothing uses", onePage(nil, "", streamObj("/Filter /FlateDecode", bomb)), qrdecode.ErrNoCode},
		{"flate bomb as image", onePage([]byte("/Im Do"), "/XObject <</Im 5 0 R>>",
			streamObj("/Subtype /Image /Width 5000 /Height 5000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", bomb)), ErrTooLarge},
		{"flate bomb as content", buildPDF(
			obj("<</Type /Catalog /Pages 2 0 R>>"), obj("<</Type /Pages /Kids [3 0 R]>>"),
			obj("<</Type /Page /Contents 4 0 R>>"), streamObj("/Filter /FlateDecode", bomb)), ErrTooLarge},
		{"deep nesting", onePage([]byte(deep), ""), qrdecode.ErrNoCode},
		{"deep nesting in an object", buildPDF(obj("<</Type /Catalog /Pages %s>>", deep)), ErrMalformed},
		{"huge declared length", buildPDF(obj("<</Type /Catalog /Pages 2 0 R>>"), obj("<</Type /Pages /Kids [3 0 R]>>"),
			obj("<</Type /Page /Contents 4 0 R>>"), []byte("<</Length 99999999999>>\nstream\n0 0 10 10 re f\nendstream")), qrdecode.ErrNoCode},
		{"page tree loop", buildPDF(obj("<</Type /Catalog /Pages 2 0 R>>"), obj("<</Type /Pages /Kids [2 0 R 2 0 R]>>")), ErrMalformed},
		{"form draws itself", onePage([]byte("/X Do"), "/XObject <</X 5 0 R>>",
			streamObj("/Subtype /Form /Resources <</XObject <</X 5 0 R>>>>", []byte("0 0 1 1 re f /X Do"))), qrdecode.ErrNoCode},
		{"too many pages", manyPages(60), ErrTooLarge},
		{"huge image", onePage([]byte("/Im Do"), "/XObject <</Im 5 0 R>>",
			streamObj("/Subtype /Image /Width 100000 /Height 100000 /BitsPerComponent 8 /ColorSpace /DeviceGray", nil)), ErrTooLarge},
		{"unknown filter", onePage(nil, "", streamObj("/Filter /JBIG2Decode", []byte("xx"))), qrdecode.ErrNoCode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			err := wantError(t, c.pdf, c.kind)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 200<<20 {
				t.Errorf("reading it allocated %d MiB", grown>>20)
			}
			t.Log(err)
		})
	}
}

// manyPages is a PDF of n empty pages.
func manyPages(n int) []byte {
	var kids bytes.Buffer
	objs := [][]byte{obj("<</Type /Catalog /Pages 2 0 R>>"), nil}
	for i := range n {
		kids.WriteString(string(obj("%d 0 R ", i+3)))
		objs = append(objs, obj("<</Type /Page /Parent 2 0 R>>"))
	}
	objs[1] = obj("<</Type /Pages /Kids [%s] /Count %d>>", kids.String(), n)
	return buildPDF(objs...)
}

// Every prefix of a real ticket PDF either reads or fails in words, never panics.
func TestTruncatedPDFs(t *testing.T) {
	doc := issue(t, issuer.LayoutA6, purchase{seats: []string{"1A"}})
	for _, n := range []int{0, 5, 9, 100, 1000, len(doc.pdf) / 3, len(doc.pdf) / 2, len(doc.pdf) - 200, len(doc.pdf) - 1} {
		codes, err := Decode(context.Background(), doc.pdf[:n], Limits{})
		if err == nil && (len(codes) != 1 || codes[0].Text != doc.texts[0]) {
			t.Errorf("%d bytes: read %v", n, codes)
		}
		if err != nil && !isReaderError(err) {
			t.Errorf("%d bytes: %v (%T)", n, err, err)
		}
	}
}

// The limits apply as set.
func TestLimits(t *testing.T) {
	doc := issue(t, issuer.LayoutA6, purchase{seats: []string{"1A", "1B"}, perQR: 1})
	for _, lim := range []Limits{{MaxFileBytes: 1000}, {MaxPages: 1}, {MaxObjects: 5}, {MaxStreamBytes: 100}, {MaxOperators: 50}} {
		_, err := Decode(context.Background(), doc.pdf, lim)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%+v: %v, want ErrTooLarge", lim, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Decode(ctx, doc.pdf, Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// Many fills that each span the page cost rows even when they paint little (a speck at
// the top and one at the bottom): bounded.
func TestManyTallFills(t *testing.T) {
	var content bytes.Buffer
	for range 40_000 {
		content.WriteString("0 841 m 1 841 l 0 842 l h 0 0 m 1 0 l 0 1 l f\n")
	}
	err := wantError(t, onePage(content.Bytes(), ""), ErrTooLarge)
	if !strings.Contains(err.Error(), "too complex") {
		t.Errorf("error %v", err)
	}
}
