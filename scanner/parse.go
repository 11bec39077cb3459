package scanner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// MaxQRTickets is the most tickets ParseQR accepts in one QR text. A full-size QR code
// holds fewer; the cap keeps a scan's work bounded whatever a keyboard wedge types.
const MaxQRTickets = 64

// maxQRTextLen bounds the text ParseQR reads: the largest QR code holds 2,953 bytes.
const maxQRTextLen = 64 << 10

// The members of a ticket and of its seat, spelled as Ticketbooth writes them.
var (
	qrTicketMembers = []string{"seat", "secret", "secretKey", "secretIV", "nameKey", "nameIV"}
	qrSeatMembers   = []string{"number", "letter", "section"}
)

// ParseQR parses the QR text of a ticket strictly. The text is a JSON array of tickets,
// or a single ticket object, in the Ticketbooth v1.0 form {seat, secret, nameKey?,
// nameIV?} or the rc2 form that adds secretKey and secretIV; white space and a UTF-8 byte
// order mark around it are ignored. Member names match case-insensitively (ASCII only), as
// in Ticketbooth, but each may appear once. Keys and IVs are returned in lower case.
//
// Any other text is rejected with an EINVALID *ledger.Error whose message gives the
// reason and, for a fault in a ticket, its place in the list counted from 1 and the
// member, as in "ticket 2: nameKey must be 64 hex characters, got 63": empty text, no
// tickets, JSON syntax errors or data after the JSON, more than MaxQRTickets tickets, a
// missing seat or secret, a seat that fails ledger.Seat.Validate, a secret that is not
// crypto.SecretLength characters of crypto.SecretAlphabet, keys or IVs of the wrong length
// or not hex, null values, secretKey without secretIV (or nameKey without nameIV, or the
// other way round), unknown or repeated members at any depth, and a seat given twice.
// Messages never repeat a secret or key. ParseQR never panics.
func ParseQR(text string) ([]ledger.QRTicket, error) {
	text = strings.TrimSpace(strings.TrimPrefix(text, "\uFEFF"))
	switch {
	case text == "":
		return nil, ledger.Errorf(ledger.EINVALID, "QR text is empty")
	case len(text) > maxQRTextLen:
		return nil, ledger.Errorf(ledger.EINVALID, "QR text is too long: %d bytes, at most %d", len(text), maxQRTextLen)
	}
	p := qrParser{dec: json.NewDecoder(strings.NewReader(text))}
	p.dec.UseNumber()
	return p.document()
}

// qrParser walks the JSON tokens of a QR text. Each method reads exactly the tokens of the
// value it parses, so after an error nothing more is read.
type qrParser struct {
	dec *json.Decoder
}

// document parses the whole text: a list of tickets or one ticket, then the end.
func (p *qrParser) document() ([]ledger.QRTicket, error) {
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	var tickets []ledger.QRTicket
	switch tok {
	case json.Delim('['):
		tickets, err = p.list()
	case json.Delim('{'):
		var t ledger.QRTicket
		t, err = p.ticket(1)
		tickets = []ledger.QRTicket{t}
	default:
		return nil, ledger.Errorf(ledger.EINVALID, "QR text must be a JSON array of tickets, not %s", describeToken(tok))
	}
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, ledger.Errorf(ledger.EINVALID, "QR text has data after the JSON")
	}
	return tickets, nil
}

// list parses the tickets of an array whose '[' has been read, and its ']'.
func (p *qrParser) list() ([]ledger.QRTicket, error) {
	var tickets []ledger.QRTicket
	where := map[ledger.Seat]int{} // the ticket number of each seat seen
	for i := 1; p.dec.More(); i++ {
		if i > MaxQRTickets {
			return nil, ledger.Errorf(ledger.EINVALID, "QR text holds more than %d tickets", MaxQRTickets)
		}
		if err := p.expectObject(fmt.Sprintf("ticket %d", i)); err != nil {
			return nil, err
		}
		t, err := p.ticket(i)
		if err != nil {
			return nil, err
		}
		if first, dup := where[t.Seat]; dup {
			return nil, qrTicketError(i, "seat %s is also on ticket %d", t.Seat, first)
		}
		where[t.Seat] = i
		tickets = append(tickets, t)
	}
	if _, err := p.token(); err != nil { // the closing ']'
		return nil, err
	}
	if len(tickets) == 0 {
		return nil, ledger.Errorf(ledger.EINVALID, "QR text holds no tickets")
	}
	return tickets, nil
}

