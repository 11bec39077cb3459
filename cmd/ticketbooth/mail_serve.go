package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/mail"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// mailFlags configure the e-mail of `serve`: where mails go, the delivery key that seals
// the queue, the sender's addresses.
func mailFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "smtp-url", EnvVars: []string{"TICKETBOOTH_SMTP_URL"},
			Usage: "send e-mail through the server at `URL`: smtp://user:password@host:587 (STARTTLS required), smtps://...:465 (TLS); ?tls=none only for a server on this machine (default: write .eml files into --outbox)"},
		&cli.StringFlag{Name: "outbox", EnvVars: []string{"TICKETBOOTH_OUTBOX"},
			Usage: "without --smtp-url, write e-mails as .eml files into `DIR` (default: --db's file name + .outbox)"},
		&cli.StringFlag{Name: "delivery-key-file", EnvVars: []string{"TICKETBOOTH_DELIVERY_KEY_FILE"},
			Usage: "`FILE` of the key that seals queued e-mails in the database (default: --db's file name + .delivery-key, made 0600 on first start; required on PostgreSQL, the same file for every server)"},
		&cli.StringFlag{Name: "mail-from", Value: "Ticketbooth <tickets@localhost>", EnvVars: []string{"TICKETBOOTH_MAIL_FROM"},
			Usage: "the `ADDRESS` e-mails come from (From header and SMTP sender), e.g. \"Theater <tickets@example.com>\""},
		&cli.StringFlag{Name: "mail-reply-to", EnvVars: []string{"TICKETBOOTH_MAIL_REPLY_TO"},
			Usage: "the `ADDRESS` replies to e-mails go to (default: none, replies go to --mail-from)"},
	}
}

// deliveryKey loads the delivery key of serve's database: the named file, or the default
// beside a SQLite file, made on first start. On PostgreSQL without a file it returns nil:
// the mail queue then refuses to queue or send, in words.
func deliveryKey(c *cli.Context) ([]byte, error) {
	path := c.String("delivery-key-file")
	if path != "" {
		return mailq.LoadDeliveryKey(path, false)
	}
	if sqlstore.IsPostgres(c.String("db")) {
		return nil, nil
	}
	return mailq.LoadDeliveryKey(c.String("db")+".delivery-key", true)
}

// mailer is serve's sender of the mail queue: nil when mail is off (PostgreSQL without
// --smtp-url or --outbox).
type mailer struct {
	transport mailq.Transport
	from      string // the envelope sender
}

// mailSetup reads the mail flags: the transport and the sender. On PostgreSQL there is no
// outbox beside the database, and sending needs the delivery key file.
func mailSetup(c *cli.Context, key []byte) (*mailer, error) {
	from, err := mail.ParseAddress(c.String("mail-from"))
	if err != nil {
		return nil, usagef("--mail-from %q is not an e-mail address such as \"Theater <tickets@example.com>\"", c.String("mail-from"))
	}
	if r := c.String("mail-reply-to"); r != "" {
		if _, err := mail.ParseAddress(r); err != nil {
			return nil, usagef("--mail-reply-to %q is not an e-mail address", r)
		}
	}
	m := &mailer{from: from.Address}
	switch {
	case c.String("smtp-url") != "":
		m.transport, err = mailq.ParseSMTPURL(c.String("smtp-url"))
	case c.String("outbox") != "":
		m.transport = mailq.Outbox{Dir: c.String("outbox")}
	case sqlstore.IsPostgres(c.String("db")):
		return nil, nil
	default:
		m.transport = mailq.Outbox{Dir: c.String("db") + ".outbox"}
	}
	if err == nil && key == nil {
		err = usagef("sending e-mail from a PostgreSQL ledger needs --delivery-key-file (the same file for every server)")
	}
	return m, err
}

// describe says where mails go.
func (m *mailer) describe(out io.Writer) {
	if m == nil {
		fmt.Fprintln(out, "e-mail off: give --delivery-key-file and --smtp-url or --outbox to send it")
		return
	}
	fmt.Fprintf(out, "e-mail through %s (queued in the ledger, sent once)\n", m.transport.Name())
}

// start runs the sender until ctx ends, makes svc queue through it (so that a queued mail
// wakes it), and returns the function that stops it.
func (m *mailer) start(ctx context.Context, st *sqlstore.Store, svc *server.Services, log *slog.Logger) (stop func()) {
	if m == nil {
		return func() {}
	}
	w := &mailq.Worker{Spool: st.Mails, Transport: m.transport, From: m.from, Log: log}
	svc.Mail = w.Queue()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	return func() { cancel(); <-done }
}
