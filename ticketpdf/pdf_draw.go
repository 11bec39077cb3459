package ticketpdf

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ticketbooth-go/ticketbooth/ticketpdf/pdf"
)

// This file holds the drawing vocabulary the layouts share: a card (one ticket's page
// with its cleaned text) and its pens for text, labels and boxes.

// The colours of the ticket design.
var (
	colorAccent = pdf.Color{R: 24, G: 52, B: 96}    // the band behind the show name
	colorPaper  = pdf.Color{R: 255, G: 255, B: 255} // paper, and text on the band
	colorInk    = pdf.Color{R: 22, G: 26, B: 36}    // text
	colorMuted  = pdf.Color{R: 105, G: 114, B: 130} // labels and small print
	colorBox    = pdf.Color{R: 236, G: 241, B: 247} // seat boxes
	colorRule   = pdf.Color{R: 170, G: 178, B: 192} // frame and perforation
)

// card is one ticket being drawn on its page: the ticket, its text cleaned for the
// fonts, and the time the refund wording is relative to.
type card struct {
	pg        *pdf.Page
	t         *PrintedTicket
	now       time.Time
	showName  string
	organiser string
	venue     string
	purchaser string
	reference string
	hash      string
}

func newCard(pg *pdf.Page, t *PrintedTicket) *card {
	now := t.Now
	if now.IsZero() {
		now = time.Now()
	}
	return &card{
		pg: pg, t: t, now: now,
		showName:  printable(t.ShowName),
		organiser: printable(t.Organiser),
		venue:     printable(t.Venue),
		purchaser: printable(strings.TrimSpace(t.PurchaserName)),
		reference: printable(t.Reference),
		hash:      printable(t.TransactionHash),
	}
}

// seatList names the ticket's seats, "Stalls/12C, Stalls/12D".
func (c *card) seatList() string {
	names := make([]string, len(c.t.Seats))
	for i, s := range c.t.Seats {
		names[i] = printable(s.Seat.String())
	}
	return strings.Join(names, ", ")
}

func (c *card) textColor(k pdf.Color) { c.pg.SetTextColor(k) }
func (c *card) fillColor(k pdf.Color) { c.pg.SetFillColor(k) }
func (c *card) drawColor(k pdf.Color) { c.pg.SetDrawColor(k) }

// text draws s with its baseline at y; align 'L' puts its left end at x, 'C' its middle
// and 'R' its right end.
func (c *card) text(x, y float64, align byte, s string) {
	switch align {
	case 'C':
		x -= c.pg.StringWidth(s) / 2
	case 'R':
		x -= c.pg.StringWidth(s)
	}
	c.pg.Text(x, y, s)
}

// fit draws s in the font at size, shrunk down to minSize if it is wider than w, and cut
// short with an ellipsis if it is still too wide.
func (c *card) fit(x, y, w float64, align byte, font pdf.Font, size, minSize float64, s string) {
	c.pg.SetFont(font, size)
	if width := c.pg.StringWidth(s); width > w {
		c.pg.SetFontSize(max(minSize, size*w/width))
	}
	if c.pg.StringWidth(s) > w {
		s = c.cut(s, w)
	}
	c.text(x, y, align, s)
}

// cut shortens s with an ellipsis until it is at most w wide in the current font.
func (c *card) cut(s string, w float64) string {
	runes := []rune(s)
	for n := len(runes) - 1; n > 0; n-- {
		short := strings.TrimSpace(string(runes[:n])) + "…"
		if c.pg.StringWidth(short) <= w {
			return short
		}
	}
	return "…"
}

// label draws a small upper-case caption in the muted colour.
func (c *card) label(x, y, size float64, s string) {
	c.textColor(colorMuted)
	c.pg.SetFont(pdf.Bold, size)
	c.pg.Text(x, y, s)
	c.textColor(colorInk)
}

// wrap draws s in the current font as lines no wider than w, lineH apart, and returns
// the baseline below the last line.
func (c *card) wrap(x, y, w, lineH float64, s string) float64 {
	for _, line := range c.lines(s, w) {
		c.pg.Text(x, y, line)
		y += lineH
	}
	return y
}

