package main

import (
	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// mailFlags configure the e-mail of `serve`: the delivery key that seals the queue, the
// sender's addresses.
func mailFlags() []cli.Flag {
	return []cli.Flag{
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
