package ledger

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/ticketbooth-go/ticketbooth/crypto"
)

// Check-in statuses, one per ticket scanned.
const (
	StatusAdmitted         = "admitted"           // valid, first scan: let them in
	StatusValid            = "valid"              // valid (verify only, nothing recorded)
	StatusAlreadyCheckedIn = "already_checked_in" // valid, but admitted before
	StatusInvalid          = "invalid"            // the secret or name keys do not match
	StatusNotSold          = "not_sold"           // the seat is free or was released
	StatusUnknownSeat      = "unknown_seat"       // no such seat on the contract
	StatusNoSale           = "no_sale"            // the contract has had no sale
	StatusMalformed        = "malformed"          // the QR text could not be read
	// StatusDoubleEntry answers an offline admission uploaded for a ticket admitted
	// before elsewhere (another gate or device, online or offline): the person is in
	// already; the ledger keeps the second admission as a double entry, flagged and
	// counted (CheckInReport.DoubleEntries).
	StatusDoubleEntry = "double_entry"
	StatusExited      = "exited"     // an out scan of a ticket inside: the holder went out
	StatusReadmitted  = "readmitted" // an in scan of a ticket that went out, under a policy that allows re-entry
	StatusNotInside   = "not_inside" // an out scan of a ticket never admitted, or out already
)

// TxCheckIn is the journal kind of a check-in attempt.
const TxCheckIn = "check_in"

// MaxGateLen bounds a gate's name.
const MaxGateLen = 60

// DefaultGate names the gate of a scan that names none.
const DefaultGate = "main"

// MaxNonceLen bounds a check-in request's nonce, in bytes.
const MaxNonceLen = 100

// MaxDeviceLen bounds the name of the device an offline check-in was made on.
const MaxDeviceLen = 60

// CheckInRequest asks to verify, and unless VerifyOnly to admit, the tickets of one QR:
// a static QR's Tickets, or the one ticket of a rotating Code.
type CheckInRequest struct {
	Tickets    []QRTicket
	Code       *RotatingCode
	Gate       string
	Nonce      string // a retry with the same nonce gets the same answer
	VerifyOnly bool
	// Offline marks an admission a device made alone, from its copy, while the server
	// did not answer, and uploaded since: a ticket not yet admitted is admitted as of At,
	// one admitted before elsewhere is recorded as a double entry. It needs a Nonce.
	Offline bool
	At      time.Time // when it happened on the device (Offline only); zero: now
	Device  string    // the device's name, for the record (Offline only)
	// Direction is DirectionIn (also ""), or DirectionOut for a holder going out.
	Direction string
}

// CheckResult is the verdict on one ticket. For StatusAlreadyCheckedIn, CheckedInAt and
// Gate are those of the first admission. Name is the purchaser's name, shown only under
// the identity policy and only when it matches the purchase.
type CheckResult struct {
	Seat                  Seat       `json:"seat,omitzero"` // none for a malformed scan
	Status                string     `json:"status"`
	Reason                string     `json:"reason,omitempty"`
	Name                  string     `json:"name,omitempty"`
	IdentityCheckRequired bool       `json:"identityCheckRequired"`
	CheckedInAt           *time.Time `json:"checkedInAt,omitempty"`
	Gate                  string     `json:"gate,omitempty"`
	// AgainstPolicy flags an offline admission uploaded for a sale whose gate policy
	// forbids offline admission: recorded all the same (it happened).
	AgainstPolicy bool `json:"againstPolicy,omitempty"`
	// ExitedAt is when the holder went out, while they are out.
	ExitedAt *time.Time `json:"exitedAt,omitempty"`
}

// OK reports whether the holder may pass: admitted or readmitted, out when going out, or
// valid when only verifying.
func (r CheckResult) OK() bool {
	switch r.Status {
	case StatusAdmitted, StatusValid, StatusReadmitted, StatusExited:
		return true
	}
	return false
}

