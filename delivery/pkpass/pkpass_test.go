package pkpass

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"image/png"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// chain is a test CA standing in for Apple's root, a WWDR-like intermediate and a pass certificate.
type chain struct {
	root   *x509.Certificate
	signer Signer
}

func mint(t *testing.T, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func certTemplate(serial int64, cn string, ca bool) *x509.Certificate {
	now := time.Now()
	c := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true, IsCA: ca,
	}
	if ca {
		c.KeyUsage |= x509.KeyUsageCertSign
	}
	return c
}

func newChain(t *testing.T) chain {
	root, rootKey := mint(t, certTemplate(1, "Test Root CA", true), nil, nil)
	inter, interKey := mint(t, certTemplate(2, "Test WWDR Intermediate", true), root, rootKey)
	cert, key := mint(t, certTemplate(3, "Pass Type ID: pass.com.example.tickets", false), inter, interKey)
	return chain{root: root, signer: Signer{Cert: cert, Key: key, Intermediate: inter}}
}

var testIssuer = Issuer{PassTypeIdentifier: "pass.com.example.tickets", TeamIdentifier: "ABCDE12345",
	OrganizationName: "Ticketbooth Theatre"}

func testTicket(t *testing.T) Ticket {
	zone, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return Ticket{QRText: "TB1:contract:0011223344556677:seat", Serial: "booking-7-1A",
		Show: "Die Zauberflöte", Venue: "Staatsoper", Seat: "Stalls/12C",
		Time: time.Date(2026, 3, 14, 18, 30, 0, 0, time.UTC), Zone: zone,
		Location: &Location{Latitude: 52.5163, Longitude: 13.3951}}
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// manifestProblem checks every digest of manifest.json against the files, independently of
// Manifest, and that every file but the manifest and signature is listed.
func manifestProblem(files map[string][]byte) string {
	var m map[string]string
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		return "manifest.json: " + err.Error()
	}
	for name, b := range files {
		if name == "manifest.json" || name == "signature" {
			continue
		}
		h := sha1.New()
		h.Write(b)
		if got := hex.EncodeToString(h.Sum(nil)); m[name] != got {
			return name + ": manifest says " + m[name] + ", file hashes to " + got
		}
	}
	if len(m) != len(files)-2 {
		return "manifest lists files the pass lacks"
	}
	return ""
}

func TestBuildPassContent(t *testing.T) {
	c := newChain(t)
	tk := testTicket(t)
	b, err := Build(testIssuer, tk, c.signer)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, b)
	for _, name := range []string{"pass.json", "icon.png", "icon@2x.png", "manifest.json", "signature"} {
		if len(files[name]) == 0 {
			t.Fatalf("%s missing from the pass (has %d files)", name, len(files))
		}
	}
	if p := manifestProblem(files); p != "" {
		t.Fatal(p)
	}
	for name, size := range map[string]int{"icon.png": 29, "icon@2x.png": 58} {
		cfg, err := png.DecodeConfig(bytes.NewReader(files[name]))
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("%s: %dx%d (%v), want a %d-pixel square PNG", name, cfg.Width, cfg.Height, err, size)
		}
	}
	var p map[string]any
	if err := json.Unmarshal(files["pass.json"], &p); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"formatVersion": 1.0, "passTypeIdentifier": "pass.com.example.tickets",
		"teamIdentifier": "ABCDE12345", "serialNumber": "booking-7-1A",
		"organizationName": "Ticketbooth Theatre", "relevantDate": "2026-03-14T19:30:00+01:00"}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("pass.json %s = %v, want %v", k, p[k], v)
		}
	}
	text := string(files["pass.json"])
	for _, s := range []string{`"format": "PKBarcodeFormatQR"`, `"message": "TB1:contract:0011223344556677:seat"`,
		`"messageEncoding": "iso-8859-1"`, `"value": "Sat 14 Mar 2026 19:30 CET"`, `"value": "Die Zauberflöte"`,
		`"value": "Staatsoper"`, `"value": "Stalls/12C"`, `"latitude": 52.5163`, `"eventTicket"`} {
		if !strings.Contains(text, s) {
			t.Errorf("pass.json lacks %s:\n%s", s, text)
		}
	}
}

