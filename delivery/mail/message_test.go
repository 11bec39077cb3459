package mail_test

import (
	"bytes"
	"mime"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/mail"
	"github.com/ticketbooth-go/ticketbooth/internal/mailtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// part is one leaf part of a parsed message.
type part = mailtest.Part

func confirmation(locale string) mail.Confirmation {
	return mail.Confirmation{
		BookingID:    "bk-42",
		Locale:       locale,
		From:         `"Stadttheater" <tickets@theatre.example>`,
		ReplyTo:      "box-office@theatre.example",
		To:           "zoe@example.org",
		CustomerName: `Zoë <script>alert(1)</script>`,
		ShowTitle:    "Faust & Co",
		Tickets:      2,
		WalletURL:    "https://theatre.example/wallet/tok123",
		PDF:          bytes.Repeat([]byte("%PDF-1.7 fake\x00\xff"), 40),
		Passes:       []mail.Pass{{FileName: "ticket-1.pkpass", Data: []byte("PK\x03\x04pass")}},
		Date:         time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC),
	}
}

// parse reads a message back with net/mail and mime/multipart only (internal/mailtest).
func parse(t *testing.T, raw []byte) (*netmail.Message, []part) {
	t.Helper()
	m := mailtest.Parse(t, raw)
	return &netmail.Message{Header: m.Header}, m.Parts
}

func find(t *testing.T, parts []part, contentType string) part {
	t.Helper()
	for _, p := range parts {
		if strings.HasPrefix(p.ContentType, contentType) {
			return p
		}
	}
	t.Fatalf("no %s part among %d parts", contentType, len(parts))
	return part{}
}

func TestBuildInTheCustomersLanguage(t *testing.T) {
	for _, tc := range []struct{ locale, subject, greeting, wallet string }{
		{"de-AT", "Ihre Tickets für Faust & Co", "Hallo", "Ihre Wallet-Seite"},
		{"en-GB", "Your tickets for Faust & Co", "Hello", "Your wallet page"},
		{"fr", "Your tickets for Faust & Co", "Hello", "Your wallet page"},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			c := confirmation(tc.locale)
			raw, err := mail.Build(c)
			if err != nil {
				t.Fatal(err)
			}
			msg, parts := parse(t, raw)
			checkHeaders(t, msg, tc.subject)
			plain := string(find(t, parts, "text/plain").Body)
			html := string(find(t, parts, "text/html").Body)
			for _, text := range []string{plain, html} {
				if !strings.Contains(text, tc.greeting) || !strings.Contains(text, tc.wallet) ||
					!strings.Contains(text, c.WalletURL) {
					t.Errorf("text lacks %q, %q or the wallet link:\n%s", tc.greeting, tc.wallet, text)
				}
			}
			if !strings.Contains(plain, c.CustomerName) {
				t.Errorf("plain text lacks the customer's name:\n%s", plain)
			}
			if strings.Contains(html, "<script>") || !strings.Contains(html, "Zoë &lt;script&gt;") {
				t.Errorf("HTML does not escape the name:\n%s", html)
			}
			checkAttachments(t, parts, c)
		})
	}
}

func checkHeaders(t *testing.T, msg *netmail.Message, subject string) {
	t.Helper()
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subj != subject {
		t.Errorf("Subject = %q (%v), want %q", subj, err, subject)
	}
	want := map[string]string{
		"From":         `"Stadttheater" <tickets@theatre.example>`,
		"Reply-To":     "<box-office@theatre.example>",
		"To":           "<zoe@example.org>",
		"Date":         "Wed, 02 Dec 2026 11:00:00 +0000",
		"MIME-Version": "1.0",
	}
	for name, v := range want {
		if got := msg.Header.Get(name); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	id := msg.Header.Get("Message-ID")
	if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@theatre.example>") {
		t.Errorf("Message-ID = %q", id)
	}
	for name, vs := range msg.Header {
		for _, v := range vs {
			if strings.Contains(v, "Zo") || strings.Contains(v, "script") {
				t.Errorf("header %s carries the customer's name: %q", name, v)
			}
		}
	}
}

