package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

func TestSelfSignedCert(t *testing.T) {
	db := filepath.Join(t.TempDir(), "venue.db")
	now := time.Now()
	hosts := certHosts([]string{"10.0.0.5, gate.local", "[fd00::5]"})
	vc, err := selfSignedCert(db, hosts, now)
	if err != nil {
		t.Fatal(err)
	}
	if !vc.Created || vc.CertFile != filepath.Join(filepath.Dir(db), "venue-tls.crt") || vc.KeyFile != filepath.Join(filepath.Dir(db), "venue-tls.key") {
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
		again, err := selfSignedCert(db, certHosts([]string{"gate.local", "10.0.0.5", "fd00::5"}), now.Add(24*time.Hour))
		if err != nil || again.Created || again.Fingerprint != vc.Fingerprint {
			t.Errorf("got created=%v %s (%v), want the kept %s", again.Created, again.Fingerprint, err, vc.Fingerprint)
		}
	})
	t.Run("NewHost", func(t *testing.T) {
		more, err := selfSignedCert(db, certHosts([]string{"10.0.0.5", "10.0.0.7"}), now)
		if err != nil || !more.Created || more.Fingerprint == vc.Fingerprint || !covers(more, []string{"10.0.0.7"}) {
			t.Errorf("got %+v (%v), want a new certificate naming 10.0.0.7", more, err)
		}
	})
	t.Run("NearItsEnd", func(t *testing.T) {
		first, _ := selfSignedCert(db, hosts, now)
		later, err := selfSignedCert(db, hosts, now.Add(certLifetime-certRenewal+time.Hour))
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
func TestSelfSignedCertReplacesAuthority(t *testing.T) {
	db := filepath.Join(t.TempDir(), "venue.db")
	now := time.Now()
	hosts := certHosts([]string{"10.0.0.5"})
	certFile, keyFile := certPaths(db)
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
	vc, err := selfSignedCert(db, hosts, now)
	if err != nil || !vc.Created || !vc.ReplacedCA || vc.Fingerprint == fingerprint(der) {
		t.Fatalf("got created=%v replacedCA=%v (%v): want the authority replaced", vc.Created, vc.ReplacedCA, err)
	}
	wantLeaf(t, parseCert(t, certFile), certFile)
	var banner strings.Builder
	serveTLS{certFile: certFile, keyFile: keyFile, self: &vc}.describe(&banner, "https://10.0.0.5:8443")
	if !strings.Contains(banner.String(), "remove that one from the phones' trusted CA certificates") {
		t.Errorf("serve does not tell to remove the old authority:\n%s", banner.String())
	}
}

func TestServeTLSFlagErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, args := range [][]string{
		{"--tls-cert", "c.pem"},
		{"--tls-self-signed", "--tls-key", "k.pem"},
		{"--tls-hosts", "10.0.0.5"},
		{"--tls-cert", filepath.Join(t.TempDir(), "missing.pem"), "--tls-key", "missing.key"},
	} {
		r := runCLI(t, "", append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "--tls") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error about the TLS flags", args, r.code, r.stderr)
		}
	}
}

// TestServeSelfSigned starts serve with a self-signed certificate and fetches the
// scanner page over HTTPS, trusting only the certificate it kept beside the database.
func TestServeSelfSigned(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gate.db")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- newApp(strings.NewReader(""), pw, io.Discard).RunContext(ctx,
			[]string{"ticketbooth", "serve", "--db", db, "--addr", "127.0.0.1:0", "--tls-self-signed", "--tls-hosts", "10.0.0.5"})
		pw.Close()
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	base, fp := readServeBanner(t, pr)
	cert := parseCert(t, strings.TrimSuffix(db, ".db")+"-tls.crt")
	if fingerprint(cert.Raw) != fp {
		t.Errorf("printed fingerprint %s is not the kept certificate's %s", fp, fingerprint(cert.Raw))
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}, Timeout: 10 * time.Second}
	res, err := client.Get(base + "/scan")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("GET /scan over HTTPS: %d %v", res.StatusCode, res.Header)
	}
	res, err = client.Get(base + certPath)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(der) != string(cert.Raw) || res.Header.Get("Content-Type") != "application/pkix-cert" {
		t.Errorf("GET %s: %d bytes of %s, want the certificate", certPath, len(der), res.Header.Get("Content-Type"))
	}
}

// readServeBanner reads serve's first lines for its address and fingerprint, giving up
// after 30 seconds; the rest of the output is discarded.
func readServeBanner(t *testing.T, r io.Reader) (base, fp string) {
	t.Helper()
	lines := make(chan string)
	go func() {
		out := bufio.NewScanner(r)
		for out.Scan() {
			lines <- out.Text()
		}
		close(lines)
		io.Copy(io.Discard, r)
	}()
	deadline := time.After(30 * time.Second)
	for base == "" || fp == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("serve stopped before printing its https address and fingerprint")
			}
			if m := regexp.MustCompile(`on (https://127\.0\.0\.1:\d+) `).FindStringSubmatch(line); m != nil {
				base = m[1]
			}
			if rest, ok := strings.CutPrefix(line, "SHA-256 fingerprint "); ok {
				fp = rest
			}
		case <-deadline:
			t.Fatal("serve printed no https address and fingerprint in 30 s")
		}
	}
	go func() {
		for range lines {
		}
	}()
	return base, fp
}
