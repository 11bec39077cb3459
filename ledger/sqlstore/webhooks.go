package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Webhooks keeps the organizers' webhook endpoints and the queue of their deliveries
// (ledger.Webhooks, ledger.WebhookQueue): endpoints in the webhooks table, one delivery
// row per endpoint and event, made from the journal by FollowJournal
// (webhooks_follow.go), handed to senders under leases (webhooks_queue.go), with their
// attempts, until KeepDeliveries after their event. Nothing here is journaled: the
// journal is what webhooks report on.
//
// The secret that signs an endpoint's deliveries is stored as it is: an HMAC needs the
// secret itself, and every server that sends must have it (see the README, Webhooks).
type Webhooks struct {
	*db
	// AllowPrivate lets endpoints be registered on private and link-local addresses
	// (serve --webhook-allow-private); set it before serving.
	AllowPrivate bool
	// early is the highest journal seq the early pass of FollowJournal has read in this
	// process (webhooks_follow.go).
	early atomic.Int64
	// lastPrune is when this process last deleted the deliveries past KeepDeliveries
	// (unix nanoseconds).
	lastPrune atomic.Int64
}

// KeepDeliveries is how long a delivered or failed delivery, with its attempts, stays
// visible; pending ones stay until they are sent or fail.
const KeepDeliveries = 30 * 24 * time.Hour

// pruneEvery is how often one process deletes the deliveries past KeepDeliveries.
const pruneEvery = time.Hour

// pruneDue reports whether this process's prune is due.
func (s *Webhooks) pruneDue() bool {
	return s.now().UnixNano()-s.lastPrune.Load() >= int64(pruneEvery)
}

// prune deletes the delivered and failed deliveries whose event is older than
// KeepDeliveries, and their attempts, at most once every pruneEvery in this process.
func (s *Webhooks) prune(w *wtx) error {
	last, now := s.lastPrune.Load(), w.now.UnixNano()
	if now-last < int64(pruneEvery) || !s.lastPrune.CompareAndSwap(last, now) {
		return nil
	}
	cutoff := now - int64(KeepDeliveries)
	if _, err := w.exec(`DELETE FROM webhook_attempts WHERE delivery IN
		(SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND tx_time < ?)`, cutoff); err != nil {
		return err
	}
	_, err := w.exec(`DELETE FROM webhook_deliveries WHERE state <> 'pending' AND tx_time < ?`, cutoff)
	return err
}

var (
	_ ledger.Webhooks     = (*Webhooks)(nil)
	_ ledger.WebhookQueue = (*Webhooks)(nil)
)

// secretBytes is the size of an endpoint's secret, shown as "whsec_" and hex.
const secretBytes = 32

// AddWebhook registers an endpoint for the actor's contracts and customers, with a new
// secret shown this once.
func (s *Webhooks) AddWebhook(ctx context.Context, r ledger.WebhookRequest) (ledger.NewWebhook, error) {
	actor, err := ledger.Authorize(ctx, ledger.WebhookRoles...)
	if err != nil {
		return ledger.NewWebhook{}, err
	}
	u, err := ledger.CheckWebhookURL(r.URL, s.AllowPrivate)
	if err != nil {
		return ledger.NewWebhook{}, err
	}
	events, err := ledger.ParseWebhookEvents(r.Events)
	if err != nil {
		return ledger.NewWebhook{}, err
	}
	var raw [secretBytes]byte
	rand.Read(raw[:])
	h := ledger.NewWebhook{Webhook: ledger.Webhook{URL: u.String(), Events: events, Owner: actor.ID()},
		Secret: "whsec_" + hex.EncodeToString(raw[:])}
	err = s.update(ctx, "registering the webhook", actor, "", lockUnrelated, func(w *wtx) error {
		if err := lockCursor(w); err != nil {
			return err
		}
		var n int
		if err := w.row(`SELECT COUNT(*) FROM webhooks WHERE owner = ?`, h.Owner).Scan(&n); err != nil {
			return err
		}
		if n >= ledger.MaxWebhooksPerOwner {
			return ledger.Errorf(ledger.EREFUSED, "A key may register at most %d webhooks: remove one first", ledger.MaxWebhooksPerOwner)
		}
		h.Created = w.now.UTC()
		return w.row(`INSERT INTO webhooks (id, owner, url, events, secret, created_at)
			SELECT COALESCE(MAX(id), 0) + 1, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT)
			FROM webhooks RETURNING id`,
			h.Owner, h.URL, strings.Join(events, ","), h.Secret, h.Created.UnixNano()).Scan(&h.ID)
	})
	if err != nil {
		return ledger.NewWebhook{}, err
	}
	return h, nil
}

// lockCursor takes the follow cursor's row for the transaction: registering, following
// and retrying take turns on it, so ids taken as MAX + 1 never collide across servers.
func lockCursor(w *wtx) error {
	_, err := w.exec(`UPDATE webhook_cursor SET height = height WHERE id = 1`)
	return err
}

// Webhooks lists the actor's endpoints, the administrator's every one.
func (s *Webhooks) Webhooks(ctx context.Context) ([]ledger.Webhook, error) {
	actor, err := ledger.Authorize(ctx, ledger.WebhookRoles...)
	if err != nil {
		return nil, err
	}
	q, args := `SELECT id, owner, url, events, created_at FROM webhooks`, []any{}
	if !actor.Admin {
		q, args = q+` WHERE owner = ?`, append(args, actor.ID())
	}
	rows, err := s.reader(ctx).rows(q+` ORDER BY id`, args...)
	if err != nil {
		return nil, s.internal("listing webhooks", err)
	}
	defer rows.Close()
	out := []ledger.Webhook{}
	for rows.Next() {
		var h ledger.Webhook
		var events string
		var created int64
		if err := rows.Scan(&h.ID, &h.Owner, &h.URL, &events, &created); err != nil {
			return nil, s.internal("listing webhooks", err)
		}
		h.Events, h.Created = strings.Split(events, ","), time.Unix(0, created).UTC()
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, s.internal("listing webhooks", err)
	}
	return out, nil
}

// RemoveWebhook removes the endpoint, its deliveries and their attempts.
func (s *Webhooks) RemoveWebhook(ctx context.Context, id int64) error {
	actor, err := ledger.Authorize(ctx, ledger.WebhookRoles...)
	if err != nil {
		return err
	}
	return s.update(ctx, "removing the webhook", actor, "", lockUnrelated, func(w *wtx) error {
		if err := ownWebhook(w, actor, id); err != nil {
			return err
		}
		if _, err := w.exec(`DELETE FROM webhook_attempts WHERE delivery IN (SELECT id FROM webhook_deliveries WHERE webhook = ?)`, id); err != nil {
			return err
		}
		if _, err := w.exec(`DELETE FROM webhook_deliveries WHERE webhook = ?`, id); err != nil {
			return err
		}
		_, err := w.exec(`DELETE FROM webhooks WHERE id = ?`, id)
		return err
	})
}

// ownWebhook returns ENOTFOUND unless the endpoint exists and the actor may manage it.
func ownWebhook(r interface{ row(string, ...any) scanner }, actor ledger.Actor, id int64) error {
	var owner string
	err := r.row(`SELECT owner FROM webhooks WHERE id = ?`, id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.Admin && owner != actor.ID()) {
		return ledger.Errorf(ledger.ENOTFOUND, "No webhook %d", id)
	}
	return err
}
