// Package mailtest reads back what the delivery sends, for tests: a message's MIME parts
// decoded with mime/multipart alone, and the QR codes of a PDF read by other programs
// (pdftoppm rasterizes it, zbarimg decodes every page).
package mailtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
)

// Part is one leaf part of a message, its body decoded.
type Part struct {
	ContentType string
	FileName    string
	Body        []byte
}

// Message is a message read back: its header and its leaf parts in order.
type Message struct {
	Header netmail.Header
	Parts  []Part
}

// Parse reads a raw message with net/mail and walks its multipart tree.
func Parse(tb testing.TB, raw []byte) Message {
	tb.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		tb.Fatalf("reading the message: %v", err)
	}
	return Message{Header: msg.Header, Parts: leaves(tb, msg.Header.Get("Content-Type"), msg.Body)}
}

func leaves(tb testing.TB, contentType string, body io.Reader) []Part {
	tb.Helper()
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(media, "multipart/") {
		tb.Fatalf("content type %q: %v", contentType, err)
	}
	var out []Part
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatalf("reading a MIME part: %v", err)
		}
		ct := p.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "multipart/") {
			out = append(out, leaves(tb, ct, p)...)
			continue
		}
		out = append(out, Part{ct, p.FileName(), decode(tb, p.Header.Get("Content-Transfer-Encoding"), p)})
	}
}

func decode(tb testing.TB, encoding string, r io.Reader) []byte {
	tb.Helper()
	switch strings.ToLower(encoding) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("decoding a %s part: %v", encoding, err)
	}
	return b
}

// Subject returns the decoded Subject header.
func (m Message) Subject(tb testing.TB) string {
	tb.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		tb.Fatalf("Subject: %v", err)
	}
	return s
}

// All returns the parts whose content type begins with prefix.
func (m Message) All(prefix string) []Part {
	var out []Part
	for _, p := range m.Parts {
		if strings.HasPrefix(p.ContentType, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// One returns the one part whose content type begins with prefix, failing otherwise.
func (m Message) One(tb testing.TB, prefix string) Part {
	tb.Helper()
	all := m.All(prefix)
	if len(all) != 1 {
		tb.Fatalf("%d parts of type %s, want one", len(all), prefix)
	}
	return all[0]
}

// PDFCodes rasterizes every page of the PDF at 150 dpi with pdftoppm and returns the QR
// texts zbarimg reads on them, page by page (one code a page).
func PDFCodes(tb testing.TB, pdf []byte) []string {
	tb.Helper()
	pdftoppm := testtool.Need(tb, "pdftoppm", "poppler-utils")
	zbarimg := testtool.Need(tb, "zbarimg", "zbar-tools")
	dir := tb.TempDir()
	file := filepath.Join(dir, "tickets.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-r", "150", "-png", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		tb.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	sort.Strings(pages)
	var codes []string
	for _, page := range pages {
		out, err := exec.Command(zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", page).Output()
		if err != nil {
			tb.Fatalf("zbarimg found no QR code on %s: %v", filepath.Base(page), err)
		}
		codes = append(codes, strings.TrimRight(string(out), "\n"))
	}
	return codes
}
