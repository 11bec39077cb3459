package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ticketbooth-go/ticketbooth/delivery/mail"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Outbox is a ledger.MailQueue that writes each mail at once into the folder Dir as an
// .eml file (mail.WriteOutbox), named after its key: "booking/42/confirmed" is
// booking-booking-42-confirmed.eml. A key whose file is there is not written again. It
// keeps nothing else: a mail whose file is removed is written again if queued again. The
// in-process `ticketbooth booking send` uses it, and tests that read mails back.
type Outbox struct {
	Dir string
	mu  sync.Mutex // one check-and-write at a time, so a key is written once
}

var _ ledger.MailQueue = (*Outbox)(nil)

// Enqueue writes the mail's file unless its key's file exists, and reports whether it did.
func (o *Outbox) Enqueue(ctx context.Context, m ledger.OutgoingMail) (bool, error) {
	name := OutboxName(m.Key)
	o.mu.Lock()
	defer o.mu.Unlock()
	_, err := os.Stat(filepath.Join(o.Dir, "booking-"+name+".eml"))
	switch {
	case err == nil:
		return false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, ledger.Errorf(ledger.EINTERNAL, "The outbox folder could not be read.")
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return false, ledger.Errorf(ledger.EINTERNAL, "The outbox folder could not be made.")
	}
	_, err = mail.WriteOutbox(o.Dir, name, m.Message)
	return err == nil, err
}

// OutboxName is the id a queue key names its outbox file with: the key with every
// character but letters, digits, '-' and '_' made '-', or for a key longer than 64
// characters "k" and the first 32 hex digits of its SHA-256.
func OutboxName(key string) string {
	if len(key) > 64 {
		sum := sha256.Sum256([]byte(key))
		return "k" + hex.EncodeToString(sum[:16])
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '-'
	}, key)
}