func checkAttachments(t *testing.T, parts []part, c mail.Confirmation) {
	t.Helper()
	pdf := find(t, parts, "application/pdf")
	if !bytes.Equal(pdf.Body, c.PDF) || pdf.FileName != "tickets-bk-42.pdf" {
		t.Errorf("PDF attachment %q: %d bytes, want %d equal bytes", pdf.FileName, len(pdf.Body), len(c.PDF))
	}
	pass := find(t, parts, "application/vnd.apple.pkpass")
	if !bytes.Equal(pass.Body, c.Passes[0].Data) || pass.FileName != "ticket-1.pkpass" {
		t.Errorf("pass attachment %q = %q", pass.FileName, pass.Body)
	}
}

// TestBuildWithoutAttachments: SECURE tickets' mail attaches nothing and says the tickets
// are in the wallet, in the customer's language; a mail without a wallet link names none.
func TestBuildWithoutAttachments(t *testing.T) {
	for _, tc := range []struct{ locale, sentence string }{
		{"de-CH", "Ihre Tickets sind in Ihrer Wallet"}, {"en", "Your tickets are in your wallet"},
	} {
		c := confirmation(tc.locale)
		c.PDF, c.Passes = nil, nil
		raw, err := mail.Build(c)
		if err != nil {
			t.Fatal(err)
		}
		_, parts := parse(t, raw)
		if len(parts) != 2 {
			t.Errorf("%s: %d parts, want the text and the HTML only", tc.locale, len(parts))
		}
		for _, p := range parts {
			if !strings.Contains(string(p.Body), tc.sentence) || !strings.Contains(string(p.Body), c.WalletURL) {
				t.Errorf("%s: %s lacks %q or the link:\n%s", tc.locale, p.ContentType, tc.sentence, p.Body)
			}
		}
	}
	c := confirmation("en")
	c.WalletURL = ""
	raw, err := mail.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, parts := parse(t, raw); strings.Contains(string(find(t, parts, "text/plain").Body), "wallet page") {
		t.Errorf("a mail without a link mentions the wallet page:\n%s", find(t, parts, "text/plain").Body)
	}
}

func TestBuildRefusesHeaderInjection(t *testing.T) {
	for name, change := range map[string]func(*mail.Confirmation){
		"name":       func(c *mail.Confirmation) { c.CustomerName = "Zoë\r\nBcc: all@example.org" },
		"subject":    func(c *mail.Confirmation) { c.ShowTitle = "Faust\nBcc: all@example.org" },
		"recipient":  func(c *mail.Confirmation) { c.To = "zoe@example.org\r\nBcc: all@example.org" },
		"sender":     func(c *mail.Confirmation) { c.From = "Theatre\r\n <t@theatre.example>" },
		"two to":     func(c *mail.Confirmation) { c.To = "zoe@example.org, eve@example.org" },
		"booking id": func(c *mail.Confirmation) { c.BookingID = "../etc/passwd" },
		"pass name":  func(c *mail.Confirmation) { c.Passes[0].FileName = "a\".pkpass" },
	} {
		c := confirmation("en")
		change(&c)
		raw, err := mail.Build(c)
		if ledger.ErrorCode(err) != ledger.EINVALID || raw != nil {
			t.Errorf("%s: Build = %d bytes, %v; want EINVALID", name, len(raw), err)
		}
	}
}

func TestWriteOutbox(t *testing.T) {
	dir := t.TempDir()
	raw, err := mail.Build(confirmation("de"))
	if err != nil {
		t.Fatal(err)
	}
	path, err := mail.WriteOutbox(dir, "bk-42", raw)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "booking-bk-42.eml") {
		t.Errorf("path = %q", path)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("read back %d bytes (%v), want the %d written", len(got), err, len(raw))
	}
	msg, _ := parse(t, got)
	if msg.Header.Get("To") != "<zoe@example.org>" {
		t.Errorf("To = %q", msg.Header.Get("To"))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("outbox holds %d files, want the message only", len(entries))
	}
	if _, err := mail.WriteOutbox(dir, "../x", raw); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("WriteOutbox(../x) = %v, want EINVALID", err)
	}
}
