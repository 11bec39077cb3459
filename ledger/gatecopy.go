package ledger

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
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
	Contract string `json:"contract"`
	Venue    string `json:"venue"`
	Sale     int64  `json:"sale"`
	Full     bool   `json:"full"`
	Cursor   string `json:"cursor"`
	// GatePolicy is the sale's gate policy as it is now, in every answer, increments
	// too: whether a device may admit offline, whether re-entry is allowed.
	GatePolicy GatePolicy   `json:"gatePolicy"`
	Tickets    []GateTicket `json:"tickets"`
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

// MarshalJSON writes the copy with its tickets appended by hand (appendTo): a
// stadium's copy is 60,000 of them.
func (c GateCopy) MarshalJSON() ([]byte, error) {
	type header GateCopy
	h := header(c)
	h.Tickets = nil
	b, err := json.Marshal(struct {
		header
		Tickets struct{} `json:"tickets"`
	}{header: h})
	if err != nil {
		return nil, err
	}
	b = append(b[:len(b)-len(`{}}`)], '[')
	for i, t := range c.Tickets {
		if i > 0 {
			b = append(b, ',')
		}
		b = t.appendTo(b)
	}
	return append(b, ']', '}'), nil
}

// UnmarshalJSON reads a copy, its tickets read by hand (gateTicketReader): EINVALID for
// a copy or a ticket in another form. The copy as MarshalJSON writes it, tickets last,
// is read without a pass of encoding/json over its tickets.
func (c *GateCopy) UnmarshalJSON(b []byte) error {
	type header GateCopy
	var h struct {
		header
		Tickets json.RawMessage `json:"tickets"`
	}
	bad := Errorf(EINVALID, "A gate copy must be JSON as the GateCopy route answers it")
	b = bytes.TrimSpace(b)
	// A "tickets" key cannot occur inside a string: its quotes would be escaped.
	if i := bytes.LastIndex(b, []byte(`,"tickets":`)); i > 0 && b[len(b)-1] == '}' {
		head := append(append([]byte{}, b[:i]...), '}')
		if json.Unmarshal(head, &h) != nil || h.Tickets != nil {
			return bad
		}
		h.Tickets = b[i+len(`,"tickets":`) : len(b)-1]
	} else if json.Unmarshal(b, &h) != nil {
		return bad
	}
	*c = GateCopy(h.header)
	r := gateTicketReader{b: h.Tickets}
	var err error
	c.Tickets, err = r.tickets()
	return err
}

// MarshalJSON writes a gate ticket compactly, as an array: [seat] for a seat not sold,
// otherwise [seat, secretDigest, checkedInAt (Unix milliseconds, 0: not yet), gate,
// secure (0 or 1), nameDigest, nameCiphertext, deviceKey, deviceDigest], bytes in
// base64, trailing empty members left out.
func (t GateTicket) MarshalJSON() ([]byte, error) {
	return t.appendTo(nil), nil
}

// UnmarshalJSON reads a gate ticket as MarshalJSON writes it, strictly: EINVALID for
// anything else.
func (t *GateTicket) UnmarshalJSON(b []byte) error {
	r := gateTicketReader{b: b}
	var err error
	if *t, err = r.ticket(); err == nil && !r.end() {
		err = errGateTicket()
	}
	return err
}

