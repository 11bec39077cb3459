package sqlstore

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/textproto"
	"time"
	"unicode/utf8"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Mails is the durable mail queue (ledger.MailSpool): one row per mail key in mail_queue.
// A mail's message is kept sealed under the delivery key (mailqueue_seal.go) until it is
// sent, then deleted; the row stays with its times, attempts, last error and Message-ID,
// so the key is never sent twice. Senders claim due rows for a lease: a sender that
// stops mid-send leaves the lease to expire, and the mail is claimed and sent again.
type Mails struct {
	*db
	seal *mailSealer // nil without a delivery key: Enqueue and Claim refuse
}

var _ ledger.MailSpool = (*Mails)(nil)

// mailActor is the actor mail writes run as: they journal nothing.
var mailActor = ledger.Actor{Admin: true}

// Enqueue stores the mail sealed and due now, unless its key was queued before: then it
// stores nothing and returns false.
func (s *Mails) Enqueue(ctx context.Context, m ledger.OutgoingMail) (bool, error) {
	if err := ledger.CheckOutgoingMail(m); err != nil {
		return false, err
	}
	if s.seal == nil {
		return false, errNoDeliveryKey
	}
	sealed, err := s.seal.seal(m.Key, m.Message)
	if err != nil {
		return false, s.internal("sealing the mail", err)
	}
	var added bool
	err = s.update(ctx, "queueing the mail", mailActor, "", lockUnrelated, func(w *wtx) error {
		res, err := w.exec(`INSERT INTO mail_queue (mail_key, recipient, sealed, message_id, state, queued_at, due_at, lease_until, lease)
			VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (mail_key) DO NOTHING`,
			m.Key, m.To, sealed, messageID(m.Message), w.now.UnixNano(), w.now.UnixNano(), noLeaseUntil, noLease)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		added = n == 1
		return err
	})
	return added, err
}

// errNoDeliveryKey refuses to queue or send without the key that seals messages.
var errNoDeliveryKey = ledger.Errorf(ledger.EINTERNAL, "The mail queue has no delivery key (serve --delivery-key-file): no mail can be queued or sent.")

