package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// mailColumns are the columns of a queued mail that the queue shows, in mailFields' order.
const mailColumns = `id, mail_key, recipient, state, attempts, last_error, message_id, queued_at, due_at, sent_at, tried_at`

// mailRow is a queued mail as scanned, its times in unix nanoseconds.
type mailRow struct {
	m                        *ledger.QueuedMail
	state                    string
	queued, due, sent, tried int64
}

// fields returns the scan targets of mailColumns.
func (r *mailRow) fields() []any {
	return []any{&r.m.ID, &r.m.Key, &r.m.To, &r.state, &r.m.Attempts, &r.m.LastError, &r.m.MessageID,
		&r.queued, &r.due, &r.sent, &r.tried}
}

// finish fills the mail's state and times.
func (r *mailRow) finish() {
	r.m.State = ledger.MailState(r.state)
	r.m.Queued, r.m.Due = unixNano(r.queued), unixNano(r.due)
	r.m.Sent, r.m.Tried = unixNano(r.sent), unixNano(r.tried)
	if r.m.State != ledger.MailQueued {
		r.m.Due = time.Time{}
	}
}

// unixNano is the time of n unix nanoseconds, the zero time for 0.
func unixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Mails lists queued mails by id, a page at a time, for organizers and box offices; only
// the administrator sees the recipients' whole addresses, the others their domains.
func (s *Mails) Mails(ctx context.Context, f ledger.MailFilter) ([]ledger.QueuedMail, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	rows, err := s.reader(ctx).rows(`SELECT `+mailColumns+` FROM mail_queue WHERE (state = ? OR ? = '') AND id > ? ORDER BY id LIMIT ?`,
		string(f.State), string(f.State), f.After, f.Limit)
	if err != nil {
		return nil, s.internal("listing the mails", err)
	}
	defer rows.Close()
	list := []ledger.QueuedMail{}
	for rows.Next() {
		var m ledger.QueuedMail
		r := mailRow{m: &m}
		if err := rows.Scan(r.fields()...); err != nil {
			return nil, s.internal("listing the mails", err)
		}
		r.finish()
		list = append(list, shown(actor, m))
	}
	if err := rows.Err(); err != nil {
		return nil, s.internal("listing the mails", err)
	}
	return list, nil
}

// Mail reads one queued mail: ENOTFOUND for an unknown id.
func (s *Mails) Mail(ctx context.Context, id int64) (ledger.QueuedMail, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.QueuedMail{}, err
	}
	var m ledger.QueuedMail
	r := mailRow{m: &m}
	err = s.reader(ctx).row(`SELECT `+mailColumns+` FROM mail_queue WHERE id = ?`, id).Scan(r.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ledger.Errorf(ledger.ENOTFOUND, "There is no mail %d in the queue.", id)
	}
	if err != nil {
		return m, s.internal("reading the mail", err)
	}
	r.finish()
	return shown(actor, m), nil
}

// shown hides the recipient's mailbox from every actor but the administrator.
func shown(a ledger.Actor, m ledger.QueuedMail) ledger.QueuedMail {
	if !a.Admin {
		m.To = ledger.MaskAddress(m.To)
	}
	return m
}
