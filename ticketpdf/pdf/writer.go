package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"time"
	"unicode/utf16"
)

// This file writes PDF files as a stream: each page goes to the writer as soon as it is
// drawn, and only the byte offset of each object stays in memory (16 bytes a page), so a
// document of 60,000 pages needs no more memory than one of ten. The fonts, cut down to
// the glyphs the pages used, are written after the last page.

// Object numbers fixed in every document; pages follow the fonts, two objects each.
const (
	objCatalog   = 1
	objPageTree  = 2
	objInfo      = 3
	objFirstFont = 4
	objsPerFont  = 5 // Type0 font, CID font, descriptor, font file, ToUnicode map
	objFirstPage = objFirstFont + objsPerFont*int(numFonts)
)

// PointsPerMM converts millimetres to PDF points.
const PointsPerMM = 72 / 25.4

// Writer is one PDF being written.
type Writer struct {
	out     *bufio.Writer
	written int64
	err     error
	offsets []int64 // byte offset of each object, by object number
	pages   int
	width   float64 // page size in mm
	height  float64
	used    [numFonts]fontUsage
	zbuf    bytes.Buffer
	z       *zlib.Writer
}

// fontUsage records which glyphs of a font a document drew, and the character each
// stands for, for subsetting and for text extraction.
type fontUsage struct {
	glyphs []bool
	chars  []rune
}

// add records that r was drawn and returns its glyph.
func (use *fontUsage) add(face *fontFace, r rune) uint16 {
	g := face.glyphOf(r)
	use.glyphs[g] = true
	if use.chars[g] == 0 && g != 0 {
		use.chars[g] = r
	}
	return g
}

// Embed makes the document's subset of the font hold the glyphs of chars, drawn or not.
// A batch of documents whose pages draw different few characters of a known alphabet
// (random references, hashes) embeds the whole alphabet in each: their subsets are then
// the same, and the font program cut and compressed for one is kept for all the others
// (fontfile.go) instead of being made again for nearly every document.
func (d *Writer) Embed(f Font, chars string) {
	use, face := &d.used[f], f.face()
	for _, r := range chars {
		use.add(face, r)
	}
}

// NewWriter starts a PDF of pages width×height mm on w.
func NewWriter(w io.Writer, width, height float64) *Writer {
	d := &Writer{out: bufio.NewWriterSize(w, 64<<10), width: width, height: height,
		offsets: make([]int64, objFirstPage)}
	d.z = zlibWriters.Get().(*zlib.Writer)
	for id := range d.used {
		n := len(Font(id).face().advance)
		d.used[id] = fontUsage{glyphs: make([]bool, n), chars: make([]rune, n)}
	}
	d.printf("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n")
	return d
}

func (d *Writer) write(b []byte) {
	if d.err != nil {
		return
	}
	n, err := d.out.Write(b)
	d.written += int64(n)
	d.err = err
}

func (d *Writer) printf(format string, args ...any) {
	d.write(fmt.Appendf(nil, format, args...))
}

// begin starts object n at the current offset.
func (d *Writer) begin(n int) {
	for len(d.offsets) <= n {
		d.offsets = append(d.offsets, 0)
	}
	d.offsets[n] = d.written
	d.printf("%d 0 obj\n", n)
}

// stream writes object n as a compressed stream with extra dictionary entries.
func (d *Writer) stream(n int, extra string, data []byte) {
	d.compressed(n, extra, d.compress(data))
}

// compress returns data compressed, in a buffer the next call reuses.
func (d *Writer) compress(data []byte) []byte {
	d.zbuf.Reset()
	d.z.Reset(&d.zbuf)
	d.z.Write(data) // writes to a bytes.Buffer cannot fail
	d.z.Close()
	return d.zbuf.Bytes()
}

// compressed writes object n as the stream z, compressed already.
func (d *Writer) compressed(n int, extra string, z []byte) {
	d.begin(n)
	d.printf("<</Filter /FlateDecode /Length %d%s>>\nstream\n", len(z), extra)
	d.write(z)
	d.printf("\nendstream\nendobj\n")
}

// NewPage returns a blank page to draw on, its content written into content[:0] (a
// buffer to reuse, or nil); WritePage writes it.
func (d *Writer) NewPage(content []byte) *Page {
	p := &Page{doc: d, height: d.height, content: content[:0]}
	p.emitted.lineWidth = -1 // unknown: the first stroke sets it
	return p
}

// WritePage writes a drawn page and returns the writer's error, if any.
func (d *Writer) WritePage(p *Page) error {
	page := objFirstPage + 2*d.pages
	d.pages++
	d.stream(page+1, "", p.content)
	d.begin(page)
	d.printf("<</Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources <</Font <<",
		objPageTree, d.width*PointsPerMM, d.height*PointsPerMM)
	for id := range numFonts {
		d.printf("/F%d %d 0 R", id, objFirstFont+objsPerFont*int(id))
	}
	d.printf(">> >> /Contents %d 0 R>>\nendobj\n", page+1)
	return d.err
}