// ticket parses the members of ticket number i, whose '{' has been read, and its '}'.
func (p *qrParser) ticket(i int) (ledger.QRTicket, error) {
	var t ledger.QRTicket
	seen := make(map[string]bool, len(qrTicketMembers))
	for p.dec.More() {
		name, err := p.member(seen, qrTicketMembers, fmt.Sprintf("ticket %d", i))
		if err != nil {
			return t, err
		}
		if err := p.ticketMember(&t, i, name); err != nil {
			return t, err
		}
	}
	if _, err := p.token(); err != nil { // the closing '}'
		return t, err
	}
	return t, checkTicket(t, i, seen)
}

// ticketMember parses the value of one member of ticket i into t.
func (p *qrParser) ticketMember(t *ledger.QRTicket, i int, name string) error {
	var err error
	switch name {
	case "seat":
		t.Seat, err = p.seat(i)
	case "secret":
		t.Secret, err = p.secret(i)
	case "secretKey":
		t.SecretKey, err = p.hex(i, name, crypto.KeySize)
	case "secretIV":
		t.SecretIV, err = p.hex(i, name, crypto.IVSize)
	case "nameKey":
		t.NameKey, err = p.hex(i, name, crypto.KeySize)
	case "nameIV":
		t.NameIV, err = p.hex(i, name, crypto.IVSize)
	}
	return err
}

// checkTicket checks what only the whole ticket shows: required members and pairs.
func checkTicket(t ledger.QRTicket, i int, seen map[string]bool) error {
	for _, name := range []string{"seat", "secret"} {
		if !seen[name] {
			return qrTicketError(i, "%s is missing", name)
		}
	}
	for _, pair := range [][2]string{{"secretKey", "secretIV"}, {"nameKey", "nameIV"}} {
		if seen[pair[0]] != seen[pair[1]] {
			missing := pair[0]
			if seen[pair[0]] {
				missing = pair[1]
			}
			return qrTicketError(i, "%s and %s go together, but %s is missing", pair[0], pair[1], missing)
		}
	}
	return nil
}

// seat parses the seat object of ticket i and validates it.
func (p *qrParser) seat(i int) (ledger.Seat, error) {
	var s ledger.Seat
	if err := p.expectObject(fmt.Sprintf("ticket %d: seat", i)); err != nil {
		return s, err
	}
	seen := make(map[string]bool, len(qrSeatMembers))
	for p.dec.More() {
		name, err := p.member(seen, qrSeatMembers, fmt.Sprintf("ticket %d: seat", i))
		if err != nil {
			return s, err
		}
		switch name {
		case "number":
			s.Number, err = p.seatNumber(i)
		case "letter":
			s.Letter, err = p.text(i, "seat.letter")
		case "section":
			s.Section, err = p.text(i, "seat.section")
		}
		if err != nil {
			return s, err
		}
	}
	if _, err := p.token(); err != nil { // the closing '}'
		return s, err
	}
	if err := s.Validate(); err != nil {
		return s, qrTicketError(i, "%s", ledger.ErrorMessage(err))
	}
	return s, nil
}

// seatNumber parses seat.number: a whole JSON number (0 means no number, as in the ledger).
func (p *qrParser) seatNumber(i int) (int, error) {
	tok, err := p.token()
	if err != nil {
		return 0, err
	}
	num, ok := tok.(json.Number)
	if !ok {
		return 0, qrTicketError(i, "seat.number must be a number, not %s", describeToken(tok))
	}
	n, err := strconv.Atoi(string(num))
	if err != nil {
		return 0, qrTicketError(i, "seat.number must be a whole number up to %d, got %s", ledger.MaxSeatNumber, shorten(string(num)))
	}
	return n, nil
}

