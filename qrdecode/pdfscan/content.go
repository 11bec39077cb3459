package pdfscan

import (
	"math"
)

// This file runs a page's content operators (ISO 32000-1, 8 and 9) far enough to paint
// its filled paths and to collect its images: the graphics state stack and matrix, path
// construction, fills and fill colours, and XObjects. Text, strokes, clipping, shadings
// and marked content are read past.

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

// times returns m applied first, then n.
func (m matrix) times(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) point {
	return point{m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]}
}

// gstate is the part of the graphics state the painter keeps.
type gstate struct {
	ctm   matrix
	grey  byte
	paint bool // false while the fill colour is a pattern, which is not painted
}

// maxStack bounds the graphics state stack (q); maxFormDepth the nesting of forms.
const (
	maxStack     = 64
	maxFormDepth = 8
	maxOperands  = 64
)

// painter runs the content of one page.
type painter struct {
	d      *document
	r      *raster
	gs     gstate
	stack  []gstate
	path   [][]point
	points int
	depth  int
	images []source
}

// run executes a content stream's operators with the resources.
func (p *painter) run(content []byte, resources dict) error {
	lx := &lexer{data: content}
	var operands []any
	for {
		v, err := lx.object(0, false)
		if err == errEOF {
			return nil
		}
		if err != nil {
			operands = operands[:0] // skip what cannot be read, as viewers do
			continue
		}
		op, ok := v.(keyword)
		if !ok {
			if len(operands) < maxOperands {
				operands = append(operands, v)
			}
			continue
		}
		if p.d.ops++; p.d.ops > p.d.lim.MaxOperators {
			return tooLarge("it has more than %d drawing operators", p.d.lim.MaxOperators)
		}
		if err := p.do(string(op), operands, resources, lx); err != nil {
			return err
		}
		operands = operands[:0]
	}
}

// do runs one operator.
func (p *painter) do(op string, args []any, resources dict, lx *lexer) error {
	n := numbers(args)
	switch op {
	case "q":
		if len(p.stack) < maxStack {
			p.stack = append(p.stack, p.gs)
		}
	case "Q":
		if len(p.stack) > 0 {
			p.gs, p.stack = p.stack[len(p.stack)-1], p.stack[:len(p.stack)-1]
		}
	case "cm":
		if len(n) == 6 {
			p.gs.ctm = matrix(n).times(p.gs.ctm)
		}
	case "m", "l", "c", "v", "y", "re", "h":
		return p.construct(op, n)
	case "f", "F", "f*", "B", "B*", "b", "b*":
		return p.fillPath(op == "f*" || op == "B*" || op == "b*")
	case "n", "S", "s":
		p.path = p.path[:0]
	case "g", "rg", "k", "sc", "scn", "cs":
		p.setFill(op, args, n)
	case "Do":
		return p.xobject(args, resources)
	case "BI":
		return p.inlineImage(lx, resources)
	}
	return nil
}

// numbers returns the operands when all of them are numbers, else nil.
func numbers(args []any) []float64 {
	out := make([]float64, 0, len(args))
	for _, a := range args {
		f, ok := a.(float64)
		if !ok {
			return nil
		}
		out = append(out, f)
	}
	return out
}

// construct adds to the current path, in device pixels.
func (p *painter) construct(op string, n []float64) error {
	m := p.gs.ctm
	switch {
	case op == "m" && len(n) == 2:
		p.path = append(p.path, []point{m.apply(n[0], n[1])})
	case op == "re" && len(n) == 4:
		x, y, w, h := n[0], n[1], n[2], n[3]
		p.path = append(p.path, []point{m.apply(x, y), m.apply(x+w, y), m.apply(x+w, y+h), m.apply(x, y+h)}, nil)
		p.points += 4
	case op == "h" || len(p.path) == 0 || p.path[len(p.path)-1] == nil:
		// closing, or a segment without a current point: nothing to add
	case op == "l" && len(n) == 2:
		p.lineTo(m.apply(n[0], n[1]))
	case (op == "c" && len(n) == 6) || ((op == "v" || op == "y") && len(n) == 4):
		p.curve(op, n)
	}
	if p.points++; p.points > p.d.lim.MaxPathPoints {
		return tooLarge("a page's paths have more than %d points", p.d.lim.MaxPathPoints)
	}
	return nil
}

func (p *painter) lineTo(pt point) {
	last := len(p.path) - 1
	p.path[last] = append(p.path[last], pt)
}

// curve flattens a Bézier curve into eight segments.
func (p *painter) curve(op string, n []float64) {
	sp := p.path[len(p.path)-1]
	p0 := sp[len(sp)-1]
	m := p.gs.ctm
	var c1, c2, p3 point
	switch op {
	case "c":
		c1, c2, p3 = m.apply(n[0], n[1]), m.apply(n[2], n[3]), m.apply(n[4], n[5])
	case "v":
		c1, c2, p3 = p0, m.apply(n[0], n[1]), m.apply(n[2], n[3])
	case "y":
		c1, c2, p3 = m.apply(n[0], n[1]), m.apply(n[2], n[3]), m.apply(n[2], n[3])
	}
	for i := 1; i <= 8; i++ {
		t := float64(i) / 8
		u := 1 - t
		a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
		p.lineTo(point{a*p0.x + b*c1.x + c*c2.x + d*p3.x, a*p0.y + b*c1.y + c*c2.y + d*p3.y})
	}
	p.points += 8
}

// fillPath paints the current path in the fill colour and ends it.
func (p *painter) fillPath(evenOdd bool) error {
	var subpaths [][]point
	for _, sp := range p.path {
		if len(sp) >= 3 {
			subpaths = append(subpaths, sp)
		}
	}
	p.path = p.path[:0]
	if !p.gs.paint || len(subpaths) == 0 {
		return nil
	}
	return p.r.fill(subpaths, evenOdd, p.gs.grey)
}

// setFill sets the fill colour from grey, RGB or CMYK components; a colour space change
// resets it to black, and a pattern (a name operand) is not painted.
func (p *painter) setFill(op string, args []any, n []float64) {
	p.gs.paint = true
	switch {
	case op == "cs":
		p.gs.grey = 0
		p.gs.paint = len(args) == 0 || args[0] != name("Pattern")
	case len(n) == 1:
		p.gs.grey = level(n[0])
	case len(n) == 3:
		p.gs.grey = level(0.299*n[0] + 0.587*n[1] + 0.114*n[2])
	case len(n) == 4:
		k := 1 - math.Min(1, n[3])
		p.gs.grey = level((0.299*(1-n[0]) + 0.587*(1-n[1]) + 0.114*(1-n[2])) * k)
	default:
		p.gs.paint = false
	}
}

// level turns an intensity in [0, 1] into a grey level.
func level(v float64) byte {
	if math.IsNaN(v) {
		return 0
	}
	return byte(math.Round(255 * math.Max(0, math.Min(1, v))))
}