// Close writes the fonts, the page tree, the document information, the cross-reference
// table and the trailer, and flushes. title and created go in the information entry.
func (d *Writer) Close(title string, created time.Time) error {
	for id := range numFonts {
		d.writeFont(id)
	}
	d.begin(objPageTree)
	d.printf("<</Type /Pages /Count %d /Kids [", d.pages)
	for i := range d.pages {
		d.printf("%d 0 R\n", objFirstPage+2*i)
	}
	d.printf("]>>\nendobj\n")
	d.begin(objInfo)
	d.printf("<</Producer (Ticketbooth) /Title %s /CreationDate (%s)>>\nendobj\n", pdfTextString(title), pdfDate(created))
	d.begin(objCatalog)
	d.printf("<</Type /Catalog /Pages %d 0 R>>\nendobj\n", objPageTree)
	d.writeXref()
	if d.z != nil {
		zlibWriters.Put(d.z) // the next document's
		d.z = nil
	}
	if d.err != nil {
		return d.err
	}
	return d.out.Flush()
}

func (d *Writer) writeXref() {
	at := d.written
	d.printf("xref\n0 %d\n0000000000 65535 f \n", len(d.offsets))
	line := make([]byte, 0, 20)
	for _, off := range d.offsets[1:] {
		line = strconv.AppendInt(line[:0], off+1e10, 10)[1:] // ten digits, zero padded
		d.write(append(line, " 00000 n \n"...))
	}
	d.printf("trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n",
		len(d.offsets), objCatalog, objInfo, at)
}

// writeFont writes font id as a Type0 font over a CIDFontType2 whose CIDs are glyph
// indexes, with the embedded font cut down to the used glyphs, their widths, and a
// ToUnicode map so that text can be searched and copied.
func (d *Writer) writeFont(id Font) {
	face, use := id.face(), &d.used[id]
	ff, err := d.fontFile(id, use.glyphs)
	if err != nil {
		d.err = fmt.Errorf("embed font %s: %w", face.baseName, err)
		return
	}
	name := subsetTag(use.glyphs) + "+" + face.baseName
	base := objFirstFont + objsPerFont*int(id)
	d.begin(base)
	d.printf("<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>\nendobj\n",
		name, base+1, base+4)
	d.begin(base + 1)
	d.printf("<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 500 /W [%s]>>\nendobj\n",
		name, base+2, glyphWidths(face, use.glyphs))
	flags := 32 // nonsymbolic
	if face.fixedPitch {
		flags |= 1
	}
	d.begin(base + 2)
	d.printf("<</Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R>>\nendobj\n",
		name, flags, face.bbox[0], face.bbox[1], face.bbox[2], face.bbox[3], face.ascent, face.descent, face.capHeight, base+3)
	d.compressed(base+3, " /Length1 "+strconv.Itoa(ff.length1), ff.z)
	d.compressed(base+4, "", d.keptCompressed(&toUnicodeMaps, toUnicodeCMap(use)))
}

// glyphWidths is the /W array of the used glyphs, in thousandths of an em.
func glyphWidths(face *fontFace, used []bool) []byte {
	var b []byte
	for g, u := range used {
		if u {
			b = fmt.Appendf(b, "%d [%d] ", g, int(face.width(uint16(g))+0.5))
		}
	}
	return b
}

// toUnicodeCMap maps each used glyph back to its character.
func toUnicodeCMap(use *fontUsage) []byte {
	b := []byte("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var entries [][2]int
	for g, u := range use.glyphs {
		if u && use.chars[g] != 0 {
			entries = append(entries, [2]int{g, int(use.chars[g])})
		}
	}
	for len(entries) > 0 {
		chunk := entries[:min(100, len(entries))] // at most 100 entries a section
		entries = entries[len(chunk):]
		b = fmt.Appendf(b, "%d beginbfchar\n", len(chunk))
		for _, e := range chunk {
			b = fmt.Appendf(b, "<%04X> <%04X>\n", e[0], e[1])
		}
		b = append(b, "endbfchar\n"...)
	}
	return append(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"...)
}

// subsetTag is the six capital letters that name a font subset, derived from its glyphs
// so that the same pages give the same bytes.
func subsetTag(used []bool) string {
	h := fnv.New32a()
	for g, u := range used {
		if u {
			h.Write([]byte{byte(g >> 8), byte(g)})
		}
	}
	sum, tag := h.Sum32(), make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(sum%26)
		sum /= 26
	}
	return string(tag)
}

// pdfTextString encodes s as a PDF text string: UTF-16BE with a byte order mark, in hex.
func pdfTextString(s string) string {
	b := []byte("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b = fmt.Appendf(b, "%04X", u)
	}
	return string(append(b, '>'))
}

// pdfDate formats t as a PDF date, D:20260314193000+01'00'.
func pdfDate(t time.Time) string {
	zone := t.Format("-07'00'")
	if zone == "+00'00'" {
		zone = "Z"
	}
	return "D:" + t.Format("20060102150405") + zone
}