// CheckInReport sums up a contract's latest sale at the gates.
type CheckInReport struct {
	Sale     int64            `json:"sale"`
	Sold     int64            `json:"sold"`
	Admitted int64            `json:"admitted"`
	ToCome   int64            `json:"toCome"`
	Inside   int64            `json:"inside"` // admitted and not out now
	PerGate  map[string]int64 `json:"perGate"`
	CheckIns []CheckInEntry   `json:"checkIns"`
	// DoubleEntries counts the tickets admitted again elsewhere while offline (Doubles).
	DoubleEntries int64         `json:"doubleEntries"`
	Doubles       []DoubleEntry `json:"doubles"`
}

// DoubleEntry is an offline admission uploaded for a ticket admitted before elsewhere:
// the gate, device and time it happened at (At) and was uploaded at (UploadedAt), and
// the ticket's first admission (FirstGate, FirstAt). GateReport's carry no seat.
type DoubleEntry struct {
	Seat          Seat      `json:"seat,omitzero"`
	Gate          string    `json:"gate"`
	Device        string    `json:"device,omitempty"`
	At            time.Time `json:"at"`
	UploadedAt    time.Time `json:"uploadedAt"`
	FirstGate     string    `json:"firstGate"`
	FirstAt       time.Time `json:"firstAt"`
	AgainstPolicy bool      `json:"againstPolicy,omitempty"`
}

// CheckInEntry is one admitted ticket: its first admission's gate and time, and while
// its holder is out, when they went out.
type CheckInEntry struct {
	Seat        Seat       `json:"seat"`
	Gate        string     `json:"gate"`
	CheckedInAt time.Time  `json:"checkedInAt"`
	ExitedAt    *time.Time `json:"exitedAt,omitempty"`
}

// GateReport is what a gate's device may know of the entry: counts of the latest sale,
// admissions per gate, and the names of the contract's gates seen so far (sorted), so
// every device can pick the same spelling; and the double entries, by their gates and
// times only. Never seats or names.
type GateReport struct {
	Sale          int64
	Sold          int64
	Admitted      int64
	ToCome        int64
	PerGate       map[string]int64
	Gates         []string
	DoubleEntries int64
	Doubles       []DoubleEntry // without seats
	Inside        int64         // admitted and not out now
}

// Gate is the ledger's gate side, implemented by the SQL store: CheckIn and GateCounts
// need a scanner key or the organizer key of the contract's owner (or the
// administrator), CheckIns the owner's organizer key.
type Gate interface {
	CheckIn(ctx context.Context, address string, r CheckInRequest) ([]CheckResult, error)
	// RecordMalformed journals an attempt whose QR could not be read.
	RecordMalformed(ctx context.Context, address, gate, reason string) (CheckResult, error)
	CheckIns(ctx context.Context, address string) (CheckInReport, error)
	GateCounts(ctx context.Context, address string) (GateReport, error)
}

// CleanGate returns a gate's name as the ledger writes it: spaces trimmed, every run of
// white space made one space, Unicode composed (NFC); DefaultGate for an empty name. It
// returns EINVALID for a name longer than MaxGateLen or not valid UTF-8. Two names are
// the same gate when their GateKeys are equal.
func CleanGate(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", Errorf(EINVALID, "Gate must be text of at most %d characters", MaxGateLen)
	}
	name = norm.NFC.String(strings.Join(strings.Fields(name), " "))
	if name == "" {
		return DefaultGate, nil
	}
	if utf8.RuneCountInString(name) > MaxGateLen {
		return "", Errorf(EINVALID, "Gate must be one line of at most %d characters", MaxGateLen)
	}
	return name, CheckText("Gate", name)
}

