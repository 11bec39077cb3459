package pdfscan

import (
	"context"
	"errors"
	"math"
	"slices"

	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// Code is one QR code read from a file: its text and the page it is on, counted from 1
// (0 for an image file).
type Code struct {
	Page int    `json:"page"`
	Text string `json:"text"`
}

// dpi is the resolution pages are painted at: a 0.4 mm module gets almost 5 pixels.
const dpi = 300

// errNoCodeInPDF is the answer for a PDF that holds no readable code.
var errNoCodeInPDF = newError(qrdecode.ErrNoCode, "No ticket code was found in this PDF; upload a photo or screenshot of the code")

// Decode reads every QR code on the pages of a PDF, page by page, within the limits (the
// zero Limits for DefaultLimits). It returns a *qrdecode.Error of kind ErrNotPDF,
// ErrMalformed, ErrTooLarge, or qrdecode.ErrNoCode when no page holds a readable code,
// and ctx's error when it is done first. It never panics.
func Decode(ctx context.Context, data []byte, lim Limits) (codes []Code, err error) {
	defer func() {
		if r := recover(); r != nil {
			codes, err = nil, malformed("it is damaged in a way this reader did not expect")
		}
	}()
	d, err := open(data, lim)
	if err != nil {
		return nil, err
	}
	pages, err := d.pages()
	if err != nil {
		return nil, err
	}
	for i, pg := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		found, err := d.pageCodes(ctx, pg)
		if err != nil {
			return nil, err
		}
		for _, text := range found {
			codes = append(codes, Code{Page: i + 1, Text: text})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, errNoCodeInPDF
	}
	return codes, nil
}

// pageCodes paints a page and reads the codes of its raster and of its images.
func (d *document) pageCodes(ctx context.Context, pg page) ([]string, error) {
	p, err := d.paint(pg)
	if err != nil {
		return nil, err
	}
	var texts []string
	add := func(found []string, err error) {
		for _, t := range found {
			if !slices.Contains(texts, t) {
				texts = append(texts, t)
			}
		}
	}
	if !p.r.ink.Empty() {
		margin := max(16, max(p.r.ink.Dx(), p.r.ink.Dy())/20)
		add(qrdecode.DecodeAll(p.r.img.SubImage(p.r.ink.Inset(-margin))))
	}
	for _, src := range p.images {
		if ctx.Err() != nil {
			break
		}
		if src.jpeg != nil {
			add(qrdecode.DecodeAllBytesWithin(src.jpeg, d.lim.Pictures))
		} else {
			add(qrdecode.DecodeAll(src.img))
		}
	}
	return texts, nil
}

// paint runs a page's content into a raster at about dpi, less for pages too large for
// MaxRasterPixels.
func (d *document) paint(pg page) (*painter, error) {
	w, h := pg.box[2]-pg.box[0], pg.box[3]-pg.box[1]
	scale := dpi / 72.0
	if w*h*scale*scale > float64(d.lim.MaxRasterPixels) {
		scale = math.Sqrt(float64(d.lim.MaxRasterPixels) / (w * h))
	}
	p := &painter{d: d, r: newRaster(max(1, int(w*scale)), max(1, int(h*scale)))}
	p.gs = gstate{ctm: matrix{scale, 0, 0, -scale, -pg.box[0] * scale, pg.box[3] * scale}, paint: true}
	content, err := d.contents(pg.dict["Contents"])
	if err != nil {
		return nil, err
	}
	if err := p.run(content, pg.resources); err != nil {
		return nil, err
	}
	return p, nil
}

// contents joins the page's content streams.
func (d *document) contents(v any) ([]byte, error) {
	var parts []any
	switch c := d.resolve(v).(type) {
	case *stream:
		parts = []any{c}
	case array:
		parts = c
	}
	var out []byte
	for _, part := range parts {
		s, ok := d.resolve(part).(*stream)
		if !ok {
			continue
		}
		data, _, err := d.decodeStream(s)
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		out = append(append(out, data...), '\n')
	}
	return out, nil
}
