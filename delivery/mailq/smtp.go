package mailq

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Security is how an SMTP connection is protected.
type Security string

const (
	StartTLS Security = "starttls" // smtp://: plain, then STARTTLS, required (port 587)
	TLS      Security = "tls"      // smtps://: TLS from the first byte (port 465)
	Plain    Security = "none"     // no TLS: only to a server on this machine (tests, a local relay)
)

// SMTP is the transport to a mail server. It uses go-mail's client for the connection,
// STARTTLS or TLS and authentication, then sends each queued message as it was built,
// byte for byte (go-mail's Msg would parse and write it anew).
type SMTP struct {
	Host     string
	Port     int
	Security Security
	Username string // none: no authentication
	Password string
	// TLSConfig verifies the server; nil: the system's roots, for Host.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each command; 0: 30s.
	Timeout time.Duration
}

// ParseSMTPURL reads smtp://[user:pass@]host[:port] (STARTTLS required, port 587),
// smtps://... (TLS, port 465); ?tls=none allows a plain connection, to a loopback host
// only. The error names the URL without its password.
func ParseSMTPURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, ledger.Errorf(ledger.EINVALID, "The SMTP URL must look like smtp://user:password@mail.example.com:587.")
	}
	s := &SMTP{Host: u.Hostname(), Username: u.User.Username()}
	s.Password, _ = u.User.Password()
	switch u.Scheme {
	case "smtp":
		s.Security, s.Port = StartTLS, 587
	case "smtps":
		s.Security, s.Port = TLS, 465
	default:
		return nil, ledger.Errorf(ledger.EINVALID, "The SMTP URL %s must start with smtp:// (STARTTLS) or smtps:// (TLS).", redact(u))
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return nil, ledger.Errorf(ledger.EINVALID, "The SMTP URL %s has a bad port.", redact(u))
		}
	}
	return s, s.query(u)
}

// query applies the URL's parameters: tls=none, to a loopback host only.
func (s *SMTP) query(u *url.URL) error {
	for name, v := range u.Query() {
		switch {
		case name == "tls" && len(v) == 1 && v[0] == "none" && u.Scheme == "smtp":
			if !loopback(s.Host) {
				return ledger.Errorf(ledger.EINVALID, "The SMTP URL %s asks for no TLS: that is allowed only to a server on this machine (localhost, 127.0.0.1, ::1).", redact(u))
			}
			s.Security = Plain
		default:
			return ledger.Errorf(ledger.EINVALID, "The SMTP URL %s has an unknown parameter %q (only tls=none, for a server on this machine).", redact(u), name)
		}
	}
	return nil
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redact returns the URL without its password.
func redact(u *url.URL) string { return u.Redacted() }

// Name says where mails go, without user or password.
func (s *SMTP) Name() string {
	scheme := "smtp"
	if s.Security == TLS {
		scheme = "smtps"
	}
	return scheme + "://" + net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// Open connects, secures and authenticates the connection.
func (s *SMTP) Open(ctx context.Context) (Conn, error) {
	c, err := gomail.NewClient(s.Host, s.options()...)
	if err != nil {
		return nil, err
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, classify(err)
	}
	return &smtpConn{c: c, sc: sc, timeout: s.timeout()}, nil
}

func (s *SMTP) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 30 * time.Second
}

// options are go-mail's client options for the transport.
func (s *SMTP) options() []gomail.Option {
	tc := s.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(s.timeout()), gomail.WithTLSConfig(tc)}
	switch s.Security {
	case TLS:
		opts = append(opts, gomail.WithSSL())
	case Plain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	return opts
}

// smtpConn is one open connection to the mail server.
type smtpConn struct {
	c       *gomail.Client
	sc      *gosmtp.Client
	timeout time.Duration
}

// Send runs one mail transaction: MAIL FROM, RCPT TO, then the message as it is: in one
// BDAT chunk when the server offers CHUNKING (RFC 3030), else in DATA (data.go).
func (c *smtpConn) Send(ctx context.Context, e Envelope, message []byte) error {
	if err := c.sc.UpdateDeadline(c.timeout); err != nil {
		return err
	}
	if err := c.sc.Mail("<" + e.From + ">"); err != nil {
		return c.reset(classify(err), false)
	}
	if err := c.sc.Rcpt("<" + e.To + ">"); err != nil {
		return c.reset(classify(err), true)
	}
	if chunking, _ := c.sc.Extension("CHUNKING"); chunking {
		if err := sendChunk(c.sc.Text, message); err != nil {
			var te *textproto.Error
			if errors.As(err, &te) { // refused: the transaction ends
				return c.reset(classify(err), true)
			}
			return err
		}
		return nil
	}
	if err := startData(c.sc.Text); err != nil {
		return c.reset(classify(err), true)
	}
	return classify(sendData(c.sc.Text, message))
}

// reset ends a refused transaction so the connection can send the next mail. A 5xx reply
// is a permanent refusal of this mail only where the mail is to blame (the recipient, the
// message); a refused sender is the configuration's fault, retried.
func (c *smtpConn) reset(err error, mailsFault bool) error {
	var r *Refusal
	if errors.As(err, &r) && !mailsFault {
		r.Permanent = false
	}
	if rerr := c.sc.Reset(); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// Close says QUIT, or drops a broken connection.
func (c *smtpConn) Close() error {
	if err := c.c.CloseWithSMTPClient(c.sc); err != nil {
		return c.sc.Close()
	}
	return nil
}

// classify turns a server's reply into a *Refusal (5xx permanent, 4xx temporary); other
// errors (a refused connection, a timeout, TLS) stay as they are: temporary.
func classify(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 400 && te.Code < 600 {
		return &Refusal{Code: te.Code, Permanent: te.Code >= 500, Reason: scrub(strings.TrimSpace(te.Msg))}
	}
	return err
}
