package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// Browsers give a page the camera only in a secure context, so a phone on the venue's
// network needs HTTPS. serve --tls-self-signed makes a certificate for the venue's
// addresses once, keeps it beside the database, and makes a new one only when the
// addresses change or it nears its end.
//
// The certificate is a leaf, never an authority (CA:FALSE, server authentication only):
// phones trust it by its fingerprint, for this server alone. A CA installed on door
// staff's phones would let whoever copies the key file beside the database sign a
// certificate for any site those phones visit.
const (
	certLifetime = 397 * 24 * time.Hour // the longest a browser accepts for a server certificate
	certRenewal  = 30 * 24 * time.Hour  // renew when fewer days are left
)

// venueCert is a certificate on disk with what the operator needs to trust it.
type venueCert struct {
	CertFile, KeyFile string
	Hosts             []string
	Fingerprint       string // SHA-256 of the DER, as browsers show it: AB:CD:…
	DER               []byte
	NotAfter          time.Time
	CA                bool // an authority: made by an earlier version, replaced on start
	Created           bool // false when the kept certificate was reused
	ReplacedCA        bool // the certificate replaced was an authority: phones should forget it
}

// certPaths are the files of the self-signed certificate kept beside the database.
// A ledger on PostgreSQL has no file to keep them beside: they go in the working directory
// as ticketbooth-tls.crt/.key.
func certPaths(db string) (cert, key string) {
	base := strings.TrimSuffix(db, filepath.Ext(db))
	if sqlstore.IsPostgres(db) {
		base = "ticketbooth"
	}
	return base + "-tls.crt", base + "-tls.key"
}

// certHosts is the list the certificate must name: the hosts given (or, when none, this
// machine's name and network addresses) and always the loopback names.
func certHosts(given []string) []string {
	var hosts []string
	for _, h := range given {
		for _, part := range strings.Split(h, ",") {
			if part = strings.TrimSpace(part); part != "" {
				hosts = append(hosts, strings.Trim(part, "[]"))
			}
		}
	}
	if len(hosts) == 0 {
		hosts = localHosts()
	}
	hosts = append(hosts, "localhost", "127.0.0.1", "::1")
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// localHosts are this machine's host name and its addresses on the networks it is on.
func localHosts() []string {
	var hosts []string
	if name, err := os.Hostname(); err == nil && name != "" {
		hosts = append(hosts, name)
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.IsGlobalUnicast() {
			hosts = append(hosts, ipn.IP.String())
		}
	}
	return hosts
}

// selfSignedCert returns the kept certificate when it is a leaf, names every host and
// has more than certRenewal left, else makes and stores a new one. Errors say which file
// failed.
func selfSignedCert(db string, hosts []string, now time.Time) (venueCert, error) {
	certFile, keyFile := certPaths(db)
	kept, err := loadCert(certFile, keyFile)
	if err == nil && !kept.CA && covers(kept, hosts) && kept.NotAfter.Sub(now) > certRenewal {
		return kept, nil
	}
	der, key, err := makeCert(hosts, now)
	if err != nil {
		return venueCert{}, err
	}
	if err := writePEM(keyFile, "PRIVATE KEY", key, 0o600); err != nil {
		return venueCert{}, err
	}
	if err := writePEM(certFile, "CERTIFICATE", der, 0o644); err != nil {
		return venueCert{}, err
	}
	vc, err := loadCert(certFile, keyFile)
	vc.Created, vc.ReplacedCA = true, kept.CA
	return vc, err
}

// makeCert makes an ECDSA P-256 leaf certificate for the hosts, signed by its own key:
// CA:FALSE, for server authentication only, naming the hosts as subject alternative names.
func makeCert(hosts []string, now time.Time) (der, key []byte, err error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("making the TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("making the certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"Ticketbooth"}, CommonName: "Ticketbooth gate " + hosts[0]},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, // and IsCA false: written out as CA:FALSE
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	if der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv); err != nil {
		return nil, nil, fmt.Errorf("making the certificate: %w", err)
	}
	if key, err = x509.MarshalPKCS8PrivateKey(priv); err != nil {
		return nil, nil, fmt.Errorf("encoding the TLS key: %w", err)
	}
	return der, key, nil
}

// writePEM writes one PEM block through a temporary file, so a crash never leaves half
// a key.
func writePEM(path, kind string, der []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tls-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := pem.Encode(tmp, &pem.Block{Type: kind, Bytes: der}); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// loadCert reads a certificate and key pair and describes the certificate.
func loadCert(certFile, keyFile string) (venueCert, error) {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return venueCert{}, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return venueCert{}, fmt.Errorf("%s holds no PEM certificate", certFile)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return venueCert{}, fmt.Errorf("%s: %w", certFile, err)
	}
	if _, err := os.Stat(keyFile); err != nil {
		return venueCert{}, err
	}
	hosts := append(slices.Clone(cert.DNSNames), ipStrings(cert.IPAddresses)...)
	return venueCert{CertFile: certFile, KeyFile: keyFile, Hosts: hosts, Fingerprint: fingerprint(block.Bytes),
		DER: block.Bytes, NotAfter: cert.NotAfter, CA: cert.IsCA}, nil
}