// CleanCheckIn returns the request as the ledger records it: its gate cleaned
// (CleanGate), its direction too (CleanDirection) and its nonce checked, at most
// MaxNonceLen bytes of text; an offline admission's nonce given and its device's name one
// line of at most MaxDeviceLen characters. It returns EINVALID with the reason otherwise.
func CleanCheckIn(r CheckInRequest) (CheckInRequest, error) {
	var err error
	if r.Gate, err = CleanGate(r.Gate); err != nil {
		return r, err
	}
	if r.Direction, err = CleanDirection(r.Direction); err != nil {
		return r, err
	}
	if len(r.Nonce) > MaxNonceLen {
		return r, Errorf(EINVALID, "Nonce must be at most %d characters", MaxNonceLen)
	}
	if err := CheckText("Nonce", r.Nonce); err != nil || !r.Offline {
		r.At, r.Device = time.Time{}, ""
		return r, err
	}
	if r.Nonce == "" {
		return r, Errorf(EINVALID, "An offline check-in must carry the nonce made when it was scanned")
	}
	r.Device = strings.Join(strings.Fields(r.Device), " ")
	if !utf8.ValidString(r.Device) || utf8.RuneCountInString(r.Device) > MaxDeviceLen {
		return r, Errorf(EINVALID, "Device must be one line of at most %d characters", MaxDeviceLen)
	}
	return r, CheckText("Device", r.Device)
}

// GateKey is the form in which gate names are compared: a cleaned name, case-folded and
// with compatibility forms unified (NFKC), so "North Door", "north  door" and "NORTH
// DOOR" are one gate. "North" and "North door" stay two gates: the ledger cannot know
// which words of a name matter, so the scanner page offers the gates already seen.
func GateKey(name string) string {
	return norm.NFKC.String(cases.Fold().String(name))
}

// StoredTicket is what the ledger holds of a sold ticket, for verification.
type StoredTicket struct {
	SecretCiphertext []byte
	SecretDigest     []byte
	NameCiphertext   []byte
	NameDigest       []byte
}

// VerifyTicket checks a QR ticket against the ledger's sealed ticket. It returns "" when
// the ticket is genuine (with the purchaser's name under the identity policy) or
// StatusInvalid with the reason. The secret must match the stored digest: keys in the
// QR can be forged against the public ciphertext, the digest cannot. When the QR carries
// secretKey/secretIV they must also decrypt the ciphertext to the same secret. A name is
// shown only when its HMAC under the QR's name key matches the digest stored at purchase,
// so altered name keys never make another name appear.
func VerifyTicket(q QRTicket, st StoredTicket) (status, reason, name string) {
	if len(st.SecretDigest) == 0 || !crypto.Equal(crypto.SecretDigest(q.Secret), st.SecretDigest) {
		return StatusInvalid, "the secret does not match this seat's ticket", ""
	}
	if q.SecretKey != "" || q.SecretIV != "" {
		plain, err := decryptHex(q.SecretKey, q.SecretIV, st.SecretCiphertext)
		if err != nil || !crypto.Equal(plain, []byte(q.Secret)) {
			return StatusInvalid, "the secret key does not open this seat's ticket", ""
		}
	}
	return VerifyTicketName(q, st.NameCiphertext, st.NameDigest)
}

// VerifyTicketName checks the name keys of a genuine QR ticket against the name sealed
// at purchase (its ciphertext and keyed digest): "" and the name when they open it, or
// StatusInvalid with the reason. A ticket sold without a name passes with no name.
func VerifyTicketName(q QRTicket, nameCiphertext, nameDigest []byte) (status, reason, name string) {
	if len(nameCiphertext) == 0 {
		return "", "", ""
	}
	if q.NameKey == "" || q.NameIV == "" {
		return StatusInvalid, "the ticket is named but the QR has no name key: check the purchaser's ID by hand", ""
	}
	plain, err := decryptHex(q.NameKey, q.NameIV, nameCiphertext)
	if err != nil {
		return StatusInvalid, "the name key does not open the purchaser's name", ""
	}
	key, _ := crypto.DecodeHex(q.NameKey, crypto.KeySize)
	if !crypto.Equal(crypto.NameDigest(key, string(plain)), nameDigest) {
		return StatusInvalid, "the name key does not match the purchase", ""
	}
	return "", "", string(plain)
}

func decryptHex(keyHex, ivHex string, ct []byte) ([]byte, error) {
	key, err := crypto.DecodeHex(keyHex, crypto.KeySize)
	if err != nil {
		return nil, err
	}
	iv, err := crypto.DecodeHex(ivHex, crypto.IVSize)
	if err != nil {
		return nil, err
	}
	return crypto.Decrypt(key, iv, ct)
}
