// Package imagebomb makes small image files whose headers promise huge pictures, as an
// attacker would send them to a decoder: tests use them to check that such a file is
// refused before the decoder allocates the picture.
package imagebomb

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// ProgressiveJPEG returns a truncated progressive JPEG of about 150 bytes declaring w x h
// pixels in three components: a quantisation table, the SOF2 frame header, one DC Huffman
// table and the start of the first scan, then a few bytes of scan data and no end. Go's
// decoder allocates the whole picture and every coefficient (about 15 bytes a pixel) when
// it reaches the scan.
func ProgressiveJPEG(w, h int) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xd8})
	segment(&b, 0xdb, append([]byte{0x00}, bytes.Repeat([]byte{1}, 64)...))
	segment(&b, 0xc2, []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0})
	segment(&b, 0xc4, append([]byte{0x00, 1}, append(make([]byte, 15), 0)...))
	segment(&b, 0xda, []byte{3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0})
	b.Write(make([]byte, 16))
	return b.Bytes()
}

func segment(b *bytes.Buffer, marker byte, body []byte) {
	b.Write([]byte{0xff, marker})
	binary.Write(b, binary.BigEndian, uint16(len(body)+2))
	b.Write(body)
}

// PNG16 returns a 16-bit RGBA PNG declaring w x h pixels whose image data is cut short
// after its first rows: Go's decoder allocates the whole picture, 8 bytes a pixel, before
// it finds the data missing.
func PNG16(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	chunk(&b, "IHDR", append(ihdr, 16, 6, 0, 0, 0))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 4*(1+8*w)))
	zw.Flush()
	chunk(&b, "IDAT", z.Bytes())
	return b.Bytes()
}

func chunk(b *bytes.Buffer, typ string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	body := append([]byte(typ), data...)
	b.Write(body)
	binary.Write(b, binary.BigEndian, crc32.ChecksumIEEE(body))
}