// Claim takes up to limit due mails for lease and returns them with their messages opened.
// A row is claimed by one conditional update (state queued, due, lease expired), so
// senders on several servers never hold the same mail at once.
func (s *Mails) Claim(ctx context.Context, limit int, lease time.Duration) ([]ledger.ClaimedMail, error) {
	if s.seal == nil {
		return nil, errNoDeliveryKey
	}
	token := newLease()
	var claimed []ledger.ClaimedMail
	err := s.update(ctx, "claiming mails", mailActor, "", lockUnrelated, func(w *wtx) error {
		now := w.now.UnixNano()
		ids, err := w.int64s(`SELECT id FROM mail_queue WHERE state = 'queued' AND due_at <= ? AND lease_until <= ?
			ORDER BY due_at, id LIMIT ?`, now, now, limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		claimed, err = claimRows(w, ids, token, now, now+int64(lease))
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.open(ctx, claimed)
}

// claimRows leases the rows of ids still free and reads them back.
func claimRows(w *wtx, ids []int64, token string, now, until int64) ([]ledger.ClaimedMail, error) {
	claimed := make([]ledger.ClaimedMail, 0, len(ids))
	for _, id := range ids {
		res, err := w.exec(`UPDATE mail_queue SET lease_until = ?, lease = ? WHERE id = ? AND state = 'queued' AND lease_until <= ?`,
			until, token, id, now)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return nil, err
			}
			continue
		}
		m := ledger.ClaimedMail{Lease: token}
		r := mailRow{m: &m.QueuedMail}
		// the sealed message is opened after the transaction
		if err := w.row(`SELECT `+mailColumns+`, sealed FROM mail_queue WHERE id = ?`, id).Scan(append(r.fields(), &m.Message)...); err != nil {
			return nil, err
		}
		r.finish()
		claimed = append(claimed, m)
	}
	return claimed, nil
}

// open opens the sealed messages of claimed mails. A message that does not open (the
// server was given another delivery key than the one that sealed it) is recorded failed,
// to be retried by hand once the key is right, rather than blocking the queue.
func (s *Mails) open(ctx context.Context, claimed []ledger.ClaimedMail) ([]ledger.ClaimedMail, error) {
	opened := claimed[:0]
	for _, m := range claimed {
		msg, err := s.seal.open(m.Key, m.Message)
		if err == nil {
			m.Message = msg
			opened = append(opened, m)
			continue
		}
		s.log.Error("mail queue: a message does not open with this delivery key", "id", m.ID, "key", m.Key)
		if err := s.Failed(ctx, m, ledger.MailFailure{Permanent: true,
			Reason: "The message does not open with this server's delivery key: was it given another --delivery-key-file?"}); err != nil {
			return nil, err
		}
	}
	return opened, nil
}

// A queued mail's row holds its sealed message, tens of KB in SQLite's overflow pages.
// SQLite writes an updated row over the old one in place, touching only the pages whose
// bytes changed, when the row keeps its size; else it writes the whole row anew (every
// overflow page, to the WAL and later to the database). So a row without a lease holds
// one of the same size as a claim's: noLease, as long as a lease token, and noLeaseUntil,
// a time long past that is stored in eight bytes as a claim's time is. Claiming a mail
// then rewrites the end of its row, not its message.
const (
	noLeaseUntil = -1 << 62
	noLease      = "------------------------" // as long as newLease's tokens
)

// newLease returns a fresh lease token.
func newLease() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Sent records that a claimed mail was handed over: its message is deleted.
func (s *Mails) Sent(ctx context.Context, m ledger.ClaimedMail) error {
	return s.attempt(ctx, "recording the sent mail", m, func(w *wtx) (sql.Result, error) {
		now := w.now.UnixNano()
		return w.exec(`UPDATE mail_queue SET state = 'sent', sealed = NULL, attempts = attempts + 1, last_error = '',
			tried_at = ?, sent_at = ?, lease_until = 0, lease = '' WHERE id = ? AND lease = ?`, now, now, m.ID, m.Lease)
	})
}

// Failed records a failed attempt of a claimed mail: failed for good when f says so,
// else queued again after f.RetryIn.
func (s *Mails) Failed(ctx context.Context, m ledger.ClaimedMail, f ledger.MailFailure) error {
	state := ledger.MailQueued
	if f.Permanent {
		state = ledger.MailFailed
	}
	reason := clipRunes(f.Reason, 500)
	return s.attempt(ctx, "recording the failed attempt", m, func(w *wtx) (sql.Result, error) {
		now := w.now.UnixNano()
		return w.exec(`UPDATE mail_queue SET state = ?, attempts = attempts + 1, last_error = ?, tried_at = ?, due_at = ?,
			lease_until = ?, lease = ? WHERE id = ? AND lease = ?`, string(state), reason, now, now+int64(f.RetryIn), noLeaseUntil, noLease, m.ID, m.Lease)
	})
}

// attempt runs the update of a claimed mail's row: ECONFLICT when the lease was lost
// (it expired and another sender claimed the mail).
func (s *Mails) attempt(ctx context.Context, what string, m ledger.ClaimedMail, up func(*wtx) (sql.Result, error)) error {
	return s.update(ctx, what, mailActor, "", lockUnrelated, func(w *wtx) error {
		res, err := up(w)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n != 1 {
			return ledger.Errorf(ledger.ECONFLICT, "Mail %d is no longer held by this sender: its lease expired and another sender took it.", m.ID)
		}
		return err
	})
}

// RetryMail makes a failed or waiting mail due now, with its attempts counted afresh.
// ENOTFOUND for an unknown id, ECONFLICT for a sent mail.
func (s *Mails) RetryMail(ctx context.Context, id int64) error {
	if _, err := ledger.Authorize(ctx, ledger.RoleOrganizer); err != nil {
		return err
	}
	return s.update(ctx, "retrying the mail", mailActor, "", lockUnrelated, func(w *wtx) error {
		var state string
		err := w.row(`SELECT state FROM mail_queue WHERE id = ?`, id).Scan(&state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ledger.Errorf(ledger.ENOTFOUND, "There is no mail %d in the queue.", id)
		case err != nil:
			return err
		case state == string(ledger.MailSent):
			return ledger.Errorf(ledger.ECONFLICT, "Mail %d was sent already; each mail is sent once.", id)
		}
		_, err = w.exec(`UPDATE mail_queue SET state = 'queued', attempts = 0, due_at = ? WHERE id = ?`, w.now.UnixNano(), id)
		return err
	})
}

// messageID returns the Message-ID header of a message, or "" without one. Only the
// header block is read.
func messageID(msg []byte) string {
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(msg))).ReadMIMEHeader()
	if err != nil && h == nil {
		return ""
	}
	return clipRunes(h.Get("Message-Id"), 300)
}

// clipRunes cuts s to at most n bytes on a character boundary.
func clipRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// newMails opens the mail queue, sealing with the delivery key when there is one.
func newMails(d *db, deliveryKey []byte) (*Mails, error) {
	m := &Mails{db: d}
	if deliveryKey == nil {
		return m, nil
	}
	seal, err := newMailSealer(deliveryKey)
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The delivery key must be %d bytes.", DeliveryKeySize)
	}
	m.seal = seal
	return m, nil
}

// eraseMails forgets the mails to an erased customer's address: their rows keep the
// domain only, and a message not sent yet is deleted and its mail fails, saying why.
func eraseMails(w *wtx, address string) error {
	if address == "" {
		return nil
	}
	_, err := w.exec(`UPDATE mail_queue SET recipient = ?, sealed = NULL, lease_until = 0, lease = '',
		last_error = CASE WHEN state = 'sent' THEN last_error ELSE ? END,
		state = CASE WHEN state = 'sent' THEN 'sent' ELSE 'failed' END WHERE recipient = ?`,
		ledger.MaskAddress(address), "The customer's data was erased: the mail was not sent.", address)
	return err
}
