package pdf

import (
	"strconv"
)

// This file draws on one PDF page: text, rectangles, lines and grids of cells, written as
// PDF content operators. Positions are millimetres from the top-left corner of the page;
// the page turns them into points from the bottom-left as PDF wants.

// Page is the content of one page being drawn.
type Page struct {
	doc     *Writer
	height  float64 // mm
	content []byte

	font      Font
	size      float64 // points
	textColor Color
	fillColor Color
	drawColor Color
	lineWidth float64 // mm
	dash      [2]float64
	emitted   struct { // graphics state as the content stream has it
		fill, draw       Color
		fillSet, drawSet bool
		lineWidth        float64
		dash             [2]float64
	}
}

// num appends v in points with at most three decimals.
func (p *Page) num(v float64) {
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
func (p *Page) point(x, y float64) {
	p.num(x * PointsPerMM)
	p.num((p.height - y) * PointsPerMM)
}

func (p *Page) op(s string) { p.content = append(p.content, s...) }

// SetFont sets the font and its size in points of the text drawn next.
func (p *Page) SetFont(id Font, size float64) { p.font, p.size = id, size }

// SetFontSize sets the size in points of the text drawn next.
func (p *Page) SetFontSize(size float64) { p.size = size }

// SetTextColor sets the colour of text.
func (p *Page) SetTextColor(c Color) { p.textColor = c }

// SetFillColor sets the colour of filled shapes.
func (p *Page) SetFillColor(c Color) { p.fillColor = c }

// SetDrawColor sets the colour of lines and outlines.
func (p *Page) SetDrawColor(c Color) { p.drawColor = c }

// SetLineWidth sets the width of lines and outlines in mm.
func (p *Page) SetLineWidth(mm float64) { p.lineWidth = mm }

// SetDash sets the dash pattern of lines in mm; zeros draw solid lines.
func (p *Page) SetDash(on, off float64) { p.dash = [2]float64{on, off} }

// StringWidth returns the width of s in the current font, in mm.
func (p *Page) StringWidth(s string) float64 {
	return p.font.face().stringWidth(s, p.size) / PointsPerMM
}

// emitFill makes c the colour of fills and text in the content stream.
func (p *Page) emitFill(c Color) {
	if p.emitted.fillSet && p.emitted.fill == c {
		return
	}
	p.emitted.fill, p.emitted.fillSet = c, true
	p.colour(c)
	p.op("rg\n")
}

func (p *Page) emitStroke() {
	e := &p.emitted
	if !e.drawSet || e.draw != p.drawColor {
		e.draw, e.drawSet = p.drawColor, true
		p.colour(p.drawColor)
		p.op("RG\n")
	}
	if e.lineWidth != p.lineWidth {
		e.lineWidth = p.lineWidth
		p.num(p.lineWidth * PointsPerMM)
		p.op("w\n")
	}
	if e.dash != p.dash {
		e.dash = p.dash
		p.op("[")
		if p.dash[0] > 0 {
			p.num(p.dash[0] * PointsPerMM)
			p.num(p.dash[1] * PointsPerMM)
		}
		p.op("] 0 d\n")
	}
}

func (p *Page) colour(c Color) {
	for _, v := range [3]int{c.R, c.G, c.B} {
		p.num(float64(v) / 255)
	}
}

// Text draws s in the current font and text colour with its baseline starting at (x, y).
// Characters the font lacks draw as its .notdef glyph (see Font.Has).
func (p *Page) Text(x, y float64, s string) {
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
		g := use.add(face, r)
		p.content = append(p.content, hexDigits[g>>12], hexDigits[g>>8&15], hexDigits[g>>4&15], hexDigits[g&15])
	}
	p.op("> Tj ET\n")
}

const hexDigits = "0123456789ABCDEF"

// Rect fills a rectangle with the fill colour.
func (p *Page) Rect(x, y, w, h float64) {
	p.emitFill(p.fillColor)
	p.point(x, y+h)
	p.num(w * PointsPerMM)
	p.num(h * PointsPerMM)
	p.op("re f\n")
}

// Line strokes a line with the draw colour, line width and dash pattern.
func (p *Page) Line(x1, y1, x2, y2 float64) {
	p.emitStroke()
	p.point(x1, y1)
	p.op("m ")
	p.point(x2, y2)
	p.op("l S\n")
}

// RoundedRect fills (fill true, fill colour) or strokes (draw colour) a rectangle whose
// corners named in corners are rounded with radius r: '1' top left, '2' top right, '3'
// bottom right, '4' bottom left.
func (p *Page) RoundedRect(x, y, w, h, r float64, corners string, fill bool) {
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

func (p *Page) lineTo(x, y float64) {
	p.point(x, y)
	p.op("l ")
}

func (p *Page) curveTo(x1, y1, x2, y2, x3, y3 float64) {
	p.point(x1, y1)
	p.point(x2, y2)
	p.point(x3, y3)
	p.op("c ")
}

// Grid fills cells of a grid in black: cells are cell mm square, the grid's top-left
// corner is at (x, y), and runs calls fill for every horizontal run of filled cells with
// its row, first column and length, counted in cells. Each run is one rectangle in cell
// units, under one transformation, and all are filled as one path: the page stays small
// and every rasterizer draws sharp cells without seams at any resolution (the modules of
// a two-dimensional bar code).
func (p *Page) Grid(x, y, cell float64, runs func(fill func(row, col, length int))) {
	p.op("q 0 g ")
	p.num(cell * PointsPerMM)
	p.op("0 0 ")
	p.num(-cell * PointsPerMM)
	p.point(x, y)
	p.op("cm\n")
	runs(func(row, col, n int) {
		p.content = strconv.AppendInt(p.content, int64(col), 10)
		p.content = append(p.content, ' ')
		p.content = strconv.AppendInt(p.content, int64(row), 10)
		p.content = append(p.content, ' ')
		p.content = strconv.AppendInt(p.content, int64(n), 10)
		p.content = append(p.content, " 1 re\n"...)
	})
	p.op("f Q\n")
}

// Content returns the page's content stream. Once the page is written it may be given to
// the next NewPage, so that a long document reuses one buffer.
func (p *Page) Content() []byte { return p.content }
