package pdf

import (
	"bytes"
	"testing"
	"time"
)

// TestKeptFontFilesWriteTheSameBytes: a document whose fonts and ToUnicode maps were cut
// and compressed afresh and one that took them from fontFiles and toUnicodeMaps are the
// same bytes.
func TestKeptFontFilesWriteTheSameBytes(t *testing.T) {
	write := func() []byte {
		var b bytes.Buffer
		w := NewWriter(&b, 105, 148)
		pg := w.NewPage(nil)
		for _, f := range []Font{Regular, Bold, Mono} {
			pg.SetFont(f, 10)
			pg.Text(5, 10, "Hamlet, Zoë Ελένη Дмитрий 19:30 CHF 45.00")
		}
		if err := w.WritePage(pg); err != nil {
			t.Fatal(err)
		}
		if err := w.Close("Tickets", time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	fontFiles.Lock()
	fontFiles.m = nil
	fontFiles.Unlock()
	toUnicodeMaps.Lock()
	toUnicodeMaps.m = nil
	toUnicodeMaps.Unlock()
	fresh := write()
	fontFiles.Lock()
	kept := len(fontFiles.m)
	fontFiles.Unlock()
	if kept != 3 {
		t.Fatalf("%d font programs kept, want one a font", kept)
	}
	toUnicodeMaps.Lock()
	kept = len(toUnicodeMaps.m)
	toUnicodeMaps.Unlock()
	if kept == 0 { // one: the Go fonts number their glyphs alike, and the text is the same
		t.Fatal("no ToUnicode map kept")
	}
	if again := write(); !bytes.Equal(fresh, again) {
		t.Fatal("the document with kept fonts differs from the one made afresh")
	}
}
