package api

import (
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// SealedTicket is one ticket of ReserveSealedTickets as the caller sealed it: the secret's
// ciphertext and SHA3-224 digest, and under the identity policy the name's ciphertext and
// keyed digest, all hex. The caller keeps the secret and keys (and wrote them down before
// asking), so a lost answer loses no ticket.
type SealedTicket struct {
	Seat             *ledger.Seat `json:"seat"`
	SecretCiphertext string       `json:"secretCiphertext"`
	SecretDigest     string       `json:"secretDigest"`
	NameCiphertext   string       `json:"nameCiphertext,omitempty"`
	NameDigest       string       `json:"nameDigest,omitempty"`
}

// ReserveSealedTicketsRequest is the body of ReserveSealedTickets: seats for one
// purchaser, sealed by the caller.
type ReserveSealedTicketsRequest struct {
	Sender  string         `json:"sender"`
	Amount  *int64         `json:"amount"`
	Tickets []SealedTicket `json:"tickets"`
}

// maxSealedCiphertext bounds a ciphertext: a name of ledger.MaxNameLen characters of up to
// 4 bytes each, padded.
const maxSealedCiphertext = 4*ledger.MaxNameLen + crypto.IVSize

// SealedOrderBody returns the body of ReserveSealedTickets selling the order o.
func SealedOrderBody(o ledger.Order) ReserveSealedTicketsRequest {
	return ReserveSealedTicketsRequest{Sender: o.Sender, Amount: o.Amount, Tickets: sealedTicketsOf(o)}
}

// sealedTicketsOf returns an order's tickets in their API form.
func sealedTicketsOf(o ledger.Order) []SealedTicket {
	out := make([]SealedTicket, len(o.Tickets))
	for i, t := range o.Tickets {
		seat := t.Seat
		out[i] = SealedTicket{Seat: &seat, SecretCiphertext: crypto.EncodeHex(t.SecretCiphertext),
			SecretDigest: crypto.EncodeHex(t.SecretDigest)}
		if len(t.NameCiphertext) > 0 {
			out[i].NameCiphertext, out[i].NameDigest = crypto.EncodeHex(t.NameCiphertext), crypto.EncodeHex(t.NameDigest)
		}
	}
	return out
}

// Order returns the request as a ledger order: EINVALID for a missing seat or a
// ciphertext or digest of the wrong form.
func (r ReserveSealedTicketsRequest) Order() (ledger.Order, error) {
	o := ledger.Order{Sender: r.Sender, Amount: r.Amount, Tickets: make([]ledger.SealedTicket, len(r.Tickets))}
	for i, t := range r.Tickets {
		st, err := t.sealed()
		if err != nil {
			return ledger.Order{}, err
		}
		o.Tickets[i] = st
	}
	return o, nil
}

func (t SealedTicket) sealed() (ledger.SealedTicket, error) {
	if t.Seat == nil {
		return ledger.SealedTicket{}, ledger.Errorf(ledger.EINVALID, "Every sealed ticket needs its seat")
	}
	st := ledger.SealedTicket{Seat: *t.Seat}
	var err error
	if st.SecretCiphertext, err = ciphertext(t.SecretCiphertext, "secretCiphertext", *t.Seat); err != nil {
		return st, err
	}
	if st.SecretDigest, err = crypto.DecodeHex(t.SecretDigest, len(crypto.SecretDigest(""))); err != nil {
		return st, ledger.Errorf(ledger.EINVALID, "secretDigest of seat %s must be a SHA3-224 digest in hex", *t.Seat)
	}
	if t.NameCiphertext == "" && t.NameDigest == "" {
		return st, nil
	}
	if st.NameCiphertext, err = ciphertext(t.NameCiphertext, "nameCiphertext", *t.Seat); err != nil {
		return st, err
	}
	if st.NameDigest, err = crypto.DecodeHex(t.NameDigest, len(crypto.NameDigest(make([]byte, crypto.KeySize), ""))); err != nil {
		return st, ledger.Errorf(ledger.EINVALID, "nameDigest of seat %s must be an HMAC-SHA256 in hex", *t.Seat)
	}
	return st, nil
}

// ciphertext decodes an AES-CBC ciphertext: whole blocks, at least one.
func ciphertext(text, member string, seat ledger.Seat) ([]byte, error) {
	b, err := crypto.DecodeHex(text, 0)
	if err != nil || len(b) == 0 || len(b)%crypto.IVSize != 0 || len(b) > maxSealedCiphertext {
		return nil, ledger.Errorf(ledger.EINVALID, "%s of seat %s must be an AES-CBC ciphertext in hex (whole 16-byte blocks, at most %d bytes)",
			member, seat, maxSealedCiphertext)
	}
	return b, nil
}
