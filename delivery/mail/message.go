package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Pass is one Apple Wallet pass attached to the e-mail: its file name (ending in .pkpass)
// and its bytes.
type Pass struct {
	FileName string
	Data     []byte
}

// Confirmation is what a booking's confirmation e-mail says and carries.
type Confirmation struct {
	BookingID    string    // names the PDF and the outbox file; letters, digits, '-' and '_'
	Locale       string    // the customer's locale, "de", "de-AT", "en-GB"...; others fall back to English
	From         string    // the organizer's sender address, with an optional display name
	ReplyTo      string    // the address replies go to; empty: no Reply-To header
	To           string    // the customer's address only (no display name is written)
	CustomerName string    // shown in the body only, never in a header
	ShowTitle    string    // the show, in the subject and the body
	Tickets      int       // how many tickets the booking holds
	WalletURL    string    // the customer's wallet page; empty: the mail names none
	PDF          []byte    // the booking's PDF tickets; none (SECURE tickets): nothing is attached
	Passes       []Pass    // one Wallet pass per ticket, or none
	Date         time.Time // the Date header; zero: now
}

// Build returns the confirmation as an RFC 5322 message with CRLF line ends.
func Build(c Confirmation) ([]byte, error) {
	h, err := headers(c)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(messageSize(c))
	if err := write(&buf, h, c); err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "The confirmation e-mail could not be built.")
	}
	return buf.Bytes(), nil
}

// messageSize is about the size of c's message: its attachments in base64 lines and room
// for the texts, so that the message is written into one buffer without growing it.
func messageSize(c Confirmation) int {
	n := len(c.PDF)
	for _, p := range c.Passes {
		n += len(p.Data)
	}
	return n*78/57 + 16<<10
}

// header is one header field, kept in the order written.
type header struct{ name, value string }

// headers checks the confirmation's header values and returns the message's top headers.
func headers(c Confirmation) ([]header, error) {
	if err := checkFields(c); err != nil {
		return nil, err
	}
	from, err := parseAddress("sender", c.From)
	if err != nil {
		return nil, err
	}
	to, err := parseAddress("recipient", c.To)
	if err != nil {
		return nil, err
	}
	h := []header{{"From", from.String()}}
	if c.ReplyTo != "" {
		reply, err := parseAddress("reply-to", c.ReplyTo)
		if err != nil {
			return nil, err
		}
		h = append(h, header{"Reply-To", reply.String()})
	}
	date := c.Date
	if date.IsZero() {
		date = time.Now()
	}
	h = append(h, header{"To", (&mail.Address{Address: to.Address}).String()},
		header{"Subject", mime.QEncoding.Encode("utf-8", textFor(c.Locale).subject(c.ShowTitle))},
		header{"Date", date.Format(time.RFC1123Z)},
		header{"Message-ID", messageID(from.Address)},
		header{"MIME-Version", "1.0"})
	return h, nil
}

// checkFields refuses line breaks and control characters in every value that reaches a
// header or names a file, and a booking id that could not name one.
func checkFields(c Confirmation) error {
	fields := []struct{ what, v string }{{"sender", c.From}, {"reply-to address", c.ReplyTo},
		{"recipient", c.To}, {"customer name", c.CustomerName}, {"show title", c.ShowTitle},
		{"wallet link", c.WalletURL}}
	for _, f := range fields {
		if strings.ContainsFunc(f.v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return ledger.Errorf(ledger.EINVALID, "The %s holds a line break or a control character.", f.what)
		}
	}
	if !validID(c.BookingID) {
		return ledger.Errorf(ledger.EINVALID, "The booking id must be 1 to 64 letters, digits, '-' or '_'.")
	}
	for _, p := range c.Passes {
		if !strings.HasSuffix(p.FileName, ".pkpass") || !validID(strings.TrimSuffix(p.FileName, ".pkpass")) {
			return ledger.Errorf(ledger.EINVALID, "A Wallet pass's file name must be letters, digits, '-' or '_' ending in .pkpass.")
		}
	}
	return nil
}

