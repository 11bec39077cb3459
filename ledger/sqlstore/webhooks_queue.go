package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The delivery queue. A sender claims due deliveries by writing its lease (a random
// token) and lease_until into them, in one conditional UPDATE: on PostgreSQL a second
// server's UPDATE of the same rows waits for the first and then finds them leased, so
// each is claimed by one sender. The sender's attempt is recorded with its outcome and
// the lease cleared; a sender that stopped before recording leaves a lease that runs
// out, and the delivery is claimed again (sending is at least once across a crash).

// ClaimWebhookDeliveries takes up to n due, unleased, pending deliveries for lease.
func (s *Webhooks) ClaimWebhookDeliveries(ctx context.Context, n int, lease time.Duration) ([]ledger.WebhookClaim, error) {
	if n < 1 {
		return nil, nil
	}
	if due, err := s.anyDue(ctx); err != nil || !due {
		return nil, err
	}
	var raw [16]byte
	rand.Read(raw[:])
	token := hex.EncodeToString(raw[:])
	var claims []ledger.WebhookClaim
	err := s.update(ctx, "claiming webhook deliveries", ledger.Actor{Admin: true}, "", lockUnrelated, func(w *wtx) error {
		t := w.now.UnixNano()
		if _, err := w.exec(`UPDATE webhook_deliveries SET lease = ?, lease_until = ?
			WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_at <= ? AND lease_until <= ?
				ORDER BY next_at, id LIMIT ?)
			AND state = 'pending' AND lease_until <= ?`, token, t+int64(lease), t, t, n, t); err != nil {
			return err
		}
		var err error
		claims, err = readClaims(w, token)
		return err
	})
	return claims, err
}

// anyDue reports, without a write, whether a delivery is due.
func (s *Webhooks) anyDue(ctx context.Context) (bool, error) {
	t := s.now().UnixNano()
	var n int
	err := s.reader(ctx).row(`SELECT COUNT(*) FROM (SELECT id FROM webhook_deliveries
		WHERE state = 'pending' AND next_at <= ? AND lease_until <= ? LIMIT 1) due`, t, t).Scan(&n)
	if err != nil {
		return false, s.internal("looking for due webhook deliveries", err)
	}
	return n > 0, nil
}

func readClaims(w *wtx, token string) ([]ledger.WebhookClaim, error) {
	rows, err := w.rows(`SELECT d.id, d.webhook, d.event, d.tx_hash, d.tx_time, d.data, d.attempts, h.url, h.secret
		FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook WHERE d.lease = ? ORDER BY d.next_at, d.id`, token)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.WebhookClaim
	for rows.Next() {
		c := ledger.WebhookClaim{Lease: token}
		var txTime int64
		var data string
		if err := rows.Scan(&c.Payload.Delivery, &c.Webhook, &c.Payload.Event, &c.Payload.Transaction, &txTime, &data,
			&c.Number, &c.URL, &c.Secret); err != nil {
			return nil, err
		}
		c.Number++
		c.Payload.Created, c.Payload.Data = time.Unix(0, txTime).UTC(), json.RawMessage(data)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordWebhookAttempt records the attempt, and its outcome when the lease still holds.
func (s *Webhooks) RecordWebhookAttempt(ctx context.Context, o ledger.WebhookOutcome) error {
	state, next := ledger.DeliveryPending, o.Next.UnixNano()
	switch {
	case o.Delivered:
		state, next = ledger.DeliveryDelivered, 0
	case o.Next.IsZero():
		state, next = ledger.DeliveryFailed, 0
	}
	a := o.Attempt
	return s.update(ctx, "recording a webhook attempt", ledger.Actor{Admin: true}, "", lockUnrelated, func(w *wtx) error {
		if _, err := w.exec(`INSERT INTO webhook_attempts (delivery, number, at, duration_ns, status, error)
			SELECT id, attempts + 1, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS TEXT)
			FROM webhook_deliveries WHERE id = ?`,
			a.At.UnixNano(), int64(a.Duration), a.Status, a.Error, o.Delivery); err != nil {
			return err
		}
		_, err := w.exec(`UPDATE webhook_deliveries SET attempts = attempts + 1,
			state = CASE WHEN lease = ? THEN ? ELSE state END,
			next_at = CASE WHEN lease = ? THEN ? ELSE next_at END,
			lease = CASE WHEN lease = ? THEN '' ELSE lease END,
			lease_until = CASE WHEN lease = ? THEN 0 ELSE lease_until END
			WHERE id = ?`, o.Lease, state, o.Lease, next, o.Lease, o.Lease, o.Delivery)
		return err
	})
}
