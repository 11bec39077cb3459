package pkpass

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/smallstep/pkcs7"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// MaxText is the longest show name, venue, seat, organization or identifier, in characters.
const MaxText = 200

// MaxQRText is the longest QR text a pass carries, in bytes.
const MaxQRText = 2953

// Ticket holds the facts one pass shows.
type Ticket struct {
	QRText   string         // the QR text, the same as on the PDF ticket
	Serial   string         // the pass's serial number, unique per pass type
	Show     string         // the show's name
	Venue    string         // the venue's name
	Seat     string         // the seat as printed (e.g. "Stalls/12C")
	Time     time.Time      // when the show begins
	Zone     *time.Location // the show's time zone; the time is printed in it
	Location *Location      // where the venue is, optional
}

// Location is a venue's position, for the lock screen's relevance.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Issuer names the organizer and the pass type, as registered with Apple.
type Issuer struct {
	PassTypeIdentifier string // e.g. "pass.com.example.tickets"
	TeamIdentifier     string // the organizer's Apple team id
	OrganizationName   string // shown on the pass
}

// Signer is what signs a pass: the organizer's pass certificate and its private key, and
// Apple's WWDR intermediate certificate that issued it.
type Signer struct {
	Cert         *x509.Certificate
	Key          crypto.PrivateKey
	Intermediate *x509.Certificate
}

// Build returns the .pkpass file (a zip) for the ticket, signed by s.
func Build(iss Issuer, t Ticket, s Signer) ([]byte, error) {
	if err := check(iss, t, s); err != nil {
		return nil, err
	}
	passJSON, err := json.MarshalIndent(newPass(iss, t), "", "  ")
	if err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "The pass could not be written: %v", err)
	}
	files, err := icons()
	if err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "The pass's icon could not be drawn: %v", err)
	}
	files["pass.json"] = passJSON
	manifest, err := Manifest(files)
	if err != nil {
		return nil, err
	}
	sig, err := Sign(manifest, s)
	if err != nil {
		return nil, err
	}
	files["manifest.json"] = manifest
	files["signature"] = sig
	return zipFiles([]string{"pass.json", "icon.png", "icon@2x.png", "manifest.json", "signature"}, files)
}

// Manifest returns manifest.json for files: each name with the SHA-1 hex digest of its bytes.
func Manifest(files map[string][]byte) ([]byte, error) {
	m := make(map[string]string, len(files))
	for name, b := range files {
		sum := sha1.Sum(b)
		m[name] = hex.EncodeToString(sum[:])
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "The pass manifest could not be written: %v", err)
	}
	return out, nil
}

// Sign returns a detached PKCS#7 SignedData (DER) over manifest, with the signer's and the
// intermediate's certificates included.
func Sign(manifest []byte, s Signer) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(manifest)
	if err != nil {
		return nil, signFault(err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := addSigner(sd, s); err != nil {
		return nil, signFault(err)
	}
	sd.Detach()
	der, err := sd.Finish()
	if err != nil {
		return nil, signFault(err)
	}
	return der, nil
}

// addSigner adds the signer and its chain to sd. pkcs7's AddSignerChain checks the
// certificate's signature by the intermediate every time (an ECDSA or RSA verification,
// a fifth of a pass); the chain is checked once and remembered (verifiedChain), then the
// signer is added as AddSignerChain would: the same certificates in the same order, and
// as issuer the intermediate's subject, which is the certificate's own issuer bytes.
func addSigner(sd *pkcs7.SignedData, s Signer) error {
	chain := [2]*x509.Certificate{s.Cert, s.Intermediate}
	if verifiedChain.Load() == nil || *verifiedChain.Load() != chain {
		if !bytes.Equal(s.Cert.RawIssuer, s.Intermediate.RawSubject) {
			return sd.AddSignerChain(s.Cert, s.Key, []*x509.Certificate{s.Intermediate}, pkcs7.SignerInfoConfig{})
		}
		if err := s.Cert.CheckSignatureFrom(s.Intermediate); err != nil {
			return fmt.Errorf("pkcs7: certificate signature from parent is invalid: %v", err)
		}
		verifiedChain.Store(&chain)
	}
	if err := sd.AddSigner(s.Cert, s.Key, pkcs7.SignerInfoConfig{}); err != nil {
		return err
	}
	sd.AddCertificate(s.Intermediate)
	return nil
}

// verifiedChain is the last certificate and intermediate whose chain addSigner checked.
var verifiedChain atomic.Pointer[[2]*x509.Certificate]

func signFault(err error) error {
	return ledger.Errorf(ledger.EINVALID,
		"The pass could not be signed with this certificate, key and intermediate: %v", err)
}

func zipFiles(order []string, files map[string][]byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, keptCompressor)
	for _, name := range order {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		if strings.HasSuffix(name, ".png") {
			h.Method = zip.Store // compressed already: deflating them again gains nothing
		}
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(files[name])
		}
		if err != nil {
			return nil, ledger.Errorf(ledger.EINTERNAL, "The pass could not be zipped: %v", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "The pass could not be zipped: %v", err)
	}
	return buf.Bytes(), nil
}

