package pdf

import (
	"compress/zlib"
	"sync"
)

// A document's fonts are cut down to the glyphs its pages drew and compressed, which is
// most of the cost of a small document: a one-ticket PDF for a mail spends about two
// thirds of its time there. Documents written one after the other (a batch of
// confirmation mails) draw nearly the same glyphs, so the compressed font programs are
// kept by font and glyph set and written again as they are: the same bytes, once made.

// fontFile is a font program cut down to some glyphs, compressed as stream writes it.
type fontFile struct {
	z       []byte // the compressed stream
	length1 int    // the length of the font program before compression
}

// maxFontFiles bounds the kept font programs (tens of KB each); past it, they start afresh.
const maxFontFiles = 128

var fontFiles = struct {
	sync.Mutex
	m map[string]fontFile
}{}

// fontFileKey names a font's glyph set: the font, then one bit a glyph.
func fontFileKey(id Font, used []bool) string {
	key := make([]byte, 1+(len(used)+7)/8)
	key[0] = byte(id)
	for g, u := range used {
		if u {
			key[1+g/8] |= 1 << (g % 8)
		}
	}
	return string(key)
}

// fontFile returns font id cut down to the used glyphs and compressed, made once.
func (d *Writer) fontFile(id Font, used []bool) (fontFile, error) {
	key := fontFileKey(id, used)
	fontFiles.Lock()
	ff, ok := fontFiles.m[key]
	fontFiles.Unlock()
	if ok {
		return ff, nil
	}
	sub, err := subsetFont(id.face().ttf, used)
	if err != nil {
		return fontFile{}, err
	}
	ff = fontFile{z: append([]byte(nil), d.compress(sub)...), length1: len(sub)}
	fontFiles.Lock()
	if fontFiles.m == nil || len(fontFiles.m) >= maxFontFiles {
		fontFiles.m = map[string]fontFile{}
	}
	fontFiles.m[key] = ff
	fontFiles.Unlock()
	return ff, nil
}

// toUnicodeMaps keeps compressed ToUnicode maps by their text: the documents of a batch
// draw the same characters with the same glyphs nearly every time, as their font
// programs, so each map is compressed once.
var toUnicodeMaps = keptStreams{}

// keptStreams are compressed streams kept by their uncompressed bytes, at most
// maxFontFiles of them (they start afresh past it).
type keptStreams struct {
	sync.Mutex
	m map[string][]byte
}

// keptCompressed returns data compressed, as compress does, made once and kept in k.
func (d *Writer) keptCompressed(k *keptStreams, data []byte) []byte {
	k.Lock()
	z, ok := k.m[string(data)]
	k.Unlock()
	if ok {
		return z
	}
	z = append([]byte(nil), d.compress(data)...)
	k.Lock()
	if k.m == nil || len(k.m) >= maxFontFiles {
		k.m = map[string][]byte{}
	}
	k.m[string(data)] = z
	k.Unlock()
	return z
}

// zlibWriters are compressors documents hand on to the next (each holds several
// hundred KB of state, worth making once).
var zlibWriters = sync.Pool{New: func() any {
	z, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed) // a valid level cannot fail
	return z
}}
