// Package smtptest runs a real SMTP server (emersion/go-smtp) on loopback inside a test:
// it keeps the messages it accepts, byte for byte, can answer RCPT or DATA with any reply
// the test scripts (451, 550...), can be stopped and started again on the same port, and
// offers STARTTLS with a self-signed certificate and PLAIN authentication when asked.
package smtptest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ticketbooth-go/ticketbooth/internal/tlscert"
)

// Message is one message the server accepted: the envelope and the message as received
// (in DATA, dot-unstuffed; in BDAT chunks, as sent).
type Message struct {
	From string
	To   []string
	Data []byte
}

// Options choose what the server offers.
type Options struct {
	// StartTLS offers STARTTLS with a self-signed certificate for 127.0.0.1 and localhost;
	// Server.RootCAs trusts it.
	StartTLS bool
	// Username and Password, when set, are required (AUTH PLAIN, after STARTTLS).
	Username, Password string
	// Discard counts the messages without keeping them (benchmarks).
	Discard bool
	// NoChunking leaves CHUNKING (RFC 3030's BDAT) out of the EHLO reply on plain
	// connections, as a server without it does: clients then send DATA.
	NoChunking bool
}

// Server is an SMTP server on loopback. Its zero port is chosen at Start and kept across
// Stop and Restart.
type Server struct {
	Addr    string         // 127.0.0.1:port
	RootCAs *x509.CertPool // trusts the STARTTLS certificate (Options.StartTLS)
	opts    Options
	tls     *tls.Config

	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	messages []Message
	count    int
	rcpt     func(to string) error
	data     func(to []string) error
	changed  chan struct{} // closed and replaced on every accepted message
}

// Start runs a server on 127.0.0.1 with a free port; it stops when the test ends.
func Start(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{opts: opts, changed: make(chan struct{})}
	if opts.StartTLS {
		s.makeCert(tb)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("smtptest: listening: %v", err)
	}
	s.Addr = ln.Addr().String()
	s.serve(ln)
	tb.Cleanup(s.Stop)
	return s
}

// makeCert makes the STARTTLS certificate in a temporary folder.
func (s *Server) makeCert(tb testing.TB) {
	dir := tb.TempDir()
	c, err := tlscert.SelfSigned(filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), []string{"127.0.0.1", "localhost"}, time.Now())
	if err != nil {
		tb.Fatalf("smtptest: certificate: %v", err)
	}
	pair, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		tb.Fatalf("smtptest: certificate: %v", err)
	}
	cert, _ := x509.ParseCertificate(c.DER)
	s.RootCAs = x509.NewCertPool()
	s.RootCAs.AddCert(cert)
	s.tls = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
}

// serve starts the SMTP server on ln.
func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.TLSConfig = s.tls
	srv.MaxMessageBytes = 64 << 20
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	if s.opts.NoChunking {
		go srv.Serve(unchunkedListener{ln})
		return
	}
	go srv.Serve(ln)
}

// unchunkedListener's connections drop the CHUNKING line of the server's EHLO reply.
type unchunkedListener struct{ net.Listener }

func (l unchunkedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return unchunkedConn{c}, nil
}

type unchunkedConn struct{ net.Conn }

func (c unchunkedConn) Write(p []byte) (int, error) {
	if _, err := c.Conn.Write(bytes.ReplaceAll(p, []byte("250-CHUNKING\r\n"), nil)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Stop closes the server and its connections: clients now find the port closed.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		ln.Close() // Serve may not have taken it yet
		srv.Close()
	}
}

// Restart serves again on the same port after Stop.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		tb.Fatalf("smtptest: listening again on %s: %v", s.Addr, err)
	}
	s.serve(ln)
}

// Port is the server's port.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.Addr)
	n, _ := strconv.Atoi(p)
	return n
}

// URL is the --smtp-url of the server: plain (tls=none) unless it offers STARTTLS.
func (s *Server) URL() string {
	auth := ""
	if s.opts.Username != "" {
		auth = s.opts.Username + ":" + s.opts.Password + "@"
	}
	if s.opts.StartTLS {
		return "smtp://" + auth + s.Addr
	}
	return "smtp://" + auth + s.Addr + "?tls=none"
}

// OnRcpt makes the server answer each RCPT with fn's error (nil: accepted). Reply makes
// a reply of any code.
func (s *Server) OnRcpt(fn func(to string) error) {
	s.mu.Lock()
	s.rcpt = fn
	s.mu.Unlock()
}

// OnData makes the server answer the end of each DATA with fn's error (nil: accepted).
func (s *Server) OnData(fn func(to []string) error) {
	s.mu.Lock()
	s.data = fn
	s.mu.Unlock()
}

// Reply is an SMTP reply with the code (4xx temporary, 5xx permanent) and text.
func Reply(code int, text string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.NoEnhancedCode, Message: text}
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Count returns how many messages the server accepted (kept or discarded).
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Wait waits until the server has accepted at least n messages, failing the test after
// timeout (a bound on a hung test, not a timing assertion).
func (s *Server) Wait(tb testing.TB, n int, timeout time.Duration) []Message {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		count, changed := s.count, s.changed
		s.mu.Unlock()
		if count >= n {
			return s.Messages()
		}
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("smtptest: %d messages accepted, waited for %d", count, n)
		}
	}
}

// accept keeps a message and wakes the waiters.
func (s *Server) accept(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	if !s.opts.Discard {
		s.messages = append(s.messages, m)
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) hooks() (func(string) error, func([]string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpt, s.data
}

// session is one SMTP conversation.
type session struct {
	s      *Server
	authed bool
	m      Message
}

func (c *session) AuthMechanisms() []string {
	if c.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (c *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != c.s.opts.Username || pass != c.s.opts.Password {
			return Reply(535, "Authentication failed")
		}
		c.authed = true
		return nil
	}), nil
}

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	if c.s.opts.Username != "" && !c.authed {
		return smtp.ErrAuthRequired
	}
	c.m = Message{From: from}
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if rcpt, _ := c.s.hooks(); rcpt != nil {
		if err := rcpt(to); err != nil {
			return err
		}
	}
	c.m.To = append(c.m.To, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	data, err := c.read(r)
	if err != nil {
		return err
	}
	if _, hook := c.s.hooks(); hook != nil {
		if err := hook(c.m.To); err != nil {
			return err
		}
	}
	c.m.Data = data
	c.s.accept(c.m)
	return nil
}

// read reads the message, or only past it when the server discards messages: a
// benchmark's server then costs what receiving costs, not holding each message.
func (c *session) read(r io.Reader) ([]byte, error) {
	if c.s.opts.Discard {
		_, err := io.Copy(io.Discard, r)
		return nil, err
	}
	return io.ReadAll(r)
}

func (c *session) Reset()        { c.m = Message{} }
func (c *session) Logout() error { return nil }
