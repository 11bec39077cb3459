package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// deliveryColumns are the columns scanDelivery reads.
const deliveryColumns = `id, webhook, event, tx_hash, tx_time, state, next_at`

// WebhookDeliveries returns a page of the endpoint's deliveries, newest first, with
// their attempts.
func (s *Webhooks) WebhookDeliveries(ctx context.Context, q ledger.DeliveryQuery) ([]ledger.WebhookDelivery, error) {
	actor, err := ledger.Authorize(ctx, ledger.WebhookRoles...)
	if err != nil {
		return nil, err
	}
	if q, err = ledger.CheckDeliveryQuery(q); err != nil {
		return nil, err
	}
	r := s.reader(ctx)
	if err := ownWebhook(r, actor, q.Webhook); err != nil {
		return nil, s.internal("reading webhook deliveries", err)
	}
	where, args := `webhook = ?`, []any{q.Webhook}
	if q.State != "" {
		where, args = where+` AND state = ?`, append(args, q.State)
	}
	if q.After != 0 {
		where, args = where+` AND id < ?`, append(args, q.After)
	}
	out, err := readDeliveries(r, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE `+where+` ORDER BY id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, s.internal("reading webhook deliveries", err)
	}
	return out, nil
}

// readDeliveries reads the deliveries the query selects (deliveryColumns) and their
// attempts.
func readDeliveries(r runner, q string, args ...any) ([]ledger.WebhookDelivery, error) {
	rows, err := r.rows(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ledger.WebhookDelivery{}
	for rows.Next() {
		var d ledger.WebhookDelivery
		var txTime, next int64
		if err := rows.Scan(&d.ID, &d.Webhook, &d.Event, &d.Transaction, &txTime, &d.State, &next); err != nil {
			return nil, err
		}
		d.Created, d.Attempts = time.Unix(0, txTime).UTC(), []ledger.WebhookAttempt{}
		if d.State == ledger.DeliveryPending {
			d.NextAttempt = time.Unix(0, next).UTC()
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, readAttempts(r, out)
}

// readAttempts fills in the deliveries' attempts, in order.
func readAttempts(r runner, ds []ledger.WebhookDelivery) error {
	byID := map[int64]*ledger.WebhookDelivery{}
	args := make([]any, len(ds))
	for i := range ds {
		byID[ds[i].ID], args[i] = &ds[i], ds[i].ID
	}
	rows, err := r.rows(`SELECT delivery, number, at, duration_ns, status, error FROM webhook_attempts
		WHERE delivery IN (`+strings.Repeat("?, ", len(ds)-1)+`?) ORDER BY delivery, number`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, at, dur int64
		var a ledger.WebhookAttempt
		if err := rows.Scan(&id, &a.Number, &at, &dur, &a.Status, &a.Error); err != nil {
			return err
		}
		a.At, a.Duration = time.Unix(0, at).UTC(), time.Duration(dur)
		byID[id].Attempts = append(byID[id].Attempts, a)
	}
	return rows.Err()
}

// RetryWebhookDelivery makes the delivery pending and due now, whatever its state. A
// sender holding it keeps its lease: its own outcome then decides.
func (s *Webhooks) RetryWebhookDelivery(ctx context.Context, id int64) (ledger.WebhookDelivery, error) {
	actor, err := ledger.Authorize(ctx, ledger.WebhookRoles...)
	if err != nil {
		return ledger.WebhookDelivery{}, err
	}
	var out []ledger.WebhookDelivery
	err = s.update(ctx, "retrying the webhook delivery", actor, "", lockUnrelated, func(w *wtx) error {
		var hook int64
		err := w.row(`SELECT webhook FROM webhook_deliveries WHERE id = ?`, id).Scan(&hook)
		if errors.Is(err, sql.ErrNoRows) {
			return ledger.Errorf(ledger.ENOTFOUND, "No webhook delivery %d", id)
		} else if err != nil {
			return err
		}
		if err := ownWebhook(w.runner, actor, hook); ledger.ErrorCode(err) == ledger.ENOTFOUND {
			return ledger.Errorf(ledger.ENOTFOUND, "No webhook delivery %d", id)
		} else if err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE webhook_deliveries SET state = 'pending', next_at = ? WHERE id = ?`, w.now.UnixNano(), id); err != nil {
			return err
		}
		out, err = readDeliveries(w.runner, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return ledger.WebhookDelivery{}, err
	}
	return out[0], nil
}
