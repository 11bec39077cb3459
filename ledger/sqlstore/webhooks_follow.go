package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Following the journal. A transaction is read only once its block is closed: below the
// closed mark no transaction can commit any more (chain.go), so the journal's rows there,
// in (height, seq) order as the blocks list them, are final, and a cursor over that order
// misses none. (Seqs alone would not do: on PostgreSQL a transaction may commit after
// one with a higher seq.) FollowJournal closes the blocks itself when they are due, as
// every write does. So that an event need not wait for its block to close, an early pass
// also reads the committed transactions of the open blocks past the highest seq it saw
// (kept in memory): nearly every event is queued within a poll of its commit, and one the
// early pass missed (committed after a higher seq) is queued by the cursor's pass. Following takes the cursor's row, so servers sharing a database take turns
// and queue each delivery once; the (webhook, event_key) key would refuse a second anyway.

// hook is an endpoint as following sees it.
type hook struct {
	id      int64
	owner   string
	events  []string
	created int64
}

// cursor is a place in the journal's (height, seq) order.
type cursor struct{ height, seq int64 }

func (c cursor) before(o cursor) bool {
	return c.height < o.height || (c.height == o.height && c.seq < o.seq)
}

// FollowJournal queues the events of up to limit closed transactions past the cursor.
func (s *Webhooks) FollowJournal(ctx context.Context, limit int) (int, error) {
	if err := s.chainIfDue(ctx); err != nil {
		return 0, s.internal("closing blocks for webhooks", err)
	}
	closed := s.closed.Load()
	behind, top, err := s.journalAhead(ctx, closed)
	if err != nil || (!behind && top <= s.early.Load() && !s.pruneDue()) {
		return 0, err
	}
	var n int
	err = s.update(ctx, "queueing webhook deliveries", ledger.Actor{Admin: true}, "", lockUnrelated, func(w *wtx) error {
		var err error
		if err := s.prune(w); err != nil {
			return err
		}
		if n, err = followJournal(w, closed, limit); err != nil {
			return err
		}
		return s.followEarly(w, closed, top, limit)
	})
	return n, err
}

// journalAhead reports, without a write, whether the cursor is behind the closed mark,
// and the journal's highest seq.
func (s *Webhooks) journalAhead(ctx context.Context, closed int64) (bool, int64, error) {
	var c cursor
	var top int64
	err := s.reader(ctx).row(`SELECT height, seq, (SELECT COALESCE(MAX(seq), 0) FROM journal) FROM webhook_cursor WHERE id = 1`).
		Scan(&c.height, &c.seq, &top)
	if err != nil {
		return false, 0, s.internal("reading the webhook cursor", err)
	}
	return c.before(cursor{closed, 0}), top, nil
}

// followEarly queues the events of up to limit committed transactions of the open blocks
// (at or above closed) with seqs past the highest the early pass saw, up to top, and
// remembers how far it read. Should the transaction roll back, the cursor's pass queues
// them all the same, later.
func (s *Webhooks) followEarly(w *wtx, closed, top int64, limit int) error {
	from := s.early.Load()
	hooks, err := loadHooks(w)
	if err != nil {
		return err
	}
	kinds := wantedKinds(hooks)
	if len(kinds) == 0 || top <= from {
		s.raiseEarly(top)
		return nil
	}
	rows, err := readJournal(w, `seq > ? AND seq <= ? AND height >= ?`, []any{from, top, closed}, kinds, `seq`, limit)
	if err != nil {
		return err
	}
	if err := queueJournalRows(w, hooks, rows); err != nil {
		return err
	}
	if len(rows) == limit {
		top = rows[len(rows)-1].at.seq
	}
	s.raiseEarly(top)
	return nil
}

// raiseEarly moves the early pass's mark up to seq; it never goes down.
func (s *Webhooks) raiseEarly(seq int64) {
	for {
		old := s.early.Load()
		if seq <= old || s.early.CompareAndSwap(old, seq) {
			return
		}
	}
}

// followJournal queues the events of the rows past the cursor below closed, for the
// endpoints that want them, and moves the cursor past them. Without endpoints wanting
// any event, it moves the cursor to closed at once.
func followJournal(w *wtx, closed int64, limit int) (int, error) {
	if err := lockCursor(w); err != nil {
		return 0, err
	}
	var at cursor
	if err := w.row(`SELECT height, seq FROM webhook_cursor WHERE id = 1`).Scan(&at.height, &at.seq); err != nil {
		return 0, err
	}
	hooks, err := loadHooks(w)
	if err != nil {
		return 0, err
	}
	end := cursor{closed, 0}
	n := 0
	if kinds := wantedKinds(hooks); len(kinds) > 0 {
		last, read, err := queueRows(w, hooks, kinds, at, closed, limit)
		if err != nil {
			return 0, err
		}
		if n = read; n == limit {
			end = last
		}
	}
	if !at.before(end) {
		return n, nil
	}
	_, err = w.exec(`UPDATE webhook_cursor SET height = ?, seq = ? WHERE id = 1`, end.height, end.seq)
	return n, err
}

