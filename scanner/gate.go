package scanner

import (
	"context"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Scan is one scan at a gate: the QR text (from a keyboard-wedge scanner or a QR read
// elsewhere) or an image to read it from.
type Scan struct {
	QR         string
	Image      []byte
	Gate       string
	Nonce      string
	VerifyOnly bool
	// Offline, At and Device describe an admission a device made alone and uploads now
	// (see ledger.CheckInRequest).
	Offline bool
	At      time.Time
	Device  string
	// Direction is ledger.DirectionIn (also "") or ledger.DirectionOut.
	Direction string
}

// Service checks tickets in: the Gate in-process, the HTTP client remotely.
type Service interface {
	// CheckIn reads, verifies and (unless VerifyOnly) admits the tickets of one scan, one
	// result per ticket. An unreadable image or QR text gives an EINVALID error; for QR
	// text that does not parse the single malformed result comes back with it.
	CheckIn(ctx context.Context, address string, s Scan) ([]ledger.CheckResult, error)
	// CheckIns reports sold and admitted tickets of the latest sale.
	CheckIns(ctx context.Context, address string) (ledger.CheckInReport, error)
}

// Gate checks tickets in against the ledger.
type Gate struct {
	Ledger ledger.Gate
	// Pictures reads the QR text of a Scan's Image, with ledger errors (gateread.Image).
	// A Gate without it reads QR text only: the server reads uploads itself, and this
	// package links no image decoder.
	Pictures func(image []byte) (string, error)
}

var _ Service = (*Gate)(nil)

// CheckIn reads the image with Pictures if there is one, parses the QR text strictly (a
// static QR with ParseQR, a SECURE ticket's rotating code "TBR1.…" with
// ledger.ParseRotatingCode) and has the ledger verify and admit the tickets atomically.
// Unparseable QR text is journaled as a malformed attempt (unless only verifying).
func (g *Gate) CheckIn(ctx context.Context, address string, s Scan) ([]ledger.CheckResult, error) {
	text := s.QR
	if len(s.Image) > 0 {
		if g.Pictures == nil {
			return nil, ledger.Errorf(ledger.EINTERNAL, "this gate cannot read pictures")
		}
		var err error
		if text, err = g.Pictures(s.Image); err != nil {
			return nil, err
		}
	}
	req := ledger.CheckInRequest{Gate: s.Gate, Nonce: s.Nonce, VerifyOnly: s.VerifyOnly, Offline: s.Offline, At: s.At, Device: s.Device,
		Direction: s.Direction}
	var err error
	if ledger.IsRotatingCode(text) {
		var code ledger.RotatingCode
		code, err = ledger.ParseRotatingCode(text)
		req.Code = &code
	} else {
		req.Tickets, err = ParseQR(text)
	}
	if err != nil {
		res := ledger.CheckResult{Status: ledger.StatusMalformed, Reason: ledger.ErrorMessage(err)}
		if !s.VerifyOnly {
			if _, rerr := g.Ledger.RecordMalformed(ctx, address, s.Gate, res.Reason); rerr != nil {
				return nil, rerr
			}
		}
		return []ledger.CheckResult{res}, err
	}
	return g.Ledger.CheckIn(ctx, address, req)
}

// CheckIns passes the report through from the ledger.
func (g *Gate) CheckIns(ctx context.Context, address string) (ledger.CheckInReport, error) {
	return g.Ledger.CheckIns(ctx, address)
}