// compressors are deflate compressors passes hand on to the next. archive/zip keeps its
// own in a sync.Pool, which every garbage collection empties: in a batch of mails nearly
// every pass made a new one, several hundred KB to allocate and clear, most of a pass's
// zipping. A few are kept here instead, across collections.
var compressors = make(chan *flate.Writer, 4)

// keptCompressor is archive/zip's Deflate compressor (the same level, so the same bytes),
// taken from compressors when one is there and given back when its file is closed.
func keptCompressor(w io.Writer) (io.WriteCloser, error) {
	select {
	case fw := <-compressors:
		fw.Reset(w)
		return keptFlate{fw}, nil
	default:
	}
	fw, err := flate.NewWriter(w, zipDeflateLevel)
	return keptFlate{fw}, err
}

// zipDeflateLevel is the level of archive/zip's own Deflate compressor.
const zipDeflateLevel = 5

type keptFlate struct{ *flate.Writer }

func (k keptFlate) Close() error {
	err := k.Writer.Close()
	select {
	case compressors <- k.Writer:
	default:
	}
	return err
}

func check(iss Issuer, t Ticket, s Signer) error {
	texts := []struct{ name, v string }{
		{"pass type identifier", iss.PassTypeIdentifier}, {"team identifier", iss.TeamIdentifier},
		{"organization name", iss.OrganizationName}, {"serial number", t.Serial},
		{"show name", t.Show}, {"venue", t.Venue}, {"seat", t.Seat},
	}
	for _, f := range texts {
		if f.v == "" || !utf8.ValidString(f.v) || utf8.RuneCountInString(f.v) > MaxText {
			return ledger.Errorf(ledger.EINVALID,
				"The pass's %s must be 1 to %d characters of valid text.", f.name, MaxText)
		}
	}
	if t.QRText == "" || len(t.QRText) > MaxQRText || !latin1(t.QRText) {
		return ledger.Errorf(ledger.EINVALID,
			"The pass's QR text must be 1 to %d bytes of ISO-8859-1 text.", MaxQRText)
	}
	if t.Time.IsZero() || t.Zone == nil {
		return ledger.ErrorOf(ledger.EINVALID, "The pass needs the show's time and time zone.")
	}
	if s.Cert == nil || s.Key == nil || s.Intermediate == nil {
		return ledger.ErrorOf(ledger.EINVALID,
			"A pass is signed with a pass certificate, its key and the WWDR intermediate certificate.")
	}
	return nil
}

// latin1 reports whether every rune of s is in ISO-8859-1, the encoding the barcode declares.
func latin1(s string) bool {
	for _, r := range s {
		if r > 0xFF || r == utf8.RuneError {
			return false
		}
	}
	return true
}