func loadHooks(w *wtx) ([]hook, error) {
	rows, err := w.rows(`SELECT id, owner, events, created_at FROM webhooks ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hook
	for rows.Next() {
		var h hook
		var events string
		if err := rows.Scan(&h.id, &h.owner, &events, &h.created); err != nil {
			return nil, err
		}
		h.events = strings.Split(events, ",")
		out = append(out, h)
	}
	return out, rows.Err()
}

// wantedKinds returns the journal kinds that make an event some endpoint wants.
func wantedKinds(hooks []hook) []string {
	var kinds []string
	for _, k := range ledger.WebhookKinds {
		for _, name := range kindEvents[k] {
			if slices.ContainsFunc(hooks, func(h hook) bool { return slices.Contains(h.events, name) }) && !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	return kinds
}

// kindEvents are the events each journal kind can make (ledger.WebhookEventsOf).
var kindEvents = map[string][]string{
	ledger.TxTicketsHeld:      {ledger.EventNewBooking, ledger.EventBookingTicketsUpdated},
	ledger.TxTicketFreed:      {ledger.EventBookingTicketsDeleted, ledger.EventBookingTicketsUpdated},
	ledger.TxHoldExpired:      {ledger.EventBookingTicketsDeleted, ledger.EventBookingTicketsUpdated, ledger.EventBookingCancelled},
	ledger.TxBookingCancelled: {ledger.EventBookingTicketsDeleted, ledger.EventBookingTicketsUpdated, ledger.EventBookingCancelled},
	ledger.TxBookingConfirmed: {ledger.EventBookingConfirmed, ledger.EventNewPayment},
	ledger.TxTicketsReserved:  {ledger.EventNewPayment},
	ledger.TxCustomerCreated:  {ledger.EventNewPerson},
	ledger.TxCheckIn:          {ledger.EventTicketCheckedIn},
}

// journalRow is a transaction read for following.
type journalRow struct {
	at   cursor
	hash string
	body ledger.TxBody
}

// queueRows reads up to limit rows of the kinds past at below closed and queues their
// events; it returns the last row's place and how many it read.
func queueRows(w *wtx, hooks []hook, kinds []string, at cursor, closed int64, limit int) (cursor, int, error) {
	rows, err := readJournal(w, `height < ? AND (height > ? OR (height = ? AND seq > ?))`,
		[]any{closed, at.height, at.height, at.seq}, kinds, `height, seq`, limit)
	if err != nil || len(rows) == 0 {
		return at, 0, err
	}
	if err := queueJournalRows(w, hooks, rows); err != nil {
		return at, 0, err
	}
	return rows[len(rows)-1].at, len(rows), nil
}

// queueJournalRows queues the events of the rows.
func queueJournalRows(w *wtx, hooks []hook, rows []journalRow) error {
	owners := map[string]string{}
	for _, r := range rows {
		audience, err := eventAudience(w, r.body, owners)
		if err != nil {
			return err
		}
		events, err := ledger.WebhookEventsOf(r.body, r.hash)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := queueEvent(w, hooks, audience, r, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// readJournal reads up to limit journal rows of the kinds where the condition holds, in
// the order given.
func readJournal(w *wtx, where string, args []any, kinds []string, order string, limit int) ([]journalRow, error) {
	q := `SELECT height, seq, hash, body FROM journal WHERE ` + where + `
		AND kind IN (` + strings.Repeat("?, ", len(kinds)-1) + `?) ORDER BY ` + order + ` LIMIT ?`
	for _, k := range kinds {
		args = append(args, k)
	}
	rows, err := w.rows(q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []journalRow
	for rows.Next() {
		var r journalRow
		var body string
		if err := rows.Scan(&r.at.height, &r.at.seq, &r.hash, &body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &r.body); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// eventAudience returns whose endpoints hear of a transaction: the owner of its contract
// as it is now, or for a customer's (no contract) the key that made it.
func eventAudience(w *wtx, b ledger.TxBody, owners map[string]string) (string, error) {
	if b.Contract == "" {
		return b.Actor, nil
	}
	if o, ok := owners[b.Contract]; ok {
		return o, nil
	}
	var o string
	if err := w.row(`SELECT owner FROM contracts WHERE address = ?`, b.Contract).Scan(&o); err != nil {
		return "", err
	}
	owners[b.Contract] = o
	return o, nil
}

// queueEvent queues the event for every endpoint of the audience (or the
// administrator's) that wants it and was registered before the transaction.
func queueEvent(w *wtx, hooks []hook, audience string, r journalRow, e ledger.WebhookEvent) error {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		if (h.owner != audience && h.owner != "admin") || !slices.Contains(h.events, e.Name) || r.body.Time < h.created {
			continue
		}
		if _, err := w.exec(`INSERT INTO webhook_deliveries (id, webhook, event_key, event, tx_hash, tx_time, data, state, next_at)
			SELECT COALESCE(MAX(id), 0) + 1, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT),
			CAST(? AS TEXT), 'pending', CAST(? AS BIGINT) FROM webhook_deliveries WHERE true
			ON CONFLICT (webhook, event_key) DO NOTHING`,
			h.id, e.Key, e.Name, r.hash, r.body.Time, string(data), w.now.UnixNano()); err != nil {
			return err
		}
	}
	return nil
}
