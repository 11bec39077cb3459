package mailq

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/delivery/mail"
)

// Outbox is the transport without a mail server: each mail is written into Dir as an .eml
// file named after its queue id and key ("000042-booking-42-confirmed.eml"), atomically.
// Writing a mail twice (after a crash) writes the same file again, so the outbox holds it
// once.
type Outbox struct{ Dir string }

// Name says where mails go.
func (o Outbox) Name() string { return "outbox " + o.Dir }

// Open makes the folder (readable by its owner only: mails carry tickets) when missing.
func (o Outbox) Open(context.Context) (Conn, error) {
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("making the outbox folder: %w", err)
	}
	return outboxConn(o), nil
}

type outboxConn Outbox

// Send writes the message; the file name comes from the mail's id and key, never from its
// recipient.
func (o outboxConn) Send(_ context.Context, e Envelope, message []byte) error {
	_, err := mail.WriteOutboxFile(o.Dir, outboxName(e), message)
	return err
}

func (outboxConn) Close() error { return nil }

// outboxName is the file name of the mail being sent: its id and its key's letters,
// digits, '-' and '_'.
func outboxName(m Envelope) string {
	key := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, m.Key)
	if len(key) > 100 {
		key = key[:100]
	}
	return fmt.Sprintf("%06d-%s.eml", m.ID, key)
}
