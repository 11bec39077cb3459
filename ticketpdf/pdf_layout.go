package ticketpdf

import (
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf/pdf"
)

// This file places a ticket on the page for each layout. Coordinates are millimetres
// from the top-left corner of the page; text positions are baselines.

// qrBoxes is where each layout puts the white QR square, quiet zone included: its
// top-left corner and side in mm, the side the issuer groups codes for
// (issuer.Layout.QRSideMM). With the four-module quiet zone the symbol itself is at
// least side*21/29 wide (version 1): 58 mm on A4, 43 mm on A6. A module prints at
// side/(25+4*version) mm, at least issuer.MinModuleMM up to version 33 on A4 and version
// 23 on A6 (see issuer.PrintableQRTexts).
var qrBoxes = [...]struct{ x, y, side float64 }{
	issuer.LayoutA4: {109, 51, issuer.LayoutA4.QRSideMM()},
	issuer.LayoutA6: {84, 24, issuer.LayoutA6.QRSideMM()},
}

// drawQR draws the symbol in black in a white square of side mm at (x, y), the quiet
// zone included, as vector rectangles (see pdf.Page.Grid).
func drawQR(pg *pdf.Page, sym *qrSymbol, x, y, side float64) {
	pg.SetFillColor(colorPaper)
	pg.Rect(x, y, side, side)
	module := side / float64(sym.width())
	pg.Grid(x+module*issuer.QuietZone, y+module*issuer.QuietZone, module, sym.runs)
}

// drawA4 draws the print-at-home ticket: a framed ticket with a coloured band, the
// details on the left and the QR on the right, a stub with the reference and transaction
// below a perforation, and advice under the frame.
func drawA4(c *card, sym *qrSymbol) {
	const x0, y0, w, h = 15.0, 15.0, 180.0, 182.0
	const left, colW, right = 23.0, 82.0, 187.0
	c.drawColor(colorRule)
	c.pg.SetLineWidth(0.3)
	c.pg.RoundedRect(x0, y0, w, h, 4, "1234", false)
	c.fillColor(colorAccent)
	c.pg.RoundedRect(x0, y0, w, 32, 4, "12", true)

	c.header(left, right, headerSizes{tagY: 22.5, tagW: 110, tag: 8, tagMin: 6, ref: 9, refMin: 6,
		nameTop: 27.5, nameH: 11, name: 22, nameMin: 8, orgTop: 39, orgH: 6.5, orgGap: 2.5, org: 10, orgMin: 6})

	y := c.details(left, 56, colW, detailSizes{label: 7, big: 13, small: 12, step: 6.5, gap: 10, venueH: 13, venueMin: 7.5})
	c.seatsAndPrice(left, max(93, y+4), colW, seatSizes{label: 7, boxH: 22, box: 22, line: 12, lineH: 6, price: 13, gap: 9.5})
	qr := qrBoxes[issuer.LayoutA4]
	drawQR(c.pg, sym, qr.x, qr.y, qr.side)
	c.fit(qr.x+qr.side/2, 138, qr.side, 'C', pdf.Mono, 13, 8, c.reference)

	y = 147.0
	if c.purchaser != "" {
		c.label(left, y, 7, "PURCHASER · BRING A MATCHING ID")
		c.fit(left, y+7, right-left, 'L', pdf.Bold, 15, 8, c.purchaser)
		y += 16
	}
	c.label(left, y, 7, "REFUND")
	c.pg.SetFont(pdf.Regular, 9.5)
	c.wrap(left, y+5.5, right-left, 4.6, refundSentence(c.t, c.now))

	c.stubA4(left, right)
	c.adviceA4(left, 209)
}