func ipStrings(ips []net.IP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.String()
	}
	return out
}

// covers reports whether the certificate names every host.
func covers(vc venueCert, hosts []string) bool {
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			h = ip.String()
		}
		if !slices.Contains(vc.Hosts, h) {
			return false
		}
	}
	return true
}

// fingerprint is the SHA-256 of a certificate as browsers show it.
func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// certPath is where a server with a self-signed certificate offers it, for comparing
// its fingerprint offline or installing it in a device-management profile.
const certPath = "/tls/ticketbooth.crt"

// serveTLS is how serve speaks: plain HTTP, or HTTPS with the operator's certificate or
// the self-signed one it keeps.
type serveTLS struct {
	certFile, keyFile string
	self              *venueCert // the self-signed certificate, nil otherwise
}

// tlsSetup reads the TLS flags; with --tls-self-signed it makes or reuses the
// certificate. Contradictory flags and unreadable files are usage errors.
func tlsSetup(c *cli.Context, now time.Time) (serveTLS, error) {
	cert, key, self := c.String("tls-cert"), c.String("tls-key"), c.Bool("tls-self-signed")
	switch {
	case self && (cert != "" || key != ""):
		return serveTLS{}, usagef("--tls-self-signed makes its own certificate: leave out --tls-cert and --tls-key")
	case (cert == "") != (key == ""):
		return serveTLS{}, usagef("--tls-cert and --tls-key go together")
	case cert != "":
		if _, err := tls.LoadX509KeyPair(cert, key); err != nil {
			return serveTLS{}, usagef("cannot use --tls-cert %s with --tls-key %s: %v", cert, key, err)
		}
		return serveTLS{certFile: cert, keyFile: key}, nil
	case self:
		vc, err := selfSignedCert(c.String("db"), certHosts(c.StringSlice("tls-hosts")), now)
		if err != nil {
			return serveTLS{}, err
		}
		return serveTLS{certFile: vc.CertFile, keyFile: vc.KeyFile, self: &vc}, nil
	case len(c.StringSlice("tls-hosts")) > 0:
		return serveTLS{}, usagef("--tls-hosts names the hosts of --tls-self-signed")
	}
	return serveTLS{}, nil
}

func (t serveTLS) on() bool { return t.certFile != "" }

func (t serveTLS) serve(srv *http.Server, ln net.Listener) error {
	if t.on() {
		return srv.ServeTLS(ln, t.certFile, t.keyFile)
	}
	return srv.Serve(ln)
}

// handler adds the certificate download to the API when the certificate is self-signed.
func (t serveTLS) handler(api http.Handler) http.Handler {
	if t.self == nil {
		return api
	}
	der := t.self.DER
	mux := http.NewServeMux()
	mux.Handle("/", api)
	mux.HandleFunc("GET "+certPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pkix-cert") // a certificate, not an authority to install
		w.Header().Set("Content-Disposition", `attachment; filename="ticketbooth.crt"`)
		w.Write(der)
	})
	return mux
}

// baseURL is the address to give people: for a server listening on every interface,
// an address of this machine that the certificate names.
func (t serveTLS) baseURL(addr net.Addr) string {
	scheme := "http"
	if t.on() {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + "://" + addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = t.reachableHost()
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

func (t serveTLS) reachableHost() string {
	candidates := localHosts()
	if t.self != nil {
		candidates = append(t.self.Hosts, candidates...)
	}
	for _, h := range candidates {
		if ip := net.ParseIP(h); ip != nil && ip.To4() != nil && !ip.IsLoopback() {
			return h
		}
	}
	return "localhost"
}

// describe tells the operator how phones get the camera: which certificate, its
// fingerprint and how to trust it.
func (t serveTLS) describe(w io.Writer, base string) {
	switch {
	case t.self != nil:
		vc := t.self
		made := "kept from before"
		if vc.Created {
			made = "made now: phones that trusted an earlier one must trust this one"
		}
		fmt.Fprintf(w, "TLS self-signed certificate %s (%s), valid until %s, for %v\n", vc.CertFile, made, vc.NotAfter.Format("2006-01-02"), vc.Hosts)
		if vc.ReplacedCA {
			fmt.Fprintln(w, "It replaces a certificate that was an authority (CA): remove that one from the phones' trusted CA certificates.")
		}
		fmt.Fprintf(w, "SHA-256 fingerprint %s\n", vc.Fingerprint)
		fmt.Fprintf(w, "On each phone: open %s/scan, check that the certificate's SHA-256 fingerprint is the one above, and accept it.\n", base)
		fmt.Fprintln(w, "It is a server certificate, not an authority: never install it as a CA certificate (see the README).")
	case t.on():
		fmt.Fprintf(w, "TLS certificate %s\n", t.certFile)
	default:
		if h, _, err := net.SplitHostPort(base[len("http://"):]); err == nil && h != "localhost" && !isLoopback(h) {
			fmt.Fprintln(w, "note: phones give the scanner page the camera only over HTTPS: add --tls-self-signed or --tls-cert/--tls-key")
		}
	}
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
