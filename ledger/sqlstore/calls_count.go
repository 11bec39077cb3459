package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// meterTimeout bounds one batch's transaction.
const meterTimeout = 10 * time.Second

// count judges the batch's calls in one transaction, running it again after a failure
// the database says may simply be retried (on PostgreSQL, a deadlock or a serialization
// failure). Each call's verdict is set; they hold only when count returns nil.
func (c *Calls) count(batch []*meteredCall) error {
	for attempt := 1; ; attempt++ {
		err := c.countOnce(batch)
		if err == nil || attempt == maxAttempts || !c.d.retryable(err) {
			return err
		}
	}
}

// countOnce locks the counters of the batch's keys, judges its calls in their order and
// writes the counters back, in one transaction.
func (c *Calls) countOnce(batch []*meteredCall) error {
	ctx, cancel := context.WithTimeout(context.Background(), meterTimeout)
	defer cancel()
	tx, err := c.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r := c.writer(ctx, tx)
	keys := batchKeys(batch)
	counters, err := c.lockCounters(r, keys)
	if err != nil {
		return err
	}
	if len(counters) != len(keys) {
		return fmt.Errorf("the counters of %d keys came back for %d", len(counters), len(keys))
	}
	now := c.now()
	for _, m := range batch {
		m.verdict = counters[m.key].judge(now, m.grant)
	}
	if err := c.writeCounters(r, counters); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if c.wstmts != nil { // SQLite: prepare the statements, now that the connection is free
		if err := c.wstmts.prepareWanted(ctx); err != nil {
			c.log.Warn("ledger store", "op", "preparing the call counters' statements", "err", err)
		}
	}
	return nil
}

// batchKeys returns the distinct keys of the batch, lowest first: every server locks
// counters in that order, so two batches never wait for each other in a cycle.
func batchKeys(batch []*meteredCall) []int64 {
	keys := make([]int64, 0, len(batch))
	for _, m := range batch {
		keys = append(keys, m.key)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// lockCounters reads the keys' counters, creating those missing, and holds them until
// the transaction ends: an upsert that changes nothing takes the row's lock on
// PostgreSQL and returns its latest committed values; SQLite's transaction holds the
// database's write lock from its start.
func (c *Calls) lockCounters(r runner, keys []int64) (map[int64]*callCounter, error) {
	rows, err := c.lockRows(r, keys)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counters := make(map[int64]*callCounter, len(keys))
	for rows.Next() {
		k := &callCounter{}
		if err := rows.Scan(&k.key, &k.minute, &k.minuteCalls, &k.minuteRefused, &k.day, &k.dayCalls, &k.dayRefused); err != nil {
			return nil, err
		}
		counters[k.key] = k
	}
	return counters, rows.Err()
}

// The counters' statements on SQLite take the batch as one JSON parameter, so their text
// is fixed and each is prepared once: parsing a statement of many rows costs more than
// running it. PostgreSQL gets statements of as many rows as keys (pgx keeps their
// preparations itself).
const (
	lockCountersSQLite = `INSERT INTO partner_calls (key_id, minute, minute_calls, minute_refused, day, day_calls, day_refused)
		SELECT value, 0, 0, 0, 0, 0, 0 FROM json_each(?) WHERE true
		ON CONFLICT (key_id) DO UPDATE SET minute = partner_calls.minute
		RETURNING key_id, minute, minute_calls, minute_refused, day, day_calls, day_refused`
	writeCountersSQLite = `UPDATE partner_calls SET minute = c.value ->> 1, minute_calls = c.value ->> 2,
		minute_refused = c.value ->> 3, day = c.value ->> 4, day_calls = c.value ->> 5, day_refused = c.value ->> 6
		FROM json_each(?) AS c WHERE partner_calls.key_id = c.value ->> 0`
)

// lockRows runs the upsert that locks the keys' counters and returns them.
func (c *Calls) lockRows(r runner, keys []int64) (*sql.Rows, error) {
	if c.d.batch {
		list, err := json.Marshal(keys)
		if err != nil {
			return nil, err
		}
		return r.rows(lockCountersSQLite, string(list))
	}
	args := make([]any, 0, len(keys))
	for _, k := range keys {
		args = append(args, k)
	}
	r.stmts = nil
	return r.rows(`INSERT INTO partner_calls (key_id, minute, minute_calls, minute_refused, day, day_calls, day_refused) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, 0, 0, 0, 0, 0, 0), ", len(keys)), ", ")+` ON CONFLICT (key_id) DO UPDATE SET minute = partner_calls.minute
		RETURNING key_id, minute, minute_calls, minute_refused, day, day_calls, day_refused`, args...)
}

// writeCounters writes the counters back, in one statement.
func (c *Calls) writeCounters(r runner, counters map[int64]*callCounter) error {
	args := make([]any, 0, 7*len(counters))
	for _, k := range counters {
		args = append(args, k.key, k.minute, k.minuteCalls, k.minuteRefused, k.day, k.dayCalls, k.dayRefused)
	}
	if c.d.batch {
		list := make([][]any, 0, len(counters))
		for i := 0; i < len(args); i += 7 {
			list = append(list, args[i:i+7])
		}
		data, err := json.Marshal(list)
		if err != nil {
			return err
		}
		_, err = r.exec(writeCountersSQLite, string(data))
		return err
	}
	r.stmts = nil
	_, err := r.exec(`INSERT INTO partner_calls (key_id, minute, minute_calls, minute_refused, day, day_calls, day_refused) VALUES `+
		valuesList(len(counters), 7)+` ON CONFLICT (key_id) DO UPDATE SET minute = excluded.minute, minute_calls = excluded.minute_calls,
		minute_refused = excluded.minute_refused, day = excluded.day, day_calls = excluded.day_calls, day_refused = excluded.day_refused`, args...)
	return err
}
