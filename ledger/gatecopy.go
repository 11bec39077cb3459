package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"time"
)

// GateCopy is what a gate device needs to decide alone on the tickets of a contract's
// latest sale (issue 15, item 1): per seat whether it is sold and, when it is, the
// digest of its secret, under the identity policy the name's keyed digest and
// ciphertext (useless without the QR's name key), a SECURE ticket's device key and its
// check-in. Never a customer, a booking, an e-mail, a plaintext name or a secret: a copy
// lets a device verify tickets, never make one.
//
// A Full copy lists every seat of the sale; otherwise it lists only the seats that
// changed since the cursor asked with (sold, released, reissued, passed on, checked
// in, a phone registered), each in its whole current state, to replace the device's.
// Cursor is what to ask with next time.
type GateCopy struct {
	Contract string       `json:"contract"`
	Venue    string       `json:"venue"`
	Sale     int64        `json:"sale"`
	Full     bool         `json:"full"`
	Cursor   string       `json:"cursor"`
	Tickets  []GateTicket `json:"tickets"`
}

// GateTicket is one seat of a gate copy. A seat not Sold carries nothing else.
// DeviceKey is the SPKI DER of the phone registered for a SECURE ticket (see
// VerifyRotatingCode) and DeviceDigest the secret digest it was registered for: a
// ticket reissued or passed on since has another. CheckedInAt is zero until the
// ticket is admitted, then the time and Gate of its admission.
type GateTicket struct {
	Seat           Seat
	Sold           bool
	Secure         bool
	SecretDigest   []byte
	NameDigest     []byte
	NameCiphertext []byte
	DeviceKey      []byte
	DeviceDigest   []byte
	CheckedInAt    time.Time
	Gate           string
}

// GateCopier gives a gate device its copy of a sale, implemented by the SQL store.
type GateCopier interface {
	// GateCopy returns the contract's latest sale for a scanner key, or the organizer
	// key of its owner (or the administrator): the whole sale for an empty cursor, a
	// cursor of another sale or one the store no longer follows, only the changes
	// since otherwise. A cursor that is not one the store gave is EINVALID; a contract
	// without a sale gives an empty Full copy of sale 0.
	GateCopy(ctx context.Context, address, cursor string) (GateCopy, error)
}

// MarshalJSON writes a gate ticket compactly, as an array: [seat] for a seat not sold,
// otherwise [seat, secretDigest, checkedInAt (Unix milliseconds, 0: not yet), gate,
// secure (0 or 1), nameDigest, nameCiphertext, deviceKey, deviceDigest], bytes in
// base64, trailing empty members left out.
func (t GateTicket) MarshalJSON() ([]byte, error) {
	fields := []any{t.Seat.String()}
	if t.Sold {
		var at int64
		if !t.CheckedInAt.IsZero() {
			at = t.CheckedInAt.UnixMilli()
		}
		secure := 0
		if t.Secure {
			secure = 1
		}
		fields = append(fields, t.SecretDigest, at, t.Gate, secure, t.NameDigest, t.NameCiphertext, t.DeviceKey, t.DeviceDigest)
		for len(fields) > 2 && isEmptyGateField(fields[len(fields)-1]) {
			fields = fields[:len(fields)-1]
		}
	}
	return json.Marshal(fields)
}

func isEmptyGateField(v any) bool {
	switch v := v.(type) {
	case []byte:
		return len(v) == 0
	case string:
		return v == ""
	case int64:
		return v == 0
	case int:
		return v == 0
	}
	return false
}

// UnmarshalJSON reads a gate ticket as MarshalJSON writes it, strictly: EINVALID for
// anything else.
func (t *GateTicket) UnmarshalJSON(b []byte) error {
	bad := Errorf(EINVALID, "A gate copy's ticket must be [seat, secretDigest, checkedInAt, gate, secure, nameDigest, nameCiphertext, deviceKey, deviceDigest]")
	var fields []json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil || len(fields) < 1 || len(fields) > 9 || len(fields) == 1 && !bytes.HasPrefix(b, []byte("[")) {
		return bad
	}
	var seat string
	if json.Unmarshal(fields[0], &seat) != nil {
		return bad
	}
	s, err := ParseSeat(seat)
	if err != nil {
		return err
	}
	*t = GateTicket{Seat: s, Sold: len(fields) > 1}
	var at int64
	var secure int
	dest := []any{&t.SecretDigest, &at, &t.Gate, &secure, &t.NameDigest, &t.NameCiphertext, &t.DeviceKey, &t.DeviceDigest}
	for i, f := range fields[1:] {
		if json.Unmarshal(f, dest[i]) != nil {
			return bad
		}
	}
	if at != 0 {
		t.CheckedInAt = time.UnixMilli(at).UTC()
	}
	t.Secure = secure == 1
	return nil
}
