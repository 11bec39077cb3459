package delivery

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/mail"
	"github.com/ticketbooth-go/ticketbooth/delivery/pkpass"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Passes makes the Apple Wallet passes of a mail: the organizer's pass type and
// certificate, and where venues are (the ledger keeps no coordinates).
type Passes struct {
	Issuer pkpass.Issuer
	Signer pkpass.Signer
	// Locations are venues' positions by venue name, as the contract names its venue: a
	// pass of a venue listed here shows on the lock screen near it. Optional.
	Locations map[string]pkpass.Location
}

// build returns one pass per ticket of the purchase (one ticket a QR code), named
// ticket-1.pkpass, ticket-2.pkpass...; none when ps is nil. A ticket whose facts a pass
// cannot carry (a QR text outside ISO-8859-1, a name too long) gets no pass; its PDF page
// and wallet code still carry it.
func (ps *Passes) build(contract ledger.Contract, p issuer.Purchase) ([]mail.Pass, error) {
	if ps == nil {
		return nil, nil
	}
	d := contract.Sale.Details
	base := pkpass.Ticket{Show: d.Name, Venue: contract.Venue, Time: time.Unix(d.Time, 0), Zone: d.Location()}
	if loc, ok := ps.Locations[contract.Venue]; ok {
		base.Location = &loc
	}
	var out []mail.Pass
	for i, t := range p.Tickets {
		tk := base
		tk.QRText, tk.Seat, tk.Serial = p.QR[i], t.Seat.String(), serial()
		data, err := pkpass.Build(ps.Issuer, tk, ps.Signer)
		if ledger.ErrorCode(err) == ledger.EINVALID {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, mail.Pass{FileName: fmt.Sprintf("ticket-%d.pkpass", i+1), Data: data})
	}
	return out, nil
}

// serial is a fresh pass serial number: 16 random bytes in hex, so that no two passes,
// a reissued ticket's included, share one.
func serial() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