// lines breaks s into lines no wider than w in the current font: at spaces, and inside
// a word only when the word alone is wider than w.
func (c *card) lines(s string, w float64) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		next := strings.TrimSpace(line + " " + word)
		if c.pg.StringWidth(next) <= w {
			line = next
			continue
		}
		if line != "" {
			out = append(out, line)
		}
		line = word
		for c.pg.StringWidth(line) > w {
			head := c.widestPrefix(line, w)
			out = append(out, head)
			line = line[len(head):]
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// widestPrefix returns the longest prefix of s, at least one character, no wider than w.
func (c *card) widestPrefix(s string, w float64) string {
	end := 0
	for i, r := range s {
		if i > 0 && c.pg.StringWidth(s[:i+utf8.RuneLen(r)]) > w {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	return s[:end]
}

// leading is the distance between the baselines of wrapped lines, per em.
const leading = 1.18

// ascent is where a line's baseline sits below the top of its box, per em (a little
// over the fonts' cap height).
const ascent = 0.78

// block draws s in the font within a box of width w from top down h mm, aligned 'L' or
// 'R': on one line at size if it fits, else wrapped at the largest size, in half points
// down to minSize, whose lines fit in the box. Text too long even at minSize is cut with
// an ellipsis on the last line that fits. It returns the bottom of the last line drawn.
func (c *card) block(x, top, w, h float64, align byte, font pdf.Font, size, minSize float64, s string) float64 {
	c.pg.SetFont(font, size)
	lines := c.lines(s, w)
	for size > minSize && !fitsIn(len(lines), size, h) {
		size = max(minSize, size-0.5)
		c.pg.SetFontSize(size)
		lines = c.lines(s, w)
	}
	em := size / pdf.PointsPerMM
	if n := maxLines(size, h); len(lines) > n {
		lines = append(lines[:n-1], c.cut(strings.Join(lines[n-1:], " "), w))
	}
	y := top + ascent*em
	for _, line := range lines {
		c.text(x, y, align, line)
		y += leading * em
	}
	return y - leading*em + (1-ascent)*em
}

// fitsIn reports whether n lines at size (points) fit in h mm.
func fitsIn(n int, size, h float64) bool { return n <= maxLines(size, h) }

// maxLines is how many lines at size (points) fit in h mm: at least one.
func maxLines(size, h float64) int {
	em := size / pdf.PointsPerMM
	return max(1, 1+int((h-em)/(leading*em)+1e-9))
}

// perforation draws the dashed tear line between a ticket and its stub.
func (c *card) perforation(x1, x2, y float64) {
	c.drawColor(colorRule)
	c.pg.SetLineWidth(0.3)
	c.pg.SetDash(1.2, 1)
	c.pg.Line(x1, y, x2, y)
	c.pg.SetDash(0, 0)
}

// seatBoxes draws the parts of one seat (section, row letter, seat number) side by side
// in shaded boxes across width w, the section twice as wide as the others.
func (c *card) seatBoxes(x, y, w, h, labelSize, valueSize float64) {
	type part struct {
		label, value string
		weight       float64
	}
	s := c.t.Seats[0].Seat
	var parts []part
	if s.Section != "" {
		parts = append(parts, part{"SECTION", printable(s.Section), 2})
	}
	if s.Letter != "" {
		parts = append(parts, part{"ROW", s.Letter, 1})
	}
	if s.Number != 0 {
		parts = append(parts, part{"SEAT", strconv.Itoa(s.Number), 1})
	}
	const gap = 2.0
	var weights float64
	for _, p := range parts {
		weights += p.weight
	}
	unit := (w - gap*float64(len(parts)-1)) / weights
	pad := h * 0.14
	for _, p := range parts {
		bw := unit * p.weight
		c.fillColor(colorBox)
		c.pg.RoundedRect(x, y, bw, h, 1.5, "1234", true)
		c.label(x+pad, y+pad+labelSize*0.3, labelSize, p.label)
		c.fit(x+pad, y+h-pad, bw-2*pad, 'L', pdf.Bold, valueSize, valueSize/2, p.value)
		x += bw + gap
	}
}

// seatLines lists several seats, each with its price at the right edge of width w, and
// returns the baseline below the last.
func (c *card) seatLines(x, y, w, lineH, size float64) float64 {
	for _, s := range c.t.Seats {
		c.fit(x, y, w*0.6, 'L', pdf.Bold, size, size*0.6, withType(printable(s.Seat.String()), s.Type))
		c.pg.SetFont(pdf.Regular, size)
		c.text(x+w, y, 'R', printable(formatMoney(c.t.Currency, s.Price)))
		y += lineH
	}
	return y
}

// withType is text followed by the ticket type's name, when the seat has a type.
func withType(text, typ string) string {
	if typ == "" {
		return text
	}
	return text + " · " + printable(typ)
}

// price is the price of the ticket: of its one seat, or the total of its seats.
func (c *card) price() string {
	return printable(formatMoney(c.t.Currency, totalPrice(c.t.Seats)))
}
