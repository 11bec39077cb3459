package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/tlscert"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// Browsers give a page the camera only in a secure context, so a phone on the venue's
// network needs HTTPS. serve --tls-self-signed makes a certificate for the venue's
// addresses once (package tlscert), keeps it beside the database, and makes a new one
// only when the addresses change or it nears its end.

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

// certPath is where a server with a self-signed certificate offers it, for comparing
// its fingerprint offline or installing it in a device-management profile.
const certPath = "/tls/ticketbooth.crt"

// serveTLS is how serve speaks: plain HTTP, or HTTPS with the operator's certificate or
// the self-signed one it keeps.
type serveTLS struct {
	certFile, keyFile string
	self              *tlscert.Cert // the self-signed certificate, nil otherwise
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
		certFile, keyFile := certPaths(c.String("db"))
		vc, err := tlscert.SelfSigned(certFile, keyFile, tlscert.Hosts(c.StringSlice("tls-hosts")), now)
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
	candidates := tlscert.LocalHosts()
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
