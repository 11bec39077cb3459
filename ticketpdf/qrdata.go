package ticketpdf

import (
	"sync"

	"github.com/skip2/go-qrcode"
)

// This file makes a QR symbol's codewords (byte mode, Reed-Solomon error correction,
// interleaved blocks) and scores a drawn symbol for the choice of its mask.

// qrCodewords returns the codewords of text in version v at the level: the data (byte
// mode, terminator, padding) split into the version's blocks, each block's error
// correction, interleaved. The caller has checked that the text fits.
func qrCodewords(text string, v int, level qrcode.RecoveryLevel) []byte {
	data := qrDataBits(text, v, qrDataCodewords(v, level))
	b := qrBlocks[level][v]
	ec, blocks := int(b.ec), int(b.blocks)
	total := qrRawModules(v) / 8
	short := blocks - total%blocks // blocks of one data codeword less than the rest
	shortData := total/blocks - ec // data codewords in a short block
	out := make([]byte, total)
	at := 0
	for i := range blocks {
		n := shortData
		if i >= short {
			n++
		}
		block := data[at : at+n]
		for j, w := range block { // the data, column by column across the blocks
			k := j*blocks + i
			if j == shortData { // the last column: long blocks only
				k = shortData*blocks + i - short
			}
			out[k] = w
		}
		qrErrorCorrection(out[len(data):], block, i, blocks, ec)
		at += n
	}
	return out
}

// qrDataBits returns the data codewords of text: byte mode, its length, its bytes, then a
// terminator and the pad codewords 0xEC 0x11 up to capacity.
func qrDataBits(text string, v, capacity int) []byte {
	w := qrBitWriter{buf: make([]byte, 0, capacity)}
	w.put(0b0100, 4)
	w.put(len(text), qrCountBits(v))
	for i := 0; i < len(text); i++ {
		w.put(int(text[i]), 8)
	}
	w.put(0, min(4, 8*capacity-w.n)) // the terminator, as much of it as fits
	w.put(0, (8-w.n%8)%8)
	for pad := byte(0xec); len(w.buf) < capacity; pad ^= 0xec ^ 0x11 {
		w.buf = append(w.buf, pad)
	}
	return w.buf
}

// qrBitWriter appends bits, most significant first.
type qrBitWriter struct {
	buf []byte
	n   int // bits written
}

func (w *qrBitWriter) put(value, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		if value>>i&1 == 1 {
			w.buf[len(w.buf)-1] |= 0x80 >> (w.n % 8)
		}
		w.n++
	}
}

// qrErrorCorrection writes block i's ec error correction codewords into its column of the
// interleaved error correction area.
func qrErrorCorrection(area, block []byte, i, blocks, ec int) {
	gen := qrGenerators()[ec]
	rem := make([]byte, ec)
	for _, d := range block {
		factor := d ^ rem[0]
		copy(rem, rem[1:])
		rem[ec-1] = 0
		if factor == 0 {
			continue
		}
		lf := int(gfLog[factor])
		for j, g := range gen {
			rem[j] ^= gfExp[lf+int(g)]
		}
	}
	for j, r := range rem {
		area[j*blocks+i] = r
	}
}

// GF(256) with the polynomial x^8+x^4+x^3+x^2+1: gfExp[i] is 2^i (twice over, so that
// sums of two logarithms need no modulo), gfLog its inverse.
var gfExp, gfLog = func() (exp [512]byte, log [256]byte) {
	x := 1
	for i := range 255 {
		exp[i], exp[i+255] = byte(x), byte(x)
		log[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	exp[510], exp[511] = exp[0], exp[1]
	return exp, log
}()

// qrGenerators returns, for each degree up to 30, the logarithms of the coefficients of
// the generator polynomial (x-2^0)(x-2^1)...(x-2^(degree-1)), highest degree first, the
// leading 1 left out. No coefficient of these generators is 0.
var qrGenerators = sync.OnceValue(func() (gens [31][]byte) {
	for degree := 1; degree <= 30; degree++ {
		g := []byte{1}
		for i := range degree {
			next := make([]byte, len(g)+1)
			for j, c := range g {
				next[j] ^= c
				next[j+1] ^= gfMul(c, gfExp[i])
			}
			g = next
		}
		logs := make([]byte, degree)
		for j, c := range g[1:] {
			logs[j] = gfLog[c]
		}
		gens[degree] = logs
	}
	return gens
})

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}
