package mailq

import (
	"context"
	"errors"
	"fmt"
	"regexp"
)

// A Transport hands mails over: to an SMTP server, or into an outbox folder. Open starts
// a connection that sends many mails one after the other.
type Transport interface {
	Open(ctx context.Context) (Conn, error)
	// Name says where mails go, without a password: "smtp://mail.example.com:587",
	// "outbox /var/lib/ticketbooth/ledger.db.outbox".
	Name() string
}

// A Conn sends mails over one connection. Send hands one message to the recipient; an
// error that is a *Refusal says whether the refusal is for good. After an error that is
// not a permanent refusal, the Conn may be broken: the worker closes it and opens another.
type Conn interface {
	Send(ctx context.Context, e Envelope, message []byte) error
	Close() error
}

// Envelope is what a transport needs besides the message: the queue's id and key of the
// mail (an outbox names its file after them), the sender and recipient addresses (plain
// addresses, for MAIL FROM and RCPT TO).
type Envelope struct {
	ID       int64
	Key      string
	From, To string
}

// Refusal is a mail server's refusal of one mail: Permanent for a 5xx reply to the
// recipient or the message (the mailbox does not exist, the message is too large),
// temporary for a 4xx reply (try again later).
type Refusal struct {
	Code      int
	Permanent bool
	Reason    string // the server's reply, mailbox parts hidden
}

func (r *Refusal) Error() string { return fmt.Sprintf("%d %s", r.Code, r.Reason) }

// permanent reports whether err refuses the mail for good.
func permanent(err error) bool {
	var r *Refusal
	return errors.As(err, &r) && r.Permanent
}

// mailboxes finds the mailbox parts of addresses in a server's reply or an error.
var mailboxes = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@`)

// scrub hides every address's mailbox part in text, as logs and the queue show it.
func scrub(text string) string {
	return mailboxes.ReplaceAllString(text, "***@")
}
