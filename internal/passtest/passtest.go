// Package passtest gives tests a pass-signing chain made on the spot (a root CA standing
// in for Apple's, a WWDR-like intermediate and a pass certificate), writes it as the PEM
// files `serve` reads, and checks a .pkpass as Wallet would: every manifest digest
// recomputed here, and the signature verified with `openssl smime -verify` against the
// test root.
package passtest

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/pkpass"
	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
)

// Chain is a test root and the pass signer it vouches for through an intermediate.
type Chain struct {
	Root   *x509.Certificate
	Signer pkpass.Signer
}

// NewChain makes a fresh chain of P-256 keys valid for a day.
func NewChain(tb testing.TB) Chain {
	return NewChainFor(tb, pkix.Name{CommonName: "Pass Type ID: pass.com.example.tickets"})
}

// NewChainFor makes a fresh chain whose pass certificate has the subject given: Apple's
// name the pass type ID as the UID (OIDUserID), the team as the OU and the organization
// as the O.
func NewChainFor(tb testing.TB, subject pkix.Name) Chain {
	tb.Helper()
	root, rootKey := mint(tb, template(1, "Test Root CA", true), nil, nil)
	inter, interKey := mint(tb, template(2, "Test WWDR Intermediate", true), root, rootKey)
	leaf := template(3, "", false)
	leaf.Subject = subject
	cert, key := mint(tb, leaf, inter, interKey)
	return Chain{Root: root, Signer: pkpass.Signer{Cert: cert, Key: key, Intermediate: inter}}
}

// OIDUserID is the subject attribute UID, in which Apple's pass certificates name their
// pass type ID.
var OIDUserID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

func mint(tb testing.TB, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return cert, key
}

func template(serial int64, cn string, ca bool) *x509.Certificate {
	now := time.Now()
	c := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true, IsCA: ca}
	if ca {
		c.KeyUsage |= x509.KeyUsageCertSign
	}
	return c
}

// Files are the chain written as PEM files.
type Files struct {
	Cert, Key, WWDR, Root string
}

// WritePEM writes the chain's certificates and the signer's key (PKCS #8) into dir.
func (c Chain) WritePEM(tb testing.TB, dir string) Files {
	tb.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(c.Signer.Key)
	if err != nil {
		tb.Fatal(err)
	}
	f := Files{Cert: filepath.Join(dir, "pass.pem"), Key: filepath.Join(dir, "pass.key"),
		WWDR: filepath.Join(dir, "wwdr.pem"), Root: filepath.Join(dir, "root.pem")}
	for path, b := range map[string]*pem.Block{
		f.Cert: {Type: "CERTIFICATE", Bytes: c.Signer.Cert.Raw}, f.Key: {Type: "PRIVATE KEY", Bytes: der},
		f.WWDR: {Type: "CERTIFICATE", Bytes: c.Signer.Intermediate.Raw}, f.Root: {Type: "CERTIFICATE", Bytes: c.Root.Raw},
	} {
		if err := os.WriteFile(path, pem.EncodeToMemory(b), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return f
}

// Check unzips a .pkpass, recomputes every digest of its manifest, verifies its signature
// with openssl against the chain's root, and returns its pass.json decoded.
func (c Chain) Check(tb testing.TB, pass []byte) map[string]any {
	tb.Helper()
	files := unzip(tb, pass)
	checkManifest(tb, files)
	c.verify(tb, files)
	var out map[string]any
	if err := json.Unmarshal(files["pass.json"], &out); err != nil {
		tb.Fatalf("pass.json: %v", err)
	}
	return out
}

func unzip(tb testing.TB, b []byte) map[string][]byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatalf("the pass is no zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err == nil {
			files[f.Name], err = io.ReadAll(rc)
			rc.Close()
		}
		if err != nil {
			tb.Fatalf("unzipping %s: %v", f.Name, err)
		}
	}
	return files
}

func checkManifest(tb testing.TB, files map[string][]byte) {
	tb.Helper()
	var m map[string]string
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		tb.Fatalf("manifest.json: %v", err)
	}
	for name, b := range files {
		if name == "manifest.json" || name == "signature" {
			continue
		}
		sum := sha1.Sum(b)
		if got := hex.EncodeToString(sum[:]); m[name] != got {
			tb.Errorf("%s: the manifest says %q, the file hashes to %s", name, m[name], got)
		}
	}
	if len(m) != len(files)-2 {
		tb.Errorf("the manifest lists %d files, the pass holds %d besides it and the signature", len(m), len(files)-2)
	}
}

func (c Chain) verify(tb testing.TB, files map[string][]byte) {
	tb.Helper()
	openssl := testtool.Need(tb, "openssl", "openssl")
	dir := tb.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			tb.Fatal(err)
		}
		return path
	}
	sig, manifest := write("signature", files["signature"]), write("manifest.json", files["manifest.json"])
	ca := write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Root.Raw}))
	out, err := exec.Command(openssl, "smime", "-verify", "-binary", "-inform", "DER", "-in", sig,
		"-content", manifest, "-CAfile", ca, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	if err != nil {
		tb.Errorf("openssl smime -verify refused the pass's signature: %v\n%s", err, out)
	}
}
