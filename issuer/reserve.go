package issuer

import (
	"context"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Service sells tickets: the issuer in-process, the HTTP client remotely.
type Service interface {
	// Reserve sells the request's seats to one purchaser, all or nothing, and returns the
	// tickets with their secrets and keys (shown this once) and the QR texts.
	Reserve(ctx context.Context, address string, r Request) (Purchase, error)
	// Release returns a ticket to sale and refunds its price less the fee.
	Release(ctx context.Context, address string, r ledger.ReleaseRequest) (ledger.ReleaseReceipt, error)
	// Reissue gives a sold ticket a new secret and keys for the same seat and holder, and
	// returns it as a purchase of that one ticket: its old QR is refused from then on.
	Reissue(ctx context.Context, address string, r ReissueRequest) (Purchase, error)
}

// Ledger is what the issuer needs of the ledger: the contract it sells on (for the
// identity policy its tickets are sealed under) and the ledger's selling side. The SQL
// store's Selling provides both.
type Ledger interface {
	Contract(ctx context.Context, address string) (ledger.Contract, error)
	ledger.Seller
}

// Issuer reserves tickets against the ledger with fresh secrets and keys.
type Issuer struct {
	Ledger Ledger
	// Bookings is the ledger's booking side, for ConfirmBooking; nil: the issuer
	// confirms no bookings.
	Bookings ledger.Bookings
	// Resale is the ledger's resale side, for Transfer and BuyResale; nil: the issuer
	// moves no tickets between holders.
	Resale ledger.Resale
	// policies remembers the identity policy of contracts seen with a sale active, when
	// their rules are locked, so a reservation needs no read of the contract first
	// (address → bool). The ledger checks the policy again under its lock; see Reserve.
	policies sync.Map
}

var _ Service = (*Issuer)(nil)

// Request is a purchase as a shop or box office asks for it.
type Request struct {
	Seats        []ledger.Seat `json:"seats"`
	CustomerName string        `json:"customerName,omitempty"`
	Sender       string        `json:"sender"`
	Amount       *int64        `json:"amount,omitempty"`
	// TicketsPerQR is the most tickets one QR code carries: 0 means MaxSeatsPerTicket
	// (4), 1 gives every ticket its own QR (stock printing). Fewer are grouped when the
	// codes would print too small on Layout (see PrintableQRTexts); the purchase says how
	// many were.
	TicketsPerQR int `json:"ticketsPerQR,omitempty"`
	// Layout is the page the codes will be printed on, A4 unless set: it bounds how many
	// tickets one code may carry.
	Layout Layout `json:"-"`
}

// SecretKeys are a ticket's secret with the key and IV that decrypt its ciphertext.
type SecretKeys struct {
	Plaintext string `json:"plaintext"`
	Key       string `json:"key"`
	IV        string `json:"iv"`
}

// NameKeys are the key and IV of the purchaser name's ciphertext.
type NameKeys struct {
	Key string `json:"key"`
	IV  string `json:"iv"`
}

// IssuedTicket is one sold ticket as the purchaser receives it.
type IssuedTicket struct {
	Seat         ledger.Seat `json:"seat"`
	Type         string      `json:"type,omitempty"` // its ticket type; "" for the base price
	Price        int64       `json:"price"`
	Secret       SecretKeys  `json:"secret"`
	CustomerName *NameKeys   `json:"customerName"`
}

// Purchase is a committed reservation (or reissue): what the purchaser must keep. Holder
// is the pseudonymous address under which the public ticket list shows the tickets.
type Purchase struct {
	Contract        string         `json:"contract"`
	TransactionHash string         `json:"transactionHash"`
	Height          int64          `json:"height"`
	Sender          string         `json:"sender,omitempty"`
	Holder          string         `json:"holder"`
	CustomerName    string         `json:"customerName,omitempty"`
	Total           int64          `json:"total"`
	Refunded        int64          `json:"refunded"`
	Tickets         []IssuedTicket `json:"tickets"`
	// QR holds the QR texts: each a JSON array of up to TicketsPerQR tickets, in order.
	QR []string `json:"qr"`
	// TicketsPerQR is how many tickets each QR code carries (the last may carry fewer):
	// the request's, or fewer when its codes would print with modules under MinModuleMM
	// on the request's layout.
	TicketsPerQR int `json:"ticketsPerQR"`
}

// Reserve seals a fresh secret for every seat (and the name under the identity policy),
// has the ledger sell them in one transaction and returns the purchase.
func (i *Issuer) Reserve(ctx context.Context, address string, r Request) (Purchase, error) {
	if err := validateRequest(r); err != nil {
		return Purchase{}, err
	}
	return i.underPolicy(ctx, address, func(required bool) (Purchase, error) {
		return i.reserve(ctx, address, r, required)
	})
}

// underPolicy runs sell, which seals tickets under the contract's identity policy and has
// the ledger sell them. When the remembered policy belongs to a sale that has ended since
// and the ledger refused it, and the contract's policy now differs, it tries once more
// under the current one.
func (i *Issuer) underPolicy(ctx context.Context, address string, sell func(required bool) (Purchase, error)) (Purchase, error) {
	required, cached, err := i.identityPolicy(ctx, address, false)
	if err != nil {
		return Purchase{}, err
	}
	p, err := sell(required)
	if cached && errors.Is(err, ledger.ErrIdentityPolicy) {
		now, _, rerr := i.identityPolicy(ctx, address, true)
		if rerr == nil && now != required {
			return sell(now)
		}
	}
	return p, err
}

// identityPolicy reports whether the contract requires customer names, and whether the
// answer came from memory. fresh reads the contract in any case.
func (i *Issuer) identityPolicy(ctx context.Context, address string, fresh bool) (required, cached bool, err error) {
	if v, ok := i.policies.Load(address); ok && !fresh {
		return v.(bool), true, nil
	}
	c, err := i.Ledger.Contract(ctx, address)
	if err != nil {
		return false, false, err
	}
	required = c.Rules.RequireIdentityVerification
	if c.Sale != nil && c.Sale.Active {
		i.policies.Store(address, required)
	} else {
		i.policies.Delete(address)
	}
	return required, false, nil
}

// reserve seals the request's tickets under the identity policy and has the ledger sell
// them.
func (i *Issuer) reserve(ctx context.Context, address string, r Request, identityRequired bool) (Purchase, error) {
	p, err := Prepare(address, r, identityRequired)
	if err != nil {
		return Purchase{}, err
	}
	return i.Sell(ctx, address, p)
}

// validateRequest checks a request by the ledger's rule for orders (ledger.ValidateOrder),
// and its seats, codes per QR and layout.
func validateRequest(r Request) error {
	if err := ledger.ValidateOrder(r.Sender, r.Seats, r.Amount); err != nil {
		return err
	}
	switch {
	case r.TicketsPerQR < 0 || r.TicketsPerQR > MaxSeatsPerTicket:
		return ledger.Errorf(ledger.EINVALID, "Tickets per QR must be between 1 and %d", MaxSeatsPerTicket)
	case r.Layout != LayoutA4 && r.Layout != LayoutA6:
		return ledger.Errorf(ledger.EINVALID, "Invalid layout %d: use LayoutA4 or LayoutA6", int(r.Layout))
	}
	for _, s := range r.Seats {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// seal makes a ticket's fresh secret, its ciphertext under a fresh key and IV, and under
// the identity policy the name's ciphertext under its own key and IV and the name digest
// keyed by the name key. The ledger gets the sealed half, the purchaser the keys.
func seal(seat ledger.Seat, name string) (ledger.SealedTicket, IssuedTicket, error) {
	secret, err := crypto.NewSecret()
	if err != nil {
		return ledger.SealedTicket{}, IssuedTicket{}, err
	}
	ct, key, iv, err := encrypt([]byte(secret))
	if err != nil {
		return ledger.SealedTicket{}, IssuedTicket{}, err
	}
	sealed := ledger.SealedTicket{Seat: seat, SecretCiphertext: ct, SecretDigest: crypto.SecretDigest(secret)}
	issued := IssuedTicket{Seat: seat, Secret: SecretKeys{Plaintext: secret, Key: crypto.EncodeHex(key), IV: crypto.EncodeHex(iv)}}
	if name != "" {
		nct, nkey, niv, err := encrypt([]byte(name))
		if err != nil {
			return ledger.SealedTicket{}, IssuedTicket{}, err
		}
		sealed.NameCiphertext, sealed.NameDigest = nct, crypto.NameDigest(nkey, name)
		issued.CustomerName = &NameKeys{Key: crypto.EncodeHex(nkey), IV: crypto.EncodeHex(niv)}
	}
	return sealed, issued, nil
}

// encrypt seals plaintext under a fresh key and IV.
func encrypt(plaintext []byte) (ct, key, iv []byte, err error) {
	if key, err = crypto.NewKey(); err != nil {
		return nil, nil, nil, err
	}
	if iv, err = crypto.NewIV(); err != nil {
		return nil, nil, nil, err
	}
	ct, err = crypto.Encrypt(key, iv, plaintext)
	return ct, key, iv, err
}

// QRTicket returns the QR form of an issued ticket.
func (t IssuedTicket) QRTicket() ledger.QRTicket {
	q := ledger.QRTicket{Seat: t.Seat, Secret: t.Secret.Plaintext, SecretKey: t.Secret.Key, SecretIV: t.Secret.IV}
	if t.CustomerName != nil {
		q.NameKey, q.NameIV = t.CustomerName.Key, t.CustomerName.IV
	}
	return q
}

// QRTexts groups tickets into QR texts of at most perQR tickets each (0 means
// MaxSeatsPerTicket), in order.
func QRTexts(tickets []IssuedTicket, perQR int) ([]string, error) {
	if perQR <= 0 || perQR > MaxSeatsPerTicket {
		perQR = MaxSeatsPerTicket
	}
	var out []string
	for start := 0; start < len(tickets); start += perQR {
		end := min(start+perQR, len(tickets))
		group := make([]ledger.QRTicket, 0, end-start)
		for _, t := range tickets[start:end] {
			group = append(group, t.QRTicket())
		}
		b, err := json.Marshal(group)
		if err != nil {
			return nil, ledger.Errorf(ledger.EINTERNAL, "encoding QR: %v", err)
		}
		out = append(out, string(b))
	}
	return out, nil
}

// Release passes a release to the ledger.
func (i *Issuer) Release(ctx context.Context, address string, r ledger.ReleaseRequest) (ledger.ReleaseReceipt, error) {
	return i.Ledger.Release(ctx, address, r)
}

var referenceEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// Reference is a short human-readable purchase reference derived from its transaction
// hash, e.g. "TB-7KQ2-91XA".
func Reference(transactionHash string) string {
	b, err := hex.DecodeString(transactionHash)
	if err != nil || len(b) < 5 {
		return "TB-" + strings.ToUpper(transactionHash)
	}
	s := referenceEncoding.EncodeToString(b[:5])
	return "TB-" + s[:4] + "-" + s[4:8]
}