// secret parses the secret of ticket i: SecretLength characters of SecretAlphabet.
func (p *qrParser) secret(i int) (string, error) {
	s, err := p.text(i, "secret")
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n != crypto.SecretLength {
		return "", qrTicketError(i, "secret must be %d characters, got %d", crypto.SecretLength, n)
	}
	if at := strings.IndexFunc(s, notIn(crypto.SecretAlphabet)); at >= 0 {
		return "", qrTicketError(i, "secret may hold only A-Z a-z 0-9 - _, but character %d is not one of them", utf8.RuneCountInString(s[:at])+1)
	}
	return s, nil
}

// hex parses a key or IV of size bytes, written as 2*size hex digits of either case, and
// returns it in lower case.
func (p *qrParser) hex(i int, name string, size int) (string, error) {
	s, err := p.text(i, name)
	if err != nil {
		return "", err
	}
	if len(s) != 2*size {
		return "", qrTicketError(i, "%s must be %d hex characters, got %d", name, 2*size, utf8.RuneCountInString(s))
	}
	if at := strings.IndexFunc(s, notIn("0123456789abcdefABCDEF")); at >= 0 {
		return "", qrTicketError(i, "%s must be hex (0-9, a-f), but character %d is not", name, utf8.RuneCountInString(s[:at])+1)
	}
	return strings.ToLower(s), nil
}

// text reads a JSON string value of member name of ticket i; null or any other kind of
// value is an error.
func (p *qrParser) text(i int, name string) (string, error) {
	tok, err := p.token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", qrTicketError(i, "%s must be a string, not %s", name, describeToken(tok))
	}
	return s, nil
}

// member reads a member name of the object described by where and returns its canonical
// spelling from names. Unknown and repeated members (in any case) are errors.
func (p *qrParser) member(seen map[string]bool, names []string, where string) (string, error) {
	tok, err := p.token()
	if err != nil {
		return "", err
	}
	key, _ := tok.(string) // inside an object the decoder only yields string keys
	name, known := canonicalName(key, names)
	switch {
	case !known:
		return "", ledger.Errorf(ledger.EINVALID, "%s: unknown member %q (want %s)", where, shorten(key), strings.Join(names, ", "))
	case seen[name]:
		return "", ledger.Errorf(ledger.EINVALID, "%s: member %s is given twice", where, name)
	}
	seen[name] = true
	return name, nil
}

// expectObject reads the '{' that starts the object described by what.
func (p *qrParser) expectObject(what string) error {
	tok, err := p.token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return ledger.Errorf(ledger.EINVALID, "%s must be a JSON object, not %s", what, describeToken(tok))
	}
	return nil
}

// token returns the next JSON token, turning syntax errors and a cut-off text into
// EINVALID errors.
func (p *qrParser) token() (json.Token, error) {
	tok, err := p.dec.Token()
	switch {
	case err == nil:
		return tok, nil
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, ledger.Errorf(ledger.EINVALID, "QR text is cut short: the JSON does not end")
	}
	return nil, ledger.Errorf(ledger.EINVALID, "QR text is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// qrTicketError returns an EINVALID error about ticket i.
func qrTicketError(i int, format string, args ...any) error {
	return ledger.Errorf(ledger.EINVALID, "ticket %d: %s", i, fmt.Sprintf(format, args...))
}

// canonicalName returns the name in names that key equals, ignoring ASCII case.
func canonicalName(key string, names []string) (string, bool) {
	for _, n := range names {
		if len(key) == len(n) && asciiLower(key) == asciiLower(n) {
			return n, true
		}
	}
	return "", false
}

// asciiLower lowers A-Z only, so that no other character can fold into a member name.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// notIn returns a predicate true for runes outside set.
func notIn(set string) func(rune) bool {
	return func(r rune) bool { return r >= utf8.RuneSelf || strings.IndexByte(set, byte(r)) < 0 }
}

// describeToken names the kind of a JSON token for a message, without its content.
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case json.Delim:
		if v == '[' {
			return "a list"
		}
		if v == '{' {
			return "an object"
		}
	}
	return fmt.Sprintf("%v", tok)
}

// shorten cuts text from the input to at most 40 bytes for a message.
func shorten(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "..."
		}
	}
	return s[:max] + "..."
}
