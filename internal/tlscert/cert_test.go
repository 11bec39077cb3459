package tlscert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func parseCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// certFiles are the certificate's and key's paths in a new temporary folder.
func certFiles(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	dir := t.TempDir()
	return filepath.Join(dir, "venue-tls.crt"), filepath.Join(dir, "venue-tls.key")
}

func TestSelfSigned(t *testing.T) {
	certFile, keyFile := certFiles(t)
	now := time.Now()
	hosts := Hosts([]string{"10.0.0.5, gate.local", "[fd00::5]"})
	vc, err := SelfSigned(certFile, keyFile, hosts, now)
	if err != nil {
		t.Fatal(err)
	}
	if !vc.Created || vc.CertFile != certFile || vc.KeyFile != keyFile {
		t.Fatalf("got %+v", vc)
	}
	cert := parseCert(t, vc.CertFile)
	wantLeaf(t, cert, vc.CertFile)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	for _, name := range []string{"10.0.0.5", "gate.local", "fd00::5", "localhost", "127.0.0.1", "::1"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "10.0.0.6", Roots: roots}); err == nil {
		t.Error("the certificate is valid for a host it does not name")
	}
	sum := sha256.Sum256(cert.Raw)
	if want := strings.ToUpper(fmt.Sprintf("%x", sum[:1])); vc.Fingerprint[:2] != want || len(vc.Fingerprint) != 32*3-1 {
		t.Errorf("fingerprint %s, want the SHA-256 of the certificate as AB:CD:…", vc.Fingerprint)
	}
	if fi, err := os.Stat(vc.KeyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if _, err := tls.LoadX509KeyPair(vc.CertFile, vc.KeyFile); err != nil {
		t.Errorf("the files are not a key pair: %v", err)
	}
	t.Run("Kept", func(t *testing.T) {
		again, err := SelfSigned(certFile, keyFile, Hosts([]string{"gate.local", "10.0.0.5", "fd00::5"}), now.Add(24*time.Hour))
		if err != nil || again.Created || again.Fingerprint != vc.Fingerprint {
			t.Errorf("got created=%v %s (%v), want the kept %s", again.Created, again.Fingerprint, err, vc.Fingerprint)
		}
	})
	t.Run("NewHost", func(t *testing.T) {
		more, err := SelfSigned(certFile, keyFile, Hosts([]string{"10.0.0.5", "10.0.0.7"}), now)
		if err != nil || !more.Created || more.Fingerprint == vc.Fingerprint || !covers(more, []string{"10.0.0.7"}) {
			t.Errorf("got %+v (%v), want a new certificate naming 10.0.0.7", more, err)
		}
	})
	t.Run("NearItsEnd", func(t *testing.T) {
		first, _ := SelfSigned(certFile, keyFile, hosts, now)
		later, err := SelfSigned(certFile, keyFile, hosts, now.Add(certLifetime-certRenewal+time.Hour))
		if err != nil || !later.Created || later.Fingerprint == first.Fingerprint {
			t.Errorf("got created=%v (%v), want a renewed certificate", later.Created, err)
		}
	})
}

// wantLeaf checks that a certificate is a leaf for server authentication, never an
// authority: as Go reads it and, when installed, as openssl prints it.
func wantLeaf(t *testing.T, cert *x509.Certificate, file string) {
	t.Helper()
	if cert.IsCA || !cert.BasicConstraintsValid {
		t.Errorf("basic constraints: CA %v (valid %v), want CA:FALSE written out", cert.IsCA, cert.BasicConstraintsValid)
	}
	if cert.KeyUsage&x509.KeyUsageCertSign != 0 || cert.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		t.Errorf("key usage %b: want digital signature and never certificate signing", cert.KeyUsage)
	}
	if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
		t.Errorf("extended key usage %v, want server authentication alone", cert.ExtKeyUsage)
	}
	if len(cert.DNSNames)+len(cert.IPAddresses) == 0 {
		t.Error("no subject alternative names")
	}
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is missing (Debian package openssl)")
		}
		t.Log("openssl not installed (Debian package openssl): reading the extensions with Go only")
		return
	}
	out, err := exec.Command(openssl, "x509", "-in", file, "-noout", "-text").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl x509 -text: %v\n%s", err, out)
	}
	for _, want := range []string{"CA:FALSE", "TLS Web Server Authentication", "Subject Alternative Name", "DNS:localhost", "IP Address:127.0.0.1"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("openssl x509 -text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "CA:TRUE") || strings.Contains(string(out), "Certificate Sign") {
		t.Errorf("openssl shows an authority:\n%s", out)
	}
}

// A certificate kept from a version that made authorities (CA:TRUE) is replaced by a
// leaf on the next start, even though it names the hosts and is far from its end.
func TestSelfSignedReplacesAuthority(t *testing.T) {
	certFile, keyFile := certFiles(t)
	now := time.Now()
	hosts := Hosts([]string{"10.0.0.5"})
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: now.Add(-time.Hour), NotAfter: now.Add(certLifetime),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true, DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("10.0.0.5"), net.ParseIP("127.0.0.1"), net.ParseIP("::1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := x509.MarshalPKCS8PrivateKey(priv)
	if writePEM(keyFile, "PRIVATE KEY", key, 0o600) != nil || writePEM(certFile, "CERTIFICATE", der, 0o644) != nil {
		t.Fatal("writing the old certificate")
	}
	vc, err := SelfSigned(certFile, keyFile, hosts, now)
	if err != nil || !vc.Created || !vc.ReplacedCA || vc.Fingerprint == Fingerprint(der) {
		t.Fatalf("got created=%v replacedCA=%v (%v): want the authority replaced", vc.Created, vc.ReplacedCA, err)
	}
	wantLeaf(t, parseCert(t, certFile), certFile)
}
