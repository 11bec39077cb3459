package pkpass

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// signerFiles writes a chain's pass certificate (PEM), key (PKCS #8 PEM), a .p12 of both
// under the password "s3cret", and the intermediate (DER, as Apple's download is).
func signerFiles(t *testing.T, c chain) (cert, key, p12, wwdr string) {
	dir := t.TempDir()
	der, err := x509.MarshalPKCS8PrivateKey(c.signer.Key)
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := pkcs12.Modern.Encode(c.signer.Key, c.signer.Cert, nil, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"pass.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.signer.Cert.Raw}),
		"pass.key": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}),
		"pass.p12": pfx, "AppleWWDRCAG4.cer": c.signer.Intermediate.Raw,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "pass.pem"), filepath.Join(dir, "pass.key"), filepath.Join(dir, "pass.p12"), filepath.Join(dir, "AppleWWDRCAG4.cer")
}

// TestLoadSigner: the PEM files and the .p12 load into a signer that signs a pass; each
// wrong input is one sentence naming the problem.
func TestLoadSigner(t *testing.T) {
	c := newChain(t)
	cert, key, p12, wwdr := signerFiles(t, c)
	for name, load := range map[string]func() (Signer, error){
		"pem": func() (Signer, error) { return LoadPEM(cert, key, wwdr) },
		"p12": func() (Signer, error) { return LoadP12(p12, "s3cret", wwdr) },
	} {
		s, err := load()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := Build(testIssuer, testTicket(t), s); err != nil || !s.Cert.Equal(c.signer.Cert) {
			t.Errorf("%s: the signer loaded does not sign: %v", name, err)
		}
	}
	other := newChain(t)
	otherCert, otherKey, _, otherWWDR := signerFiles(t, other)
	for name, tc := range map[string]struct {
		load func() (Signer, error)
		want string
	}{
		"wrong password": {func() (Signer, error) { return LoadP12(p12, "guess", wwdr) }, "The password of the .p12 file pass.p12 is wrong."},
		"other key":      {func() (Signer, error) { return LoadPEM(cert, otherKey, wwdr) }, "The pass key does not match the pass certificate."},
		"no wwdr":        {func() (Signer, error) { return LoadPEM(cert, key, "") }, "A pass needs Apple's WWDR intermediate certificate"},
		"other wwdr":     {func() (Signer, error) { return LoadPEM(cert, key, otherWWDR) }, "was not issued by the WWDR intermediate in AppleWWDRCAG4.cer"},
		"key as cert":    {func() (Signer, error) { return LoadPEM(key, key, wwdr) }, "The pass certificate file pass.key holds a PRIVATE KEY, not a CERTIFICATE."},
		"cert as key":    {func() (Signer, error) { return LoadPEM(cert, otherCert, wwdr) }, "The pass key file pass.pem holds no unencrypted private key"},
		"missing":        {func() (Signer, error) { return LoadPEM(cert+".gone", key, wwdr) }, "The pass certificate file pass.pem.gone cannot be read."},
		"not p12":        {func() (Signer, error) { return LoadP12(cert, "s3cret", wwdr) }, "is not a PKCS #12 file"},
	} {
		_, err := tc.load()
		if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), tc.want) {
			t.Errorf("%s: %v, want EINVALID %q", name, err, tc.want)
		}
	}
}