// stubA4 draws the tear-off stub at the bottom of the A4 ticket frame.
func (c *card) stubA4(left, right float64) {
	c.perforation(15, 195, 171)
	c.label(left, 177, 6.5, "REFERENCE")
	c.label(75, 177, 6.5, c.seatWord())
	c.label(127, 177, 6.5, "SHOW")
	c.fit(left, 183, 48, 'L', pdf.Mono, 11, 7, c.reference)
	c.fit(75, 183, 48, 'L', pdf.Bold, 10, 6, c.seatList())
	c.fit(127, 183, right-127, 'L', pdf.Regular, 9.5, 6, c.t.ShowTime.Format("Mon 2 Jan 2006, 15:04 MST"))
	c.label(left, 191, 6.5, "TRANSACTION")
	c.fit(left+22, 191, right-left-22, 'L', pdf.Mono, 8, 5, c.hash)
}

// adviceA4 draws the "good to know" notes below the A4 ticket frame and a footer.
func (c *card) adviceA4(x, y float64) {
	c.pg.SetFont(pdf.Bold, 12)
	c.pg.Text(x, y, "Good to know")
	notes := []string{
		"This QR code is your ticket. The first scan at the entrance admits you; a copy scanned after it is refused, so keep this page to yourself and do not share pictures of it.",
		"Print this page or show it on your phone. Keep the QR code flat, clean and unfolded.",
	}
	if c.t.Codes > 1 {
		notes = append(notes, fmt.Sprintf("This purchase has %d QR codes, one a page: this page is %s and admits the seats printed on it.",
			c.t.Codes, codeOf(c.t.Code, c.t.Codes)))
	}
	if c.purchaser != "" {
		notes = append(notes, "This ticket is personal: bring an identity document in the name of "+c.purchaser+".")
	}
	notes = append(notes, refundSentence(c.t, c.now))
	y += 7.5
	for _, note := range notes {
		c.pg.SetFont(pdf.Regular, 9.5)
		c.pg.Text(x, y, "•")
		y = c.wrap(x+4, y, 160, 4.6, note) + 1.8
	}
	c.textColor(colorMuted)
	c.fit(105, 285, 180, 'C', pdf.Regular, 7.5, 5, c.showName+" · "+c.reference+" · issued with Ticketbooth")
	c.textColor(colorInk)
}

// drawA6 draws the ticket-stock ticket on an A6 landscape page: band on top, details on
// the left, the QR on the right, and a stub along the bottom edge.
// The QR square is 60 mm, the most the page holds beside the details; the reference is
// printed in the band and the stub.
func drawA6(c *card, sym *qrSymbol) {
	const left, colW, right = 6.0, 74.0, 142.0
	c.fillColor(colorAccent)
	c.pg.Rect(0, 0, 148, 23)
	c.header(left, right, headerSizes{tagY: 6.5, tagW: 90, tag: 6.5, tagMin: 5, ref: 7.5, refMin: 5,
		nameTop: 8.5, nameH: 8.3, name: 14, nameMin: 6, orgTop: 17.4, orgH: 4.7, orgGap: 1.5, org: 7, orgMin: 5})

	y := c.details(left, 28, colW, detailSizes{label: 5.5, big: 10, small: 9, step: 4.4, gap: 6, venueH: 7.2, venueMin: 6})
	c.seatsAndPrice(left, max(50.5, y+2), colW, seatSizes{label: 5.5, boxH: 13, box: 14, line: 8.5, lineH: 4.1, price: 10, gap: 4.5})
	qr := qrBoxes[issuer.LayoutA6]
	drawQR(c.pg, sym, qr.x, qr.y, qr.side)
	if c.purchaser != "" {
		c.label(left, 77.8, 5.5, "PURCHASER · BRING A MATCHING ID")
		c.fit(left, 82.3, colW, 'L', pdf.Bold, 10, 6, c.purchaser)
	}
	c.stubA6(left, right)
}

// stubA6 draws the strip below the perforation of the A6 ticket.
func (c *card) stubA6(left, right float64) {
	c.perforation(4, 144, 85.5)
	c.fit(left, 89.8, right-left, 'L', pdf.Regular, 6.5, 5, refundSentence(c.t, c.now))
	c.label(left, 94.2, 5, "TRANSACTION")
	c.fit(left+14, 94.2, right-left-14, 'L', pdf.Mono, 6.3, 4.5, c.hash)
	c.label(left, 98.6, 5, c.seatWord())
	c.fit(left+14, 98.6, 66, 'L', pdf.Bold, 7, 5, c.seatList())
	c.label(88, 98.6, 5, "REF")
	c.fit(right, 98.6, 46, 'R', pdf.Mono, 7, 5, c.reference)
}

