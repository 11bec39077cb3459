package ledger

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"
)

// OutgoingMail is one e-mail handed to the mail queue: Key names it for deduplication
// ("booking/42/confirmed", "ticket/<address>/<seat>/reissued/<n>", ...), To is the
// recipient's address (the envelope's RCPT TO) and Message the whole RFC 5322 message, with
// CRLF line ends, as delivery/mail builds it.
type OutgoingMail struct {
	Key, To string
	Message []byte
}

// MailQueue queues e-mails durably for sending. Enqueue stores the mail and returns true;
// when a mail with the same key was queued before (waiting, sent or failed) it stores
// nothing and returns false: each key is sent once. EINVALID for a malformed key, address
// or message. The message is kept encrypted until it is sent, then deleted.
type MailQueue interface {
	Enqueue(ctx context.Context, m OutgoingMail) (bool, error)
}

// MailState is where a queued mail stands.
type MailState string

// The states of a queued mail: queued (waiting for its next attempt, perhaps after failed
// ones), sent (handed to the mail server; its message deleted), failed (refused for good,
// or out of attempts: it stays until retried by hand).
const (
	MailQueued MailState = "queued"
	MailSent   MailState = "sent"
	MailFailed MailState = "failed"
)

// QueuedMail is what the queue shows of one mail: never its message.
type QueuedMail struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"`
	To        string    `json:"to"`
	State     MailState `json:"state"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"lastError,omitempty"`
	MessageID string    `json:"messageId,omitempty"`
	Queued    time.Time `json:"queuedAt"`
	Due       time.Time `json:"dueAt"`            // the next attempt (queued mails)
	Sent      time.Time `json:"sentAt,omitzero"`  // when it was handed over
	Tried     time.Time `json:"triedAt,omitzero"` // the last attempt
}

// ClaimedMail is a due mail a sender holds for the lease: the row, its opened message and
// the lease's token, which Sent and Failed must name.
type ClaimedMail struct {
	QueuedMail
	Message []byte
	Lease   string
}

// MailFailure is the outcome of a failed attempt: why (a sentence without the recipient's
// mailbox), whether it is for good, and otherwise when to try again.
type MailFailure struct {
	Reason    string
	Permanent bool
	RetryIn   time.Duration
}

// MailFilter chooses the mails a listing shows: State "" for every state; After the last
// id of the previous page; Limit the page size (0: a default).
type MailFilter struct {
	State MailState
	After int64
	Limit int
}

// MailView is the queue as organizers and box offices see it: Mails lists rows by id,
// Mail reads one (ENOTFOUND), RetryMail makes a failed or waiting mail due now with its
// attempts counted afresh (ECONFLICT for a sent one). Only the administrator sees whole
// recipient addresses; other keys see their domains.
type MailView interface {
	Mails(ctx context.Context, f MailFilter) ([]QueuedMail, error)
	Mail(ctx context.Context, id int64) (QueuedMail, error)
	RetryMail(ctx context.Context, id int64) error
}

// MailSpool is the whole mail queue: filled by Enqueue, read through MailView, and sent
// by a sender that Claims up to limit due mails for lease (another sender cannot claim
// them until it expires) and records each attempt with Sent or Failed (ECONFLICT when
// the lease was lost to another sender).
type MailSpool interface {
	MailQueue
	MailView
	Claim(ctx context.Context, limit int, lease time.Duration) ([]ClaimedMail, error)
	Sent(ctx context.Context, m ClaimedMail) error
	Failed(ctx context.Context, m ClaimedMail, f MailFailure) error
}

// ParseMailState reads a state for a listing: "" (every state), queued, sent or failed.
func ParseMailState(s string) (MailState, error) {
	switch st := MailState(s); st {
	case "", MailQueued, MailSent, MailFailed:
		return st, nil
	}
	return "", Errorf(EINVALID, "A mail's state is queued, sent or failed.")
}

// MaxMailKey and MaxMailMessage bound a queued mail's key (bytes) and message (bytes).
const (
	MaxMailKey     = 200
	MaxMailMessage = 32 << 20
)

// CheckOutgoingMail returns EINVALID for a key that is empty, too long or holds spaces or
// control characters, a recipient that is not one plain address, or an empty or too large
// message. Neither the key nor the address is quoted back.
func CheckOutgoingMail(m OutgoingMail) error {
	if m.Key == "" || len(m.Key) > MaxMailKey || strings.ContainsFunc(m.Key, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar
	}) {
		return Errorf(EINVALID, "A mail's key must be 1 to %d characters without spaces.", MaxMailKey)
	}
	if a, err := mail.ParseAddress(m.To); err != nil || a.Address != m.To || a.Name != "" {
		return Errorf(EINVALID, "A mail's recipient must be one plain e-mail address, such as ada@example.com.")
	}
	if len(m.Message) == 0 || len(m.Message) > MaxMailMessage {
		return Errorf(EINVALID, "A mail's message must hold 1 byte to %d MB.", MaxMailMessage>>20)
	}
	return nil
}

// MaskAddress returns the address with its mailbox part hidden, "***@example.com", as logs
// and the roles that may not read it show it.
func MaskAddress(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return "***" + address[i:]
	}
	return "***"
}
