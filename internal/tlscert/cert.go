package tlscert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The certificate is a leaf, never an authority (CA:FALSE, server authentication only):
// phones trust it by its fingerprint, for this server alone. A CA installed on door
// staff's phones would let whoever copies the key file beside the database sign a
// certificate for any site those phones visit.
const (
	certLifetime = 397 * 24 * time.Hour // the longest a browser accepts for a server certificate
	certRenewal  = 30 * 24 * time.Hour  // renew when fewer days are left
)

// Cert is a certificate on disk with what the operator needs to trust it.
type Cert struct {
	CertFile, KeyFile string
	Hosts             []string
	Fingerprint       string // SHA-256 of the DER, as browsers show it: AB:CD:…
	DER               []byte
	NotAfter          time.Time
	CA                bool // an authority: made by an earlier version, replaced on start
	Created           bool // false when the kept certificate was reused
	ReplacedCA        bool // the certificate replaced was an authority: phones should forget it
}

// Hosts is the list the certificate must name: the hosts given (or, when none, this
// machine's name and network addresses) and always the loopback names.
func Hosts(given []string) []string {
	var hosts []string
	for _, h := range given {
		for _, part := range strings.Split(h, ",") {
			if part = strings.TrimSpace(part); part != "" {
				hosts = append(hosts, strings.Trim(part, "[]"))
			}
		}
	}
	if len(hosts) == 0 {
		hosts = LocalHosts()
	}
	hosts = append(hosts, "localhost", "127.0.0.1", "::1")
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// LocalHosts are this machine's host name and its addresses on the networks it is on.
func LocalHosts() []string {
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

// SelfSigned returns the kept certificate when it is a leaf, names every host and
// has more than certRenewal left, else makes and stores a new one. Errors say which file
// failed.
func SelfSigned(certFile, keyFile string, hosts []string, now time.Time) (Cert, error) {
	kept, err := loadCert(certFile, keyFile)
	if err == nil && !kept.CA && covers(kept, hosts) && kept.NotAfter.Sub(now) > certRenewal {
		return kept, nil
	}
	der, key, err := makeCert(hosts, now)
	if err != nil {
		return Cert{}, err
	}
	if err := writePEM(keyFile, "PRIVATE KEY", key, 0o600); err != nil {
		return Cert{}, err
	}
	if err := writePEM(certFile, "CERTIFICATE", der, 0o644); err != nil {
		return Cert{}, err
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
func loadCert(certFile, keyFile string) (Cert, error) {
	data, err := os.ReadFile(certFile)
	if err != nil {
		return Cert{}, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return Cert{}, fmt.Errorf("%s holds no PEM certificate", certFile)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return Cert{}, fmt.Errorf("%s: %w", certFile, err)
	}
	if _, err := os.Stat(keyFile); err != nil {
		return Cert{}, err
	}
	hosts := append(slices.Clone(cert.DNSNames), ipStrings(cert.IPAddresses)...)
	return Cert{CertFile: certFile, KeyFile: keyFile, Hosts: hosts, Fingerprint: Fingerprint(block.Bytes),
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
func covers(vc Cert, hosts []string) bool {
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

// Fingerprint is the SHA-256 of a certificate as browsers show it.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