func (t GateTicket) appendTo(b []byte) []byte {
	b = appendJSONString(append(b, '['), t.Seat.String())
	if !t.Sold {
		return append(b, ']')
	}
	var at, secure int64
	if !t.CheckedInAt.IsZero() {
		at = t.CheckedInAt.UnixMilli()
	}
	if t.Secure {
		secure = 1
	}
	fields := []any{t.SecretDigest, at, t.Gate, secure, t.NameDigest, t.NameCiphertext, t.DeviceKey, t.DeviceDigest}
	n := len(fields)
	for n > 1 && isEmptyGateField(fields[n-1]) {
		n--
	}
	for _, f := range fields[:n] {
		b = append(b, ',')
		switch f := f.(type) {
		case []byte:
			b = append(base64.StdEncoding.AppendEncode(append(b, '"'), f), '"')
		case int64:
			b = strconv.AppendInt(b, f, 10)
		case string:
			b = appendJSONString(b, f)
		}
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string: as it is when it needs no escaping.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	return append(append(append(b, '"'), s...), '"')
}

func isEmptyGateField(v any) bool {
	switch v := v.(type) {
	case []byte:
		return len(v) == 0
	case string:
		return v == ""
	case int64:
		return v == 0
	}
	return false
}

func errGateTicket() error {
	return Errorf(EINVALID, "A gate copy's ticket must be [seat, secretDigest, checkedInAt, gate, secure, nameDigest, nameCiphertext, deviceKey, deviceDigest]")
}

// gateTicketReader reads gate tickets by hand: arrays of strings and integers, white
// space allowed between tokens.
type gateTicketReader struct {
	b []byte
	i int
}

// tickets reads a JSON array of tickets (null: none).
func (r *gateTicketReader) tickets() ([]GateTicket, error) {
	out := []GateTicket{}
	if r.lit("null") && r.end() {
		return out, nil
	}
	if !r.byte('[') {
		return nil, errGateTicket()
	}
	for !r.byte(']') {
		if len(out) > 0 && !r.byte(',') {
			return nil, errGateTicket()
		}
		t, err := r.ticket()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if !r.end() {
		return nil, errGateTicket()
	}
	return out, nil
}

// ticket reads one ticket's array.
func (r *gateTicketReader) ticket() (GateTicket, error) {
	bad := errGateTicket()
	if !r.byte('[') {
		return GateTicket{}, bad
	}
	seat, ok := r.str()
	if !ok {
		return GateTicket{}, bad
	}
	s, err := ParseSeat(seat)
	if err != nil {
		return GateTicket{}, err
	}
	t := GateTicket{Seat: s}
	var at, secure int64
	fields := []func() bool{
		func() bool { return r.bytes(&t.SecretDigest) },
		func() bool { at, ok = r.int(); return ok },
		func() bool { t.Gate, ok = r.str(); return ok },
		func() bool { secure, ok = r.int(); return ok && secure <= 1 },
		func() bool { return r.bytes(&t.NameDigest) },
		func() bool { return r.bytes(&t.NameCiphertext) },
		func() bool { return r.bytes(&t.DeviceKey) },
		func() bool { return r.bytes(&t.DeviceDigest) },
	}
	for i := 0; !r.byte(']'); i++ {
		if i == len(fields) || !r.byte(',') || !fields[i]() {
			return GateTicket{}, bad
		}
		t.Sold = true
	}
	t.Secure = secure == 1
	if at != 0 {
		t.CheckedInAt = time.UnixMilli(at).UTC()
	}
	return t, nil
}

func (r *gateTicketReader) space() {
	for r.i < len(r.b) && (r.b[r.i] == ' ' || r.b[r.i] == '\n' || r.b[r.i] == '\r' || r.b[r.i] == '\t') {
		r.i++
	}
}

func (r *gateTicketReader) end() bool {
	r.space()
	return r.i == len(r.b)
}

func (r *gateTicketReader) byte(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

func (r *gateTicketReader) lit(s string) bool {
	r.space()
	if bytes.HasPrefix(r.b[r.i:], []byte(s)) {
		r.i += len(s)
		return true
	}
	return false
}

// str reads a JSON string; one with escapes is read by encoding/json.
func (r *gateTicketReader) str() (string, bool) {
	if !r.byte('"') {
		return "", false
	}
	start, escaped := r.i, false
	for ; r.i < len(r.b) && r.b[r.i] != '"'; r.i++ {
		if r.b[r.i] == '\\' {
			escaped = true
			r.i++
		}
	}
	if r.i >= len(r.b) {
		return "", false
	}
	r.i++
	if !escaped {
		return string(r.b[start : r.i-1]), utf8.Valid(r.b[start : r.i-1])
	}
	var s string
	err := json.Unmarshal(r.b[start-1:r.i], &s)
	return s, err == nil
}

// bytes reads a base64 string.
func (r *gateTicketReader) bytes(p *[]byte) bool {
	s, ok := r.str()
	if !ok {
		return false
	}
	var err error
	*p, err = base64.StdEncoding.DecodeString(s)
	if len(*p) == 0 {
		*p = nil
	}
	return err == nil
}

// int reads a non-negative integer of at most 18 digits.
func (r *gateTicketReader) int() (int64, bool) {
	r.space()
	start := r.i
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	if r.i == start || r.i-start > 18 || (r.b[start] == '0' && r.i-start > 1) {
		return 0, false
	}
	n, err := strconv.ParseInt(string(r.b[start:r.i]), 10, 64)
	return n, err == nil
}
