package issuer

import (
	"strconv"
)

// This file draws on one PDF page: text, rectangles, lines and the vector QR, written as
// PDF content operators. Positions are millimetres from the top-left corner of the page;
// the page turns them into points from the bottom-left as PDF wants.

// pdfPage is the content of one page being drawn.
type pdfPage struct {
	doc     *pdfWriter
	height  float64 // mm
	content []byte

	font      fontID
	size      float64 // points
	textColor rgb
	fillColor rgb
	drawColor rgb
	lineWidth float64 // mm
	dash      [2]float64
	emitted   struct { // graphics state as the content stream has it
		fill, draw       rgb
		fillSet, drawSet bool
		lineWidth        float64
		dash             [2]float64
	}
}

// num appends v in points with at most three decimals.
func (p *pdfPage) num(v float64) {
	p.content = strconv.AppendFloat(p.content, float64(int64(v*1000+0.5*sign(v)))/1000, 'f', -1, 64)
	p.content = append(p.content, ' ')
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// point appends the position (x, y) mm from the top-left corner, in PDF points.
func (p *pdfPage) point(x, y float64) {
	p.num(x * mmToPt)
	p.num((p.height - y) * mmToPt)
}

func (p *pdfPage) op(s string) { p.content = append(p.content, s...) }

func (p *pdfPage) setFont(id fontID, size float64) { p.font, p.size = id, size }
func (p *pdfPage) setFontSize(size float64)        { p.size = size }
func (p *pdfPage) setTextColor(c rgb)              { p.textColor = c }
func (p *pdfPage) setFillColor(c rgb)              { p.fillColor = c }
func (p *pdfPage) setDrawColor(c rgb)              { p.drawColor = c }
func (p *pdfPage) setLineWidth(mm float64)         { p.lineWidth = mm }

// setDash sets the dash pattern of lines in mm; zeros draw solid lines.
func (p *pdfPage) setDash(on, off float64) { p.dash = [2]float64{on, off} }

// stringWidth returns the width of s in the current font, in mm.
func (p *pdfPage) stringWidth(s string) float64 {
	return p.font.face().stringWidth(s, p.size) / mmToPt
}

// emitFill makes c the colour of fills and text in the content stream.
func (p *pdfPage) emitFill(c rgb) {
	if p.emitted.fillSet && p.emitted.fill == c {
		return
	}
	p.emitted.fill, p.emitted.fillSet = c, true
	p.colour(c)
	p.op("rg\n")
}

func (p *pdfPage) emitStroke() {
	e := &p.emitted
	if !e.drawSet || e.draw != p.drawColor {
		e.draw, e.drawSet = p.drawColor, true
		p.colour(p.drawColor)
		p.op("RG\n")
	}
	if e.lineWidth != p.lineWidth {
		e.lineWidth = p.lineWidth
		p.num(p.lineWidth * mmToPt)
		p.op("w\n")
	}
	if e.dash != p.dash {
		e.dash = p.dash
		p.op("[")
		if p.dash[0] > 0 {
			p.num(p.dash[0] * mmToPt)
			p.num(p.dash[1] * mmToPt)
		}
		p.op("] 0 d\n")
	}
}

func (p *pdfPage) colour(c rgb) {
	for _, v := range [3]int{c.r, c.g, c.b} {
		p.num(float64(v) / 255)
	}
}

// text draws s in the current font and text colour with its baseline starting at (x, y).
// Characters the font lacks draw as its .notdef glyph; printable avoids them.
func (p *pdfPage) text(x, y float64, s string) {
	if s == "" {
		return
	}
	p.emitFill(p.textColor)
	use := &p.doc.used[p.font]
	face := p.font.face()
	p.op("BT /F")
	p.content = strconv.AppendInt(p.content, int64(p.font), 10)
	p.op(" ")
	p.num(p.size)
	p.op("Tf ")
	p.point(x, y)
	p.op("Td <")
	for _, r := range s {
		g := face.glyphOf(r)
		if !use.glyphs[g] {
			use.glyphs[g] = true
		}
		if use.chars[g] == 0 && g != 0 {
			use.chars[g] = r
		}
		p.content = append(p.content, hexDigits[g>>12], hexDigits[g>>8&15], hexDigits[g>>4&15], hexDigits[g&15])
	}
	p.op("> Tj ET\n")
}

const hexDigits = "0123456789ABCDEF"

// rect fills a rectangle with the fill colour.
func (p *pdfPage) rect(x, y, w, h float64) {
	p.emitFill(p.fillColor)
	p.point(x, y+h)
	p.num(w * mmToPt)
	p.num(h * mmToPt)
	p.op("re f\n")
}

// line strokes a line with the draw colour, line width and dash pattern.
func (p *pdfPage) line(x1, y1, x2, y2 float64) {
	p.emitStroke()
	p.point(x1, y1)
	p.op("m ")
	p.point(x2, y2)
	p.op("l S\n")
}

// roundedRect fills (fill true, fill colour) or strokes (draw colour) a rectangle whose
// corners named in corners are rounded with radius r: '1' top left, '2' top right, '3'
// bottom right, '4' bottom left.
func (p *pdfPage) roundedRect(x, y, w, h, r float64, corners string, fill bool) {
	var radius [5]float64
	for _, c := range corners {
		if c >= '1' && c <= '4' {
			radius[c-'0'] = r
		}
	}
	if fill {
		p.emitFill(p.fillColor)
	} else {
		p.emitStroke()
	}
	const kappa = 0.5523 // control point distance of a quarter circle, per radius
	r1, r2, r3, r4 := radius[1], radius[2], radius[3], radius[4]
	p.point(x+r1, y)
	p.op("m ")
	p.lineTo(x+w-r2, y)
	p.curveTo(x+w-r2+kappa*r2, y, x+w, y+r2-kappa*r2, x+w, y+r2)
	p.lineTo(x+w, y+h-r3)
	p.curveTo(x+w, y+h-r3+kappa*r3, x+w-r3+kappa*r3, y+h, x+w-r3, y+h)
	p.lineTo(x+r4, y+h)
	p.curveTo(x+r4-kappa*r4, y+h, x, y+h-r4+kappa*r4, x, y+h-r4)
	p.lineTo(x, y+r1)
	p.curveTo(x, y+r1-kappa*r1, x+r1-kappa*r1, y, x+r1, y)
	if fill {
		p.op("h f\n")
	} else {
		p.op("h S\n")
	}
}

func (p *pdfPage) lineTo(x, y float64) {
	p.point(x, y)
	p.op("l ")
}

func (p *pdfPage) curveTo(x1, y1, x2, y2, x3, y3 float64) {
	p.point(x1, y1)
	p.point(x2, y2)
	p.point(x3, y3)
	p.op("c ")
}

// qr draws the symbol in black as vector rectangles in a white square of side mm at
// (x, y), the quiet zone included. Each horizontal run of dark modules is one rectangle
// in module units, under one transformation, and all are filled as one path: the page
// stays small and every rasterizer draws sharp modules without seams at any resolution.
func (p *pdfPage) qr(sym *qrSymbol, x, y, side float64) {
	p.setFillColor(colorPaper)
	p.rect(x, y, side, side)
	module := side / float64(sym.width())
	p.op("q 0 g ")
	p.num(module * mmToPt)
	p.op("0 0 ")
	p.num(-module * mmToPt)
	p.point(x+module*QuietZone, y+module*QuietZone)
	p.op("cm\n")
	sym.runs(func(row, col, n int) {
		p.content = strconv.AppendInt(p.content, int64(col), 10)
		p.content = append(p.content, ' ')
		p.content = strconv.AppendInt(p.content, int64(row), 10)
		p.content = append(p.content, ' ')
		p.content = strconv.AppendInt(p.content, int64(n), 10)
		p.content = append(p.content, " 1 re\n"...)
	})
	p.op("f Q\n")
}