// validID reports whether s is 1 to 64 ASCII letters, digits, '-' or '_'.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
		if !ok {
			return false
		}
	}
	return true
}

// parseAddress reads one address, refusing lists and syntax errors.
func parseAddress(what, s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The %s is not a valid e-mail address.", what)
	}
	return a, nil
}

// messageID returns a fresh Message-ID at the sender's domain.
func messageID(from string) string {
	var b [16]byte
	rand.Read(b[:])
	domain := from[strings.LastIndexByte(from, '@')+1:]
	return "<" + hex.EncodeToString(b[:]) + "@" + domain + ">"
}

// write writes the headers and the multipart/mixed body. A multipart.Writer writes nothing
// before its first part, so the headers can go first to the same writer.
func write(w io.Writer, h []header, c Confirmation) error {
	mixed := multipart.NewWriter(w)
	h = append(h, header{"Content-Type", "multipart/mixed; boundary=" + mixed.Boundary()})
	for _, f := range h {
		if _, err := fmt.Fprintf(w, "%s: %s\r\n", f.name, f.value); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "\r\n"); err != nil {
		return err
	}
	if err := writeAlternative(mixed, c); err != nil {
		return err
	}
	if len(c.PDF) > 0 {
		if err := attach(mixed, "application/pdf", "tickets-"+c.BookingID+".pdf", c.PDF); err != nil {
			return err
		}
	}
	for _, p := range c.Passes {
		if err := attach(mixed, "application/vnd.apple.pkpass", p.FileName, p.Data); err != nil {
			return err
		}
	}
	return mixed.Close()
}

// writeAlternative writes the plain text and the HTML as one multipart/alternative part.
func writeAlternative(mixed *multipart.Writer, c Confirmation) error {
	var inner bytes.Buffer
	alt := multipart.NewWriter(&inner)
	plain, html, err := render(c)
	if err != nil {
		return err
	}
	if err := textPart(alt, "text/plain; charset=utf-8", plain); err != nil {
		return err
	}
	if err := textPart(alt, "text/html; charset=utf-8", html); err != nil {
		return err
	}
	if err := alt.Close(); err != nil {
		return err
	}
	part, err := mixed.CreatePart(textproto.MIMEHeader{
		"Content-Type": {"multipart/alternative; boundary=" + alt.Boundary()}})
	if err != nil {
		return err
	}
	_, err = part.Write(inner.Bytes())
	return err
}

// textPart writes one quoted-printable text part.
func textPart(w *multipart.Writer, contentType, body string) error {
	part, err := w.CreatePart(textproto.MIMEHeader{"Content-Type": {contentType},
		"Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(part)
	if _, err := io.WriteString(qp, body); err != nil {
		return err
	}
	return qp.Close()
}

// attach writes one base64 attachment in lines of 76 characters.
func attach(w *multipart.Writer, contentType, fileName string, data []byte) error {
	part, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {contentType},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": fileName})}})
	if err != nil {
		return err
	}
	_, err = part.Write(base64Lines(data))
	return err
}

// base64Lines is data in base64, in lines of 76 characters (57 bytes) ending in CRLF, the
// last one shorter, encoded into one buffer line by line.
func base64Lines(data []byte) []byte {
	const perLine = 57
	lines := max(1, (len(data)+perLine-1)/perLine)
	out := make([]byte, base64.StdEncoding.EncodedLen(len(data))+2*lines)
	at := 0
	for len(data) > perLine {
		base64.StdEncoding.Encode(out[at:], data[:perLine])
		at += 76
		out[at], out[at+1] = '\r', '\n'
		at += 2
		data = data[perLine:]
	}
	base64.StdEncoding.Encode(out[at:], data)
	at += base64.StdEncoding.EncodedLen(len(data))
	out[at], out[at+1] = '\r', '\n'
	return out[:at+2]
}