func TestSignatureVerifiesWithOpenSSL(t *testing.T) {
	openssl := testtool.Need(t, "openssl", "openssl")
	c := newChain(t)
	b, err := Build(testIssuer, testTicket(t), c.signer)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, b)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	sig := write("signature", files["signature"])
	manifest := write("manifest.json", files["manifest.json"])
	ca := write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.root.Raw}))
	verify := func(content string) ([]byte, error) {
		return exec.Command(openssl, "smime", "-verify", "-binary", "-inform", "DER", "-in", sig,
			"-content", content, "-CAfile", ca, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	}
	if out, err := verify(manifest); err != nil {
		t.Fatalf("openssl smime -verify refused the signature: %v\n%s", err, out)
	}
	tampered := write("tampered.json", append(bytes.Clone(files["manifest.json"]), ' '))
	if out, err := verify(tampered); err == nil {
		t.Fatalf("openssl accepted the signature over a changed manifest:\n%s", out)
	}
}

// TestSignatureCarriesTheChain checks the signer's and the intermediate's certificates are
// in the signature: openssl above finds the intermediate nowhere else.
func TestSignatureCarriesTheChain(t *testing.T) {
	c := newChain(t)
	sig, err := Sign([]byte(`{"pass.json":"00"}`), c.signer)
	if err != nil {
		t.Fatal(err)
	}
	for _, cert := range []*x509.Certificate{c.signer.Cert, c.signer.Intermediate} {
		if !bytes.Contains(sig, cert.Raw) {
			t.Errorf("signature lacks the certificate %q", cert.Subject.CommonName)
		}
	}
}

func TestTamperedPassFailsManifest(t *testing.T) {
	c := newChain(t)
	b, err := Build(testIssuer, testTicket(t), c.signer)
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, b)
	files["pass.json"] = bytes.Replace(files["pass.json"], []byte("Stalls/12C"), []byte("Stalls/01A"), 1)
	if manifestProblem(files) == "" {
		t.Fatal("a changed pass.json still matched the manifest")
	}
	files = unzip(t, b)
	files["icon.png"] = append(files["icon.png"], 0)
	if manifestProblem(files) == "" {
		t.Fatal("a changed icon.png still matched the manifest")
	}
}

func TestBoundedInput(t *testing.T) {
	c := newChain(t)
	long := strings.Repeat("x", MaxText+1)
	cases := map[string]func(*Ticket, *Signer){
		"show too long":     func(tk *Ticket, _ *Signer) { tk.Show = long },
		"empty venue":       func(tk *Ticket, _ *Signer) { tk.Venue = "" },
		"seat not UTF-8":    func(tk *Ticket, _ *Signer) { tk.Seat = "\xff" },
		"QR too long":       func(tk *Ticket, _ *Signer) { tk.QRText = strings.Repeat("Q", MaxQRText+1) },
		"QR not Latin-1":    func(tk *Ticket, _ *Signer) { tk.QRText = "TB1:€" },
		"no zone":           func(tk *Ticket, _ *Signer) { tk.Zone = nil },
		"no time":           func(tk *Ticket, _ *Signer) { tk.Time = time.Time{} },
		"no intermediate":   func(_ *Ticket, s *Signer) { s.Intermediate = nil },
		"wrong issuer cert": func(_ *Ticket, s *Signer) { s.Intermediate = c.root },
	}
	for name, change := range cases {
		tk, s := testTicket(t), c.signer
		change(&tk, &s)
		_, err := Build(testIssuer, tk, s)
		if ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("%s: err = %v, want an EINVALID ledger.Error", name, err)
		}
	}
	tk := testTicket(t)
	tk.Show = strings.Repeat("ö", MaxText)
	if _, err := Build(testIssuer, tk, c.signer); err != nil {
		t.Errorf("a show name of exactly %d characters was refused: %v", MaxText, err)
	}
}

// TestChainCheckedForEachIntermediate: once a pass is signed with one chain, a signer whose
// intermediate has the same name but another key (so did not issue the certificate) is
// still refused: the chain checked once is remembered for that chain only.
func TestChainCheckedForEachIntermediate(t *testing.T) {
	c := newChain(t)
	if _, err := Build(testIssuer, testTicket(t), c.signer); err != nil {
		t.Fatal(err)
	}
	impostor, _ := mint(t, certTemplate(2, "Test WWDR Intermediate", true), nil, nil) // the same name, its own key
	s := c.signer
	s.Intermediate = impostor
	if _, err := Build(testIssuer, testTicket(t), s); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Fatalf("a pass signed under an intermediate that did not issue the certificate: err = %v", err)
	}
	if _, err := Build(testIssuer, testTicket(t), c.signer); err != nil {
		t.Fatalf("the right chain after the wrong one: %v", err)
	}
}
