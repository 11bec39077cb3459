package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/tlscert"
)

// TestCertPaths: the self-signed certificate is kept beside an SQLite file, named after
// it; a ledger on PostgreSQL has no file, so it goes in the working directory.
func TestCertPaths(t *testing.T) {
	for db, want := range map[string][2]string{
		filepath.Join("srv", "venue.db"):      {filepath.Join("srv", "venue-tls.crt"), filepath.Join("srv", "venue-tls.key")},
		"postgres://tb@localhost/ticketbooth": {"ticketbooth-tls.crt", "ticketbooth-tls.key"},
	} {
		if cert, key := certPaths(db); cert != want[0] || key != want[1] {
			t.Errorf("certPaths(%q) = %s, %s; want %s, %s", db, cert, key, want[0], want[1])
		}
	}
}

// A certificate that replaced an authority made by an earlier version: serve tells the
// operator to remove that authority from the phones.
func TestServeTLSDescribesReplacedAuthority(t *testing.T) {
	vc := tlscert.Cert{CertFile: "venue-tls.crt", KeyFile: "venue-tls.key", Hosts: []string{"10.0.0.5"}, Created: true, ReplacedCA: true}
	var banner strings.Builder
	serveTLS{certFile: vc.CertFile, keyFile: vc.KeyFile, self: &vc}.describe(&banner, "https://10.0.0.5:8443")
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
	pair, err := tls.LoadX509KeyPair(strings.TrimSuffix(db, ".db")+"-tls.crt", strings.TrimSuffix(db, ".db")+"-tls.key")
	if err != nil {
		t.Fatalf("the certificate kept beside the database: %v", err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if tlscert.Fingerprint(cert.Raw) != fp {
		t.Errorf("printed fingerprint %s is not the kept certificate's %s", fp, tlscert.Fingerprint(cert.Raw))
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