// seatWord is the label of the seat list: "SEAT" or "SEATS".
func (c *card) seatWord() string {
	if len(c.t.Seats) == 1 {
		return "SEAT"
	}
	return "SEATS"
}

// detailSizes are the font sizes (points) and spacing (mm) of the date and venue block:
// the venue wraps within venueH mm, shrinking down to venueMin points.
type detailSizes struct{ label, big, small, step, gap, venueH, venueMin float64 }

// headerSizes place the header band's text: the admits tag and the reference on one line
// (y, width), then the show's name and its organiser, each wrapped in a box (top and
// height in mm; the organiser's moves up to orgGap under a short name); font sizes in
// points, each with the smallest it may shrink to.
type headerSizes struct {
	tagY, tagW, tag, tagMin, ref, refMin float64
	nameTop, nameH, name, nameMin        float64
	orgTop, orgH, orgGap, org, orgMin    float64
}

// header writes the band's text in paper colour between left and right.
func (c *card) header(left, right float64, s headerSizes) {
	c.textColor(colorPaper)
	c.fit(left, s.tagY, s.tagW, 'L', pdf.Bold, s.tag, s.tagMin, admits(len(c.t.Seats), c.t.Code, c.t.Codes))
	c.fit(right, s.tagY, right-left-s.tagW-4, 'R', pdf.Mono, s.ref, s.refMin, c.reference)
	bottom := c.block(left, s.nameTop, right-left, s.nameH, 'L', pdf.Bold, s.name, s.nameMin, c.showName)
	if c.organiser != "" {
		top := min(s.orgTop, bottom+s.orgGap)
		c.block(left, top, right-left, s.orgTop+s.orgH-top, 'L', pdf.Regular, s.org, s.orgMin, "Presented by "+c.organiser)
	}
	c.textColor(colorInk)
}

// details draws the date, time and venue in a column of width w from y, and returns the
// bottom of the venue's last line.
func (c *card) details(x, y, w float64, s detailSizes) float64 {
	c.label(x, y, s.label, "DATE AND TIME")
	c.fit(x, y+s.step, w, 'L', pdf.Bold, s.big, s.big*0.6, formatDay(c.t.ShowTime))
	c.fit(x, y+2*s.step, w, 'L', pdf.Regular, s.small, s.small*0.6, formatClock(c.t.ShowTime))
	y += 2*s.step + s.gap
	c.label(x, y, s.label, "VENUE")
	size := s.big * 0.92
	top := y + s.step - ascent*size/pdf.PointsPerMM
	return c.block(x, top, w, s.venueH, 'L', pdf.Bold, size, s.venueMin, c.venue)
}

// seatSizes are the font sizes (points) and heights and gaps (mm) of the seat block.
type seatSizes struct{ label, boxH, box, line, lineH, price, gap float64 }

// seatsAndPrice draws from y either one seat in big boxes with its price below, or the
// list of several seats with their prices and the total.
func (c *card) seatsAndPrice(x, y, w float64, s seatSizes) {
	if len(c.t.Seats) == 1 {
		c.seatBoxes(x, y, w, s.boxH, s.label, s.box)
		py := y + s.boxH + s.gap
		c.label(x, py, s.label, "PRICE")
		c.fit(x, py+s.price*0.5, w, 'L', pdf.Bold, s.price, s.price*0.6, withType(c.price(), c.t.Seats[0].Type))
		return
	}
	c.label(x, y+s.label*0.35, s.label, "SEATS")
	y = c.seatLines(x, y+s.label*0.35+s.lineH, w, s.lineH, s.line)
	c.label(x, y, s.label, "TOTAL")
	c.pg.SetFont(pdf.Bold, s.line)
	c.text(x+w, y, 'R', c.price())
}
