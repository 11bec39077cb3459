package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtCache keeps one prepared statement per query text on a SQLite pool, so hot
// statements are parsed once per connection rather than once per call. (pgx caches
// prepared statements per connection by itself, so PostgreSQL's store has none.)
//
// A statement is prepared on the pool, which needs a free connection. Inside a
// transaction on SQLite's single write connection there is none, so there a statement
// not cached yet runs unprepared and is noted as wanted; the writer prepares what is
// wanted between transactions.
type stmtCache struct {
	db     *sql.DB
	d      *dialect
	mu     sync.RWMutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

func newStmtCache(db *sql.DB, d *dialect) *stmtCache {
	return &stmtCache{db: db, d: d, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// lookup returns the cached statement of q, or notes q as wanted.
func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.RLock()
	st := c.m[q]
	c.mu.RUnlock()
	if st == nil {
		c.mu.Lock()
		c.wanted[q] = true
		c.mu.Unlock()
	}
	return st
}

// get returns the prepared statement of q (written with ? placeholders), preparing it
// on the pool if needed.
func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.m[q]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, c.d.bind(q))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok {
		st.Close()
		return old, nil
	}
	c.m[q] = st
	delete(c.wanted, q)
	return st, nil
}

// prepareWanted prepares the statements transactions asked for; it must run while the
// pool has a free connection.
func (c *stmtCache) prepareWanted(ctx context.Context) error {
	c.mu.RLock()
	var qs []string
	for q := range c.wanted {
		qs = append(qs, q)
	}
	c.mu.RUnlock()
	for _, q := range qs {
		if _, err := c.get(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// querier is what runs statements: a pool, a connection or a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// runner runs the store's statements through q: a pool, a connection holding a
// transaction, or tx when that is set (and then q is tx). stmts is nil when statements
// are not cached (PostgreSQL).
type runner struct {
	ctx   context.Context
	q     querier
	tx    *sql.Tx
	d     *dialect
	stmts *stmtCache
}

// scanner is a *sql.Row, or a failure to prepare that Scan reports.
type scanner interface{ Scan(dest ...any) error }

type failedRow struct{ err error }

func (r failedRow) Scan(...any) error { return r.err }

// cached returns q's cached statement, bound to the transaction when there is one, or
// nil when q is to run unprepared.
func (r runner) cached(q string) (*sql.Stmt, error) {
	switch {
	case r.stmts == nil:
		return nil, nil
	case r.tx != nil:
		if st := r.stmts.lookup(q); st != nil {
			return r.tx.StmtContext(r.ctx, st), nil
		}
		return nil, nil
	}
	return r.stmts.get(r.ctx, q)
}

// prepared returns a statement of q for running many times; a transaction's own
// statements close with it.
func (r runner) prepared(q string) (*sql.Stmt, error) {
	if st, err := r.cached(q); st != nil || err != nil {
		return st, err
	}
	return r.q.PrepareContext(r.ctx, r.d.bind(q))
}

func (r runner) exec(q string, args ...any) (sql.Result, error) {
	st, err := r.cached(q)
	switch {
	case err != nil:
		return nil, err
	case st != nil:
		return st.ExecContext(r.ctx, args...)
	}
	return r.q.ExecContext(r.ctx, r.d.bind(q), args...)
}

func (r runner) row(q string, args ...any) scanner {
	st, err := r.cached(q)
	switch {
	case err != nil:
		return failedRow{err}
	case st != nil:
		return st.QueryRowContext(r.ctx, args...)
	}
	return r.q.QueryRowContext(r.ctx, r.d.bind(q), args...)
}

func (r runner) rows(q string, args ...any) (*sql.Rows, error) {
	st, err := r.cached(q)
	switch {
	case err != nil:
		return nil, err
	case st != nil:
		return st.QueryContext(r.ctx, args...)
	}
	return r.q.QueryContext(r.ctx, r.d.bind(q), args...)
}

// int64s and strings read a one-column result.
func (r runner) int64s(q string, args ...any) ([]int64, error) {
	rows, err := r.rows(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (r runner) strings(q string, args ...any) ([]string, error) {
	rows, err := r.rows(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// rowsPerInsert is how many rows one multi-row INSERT carries: a 60,000-seat venue goes in
// 240 statements, well under either engine's limit on parameters.
const rowsPerInsert = 250

// insertRows inserts n rows with insert (ending in VALUES ), row appending the values of
// row i to args, in multi-row statements.
func (r runner) insertRows(insert string, n int, row func(i int, args []any) []any) error {
	var args []any
	for start := 0; start < n; start += rowsPerInsert {
		end := min(start+rowsPerInsert, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if _, err := r.exec(insert+valuesList(end-start, len(args)/(end-start)), args...); err != nil {
			return err
		}
	}
	return nil
}

// valuesList returns "(?, ?), (?, ?)" for rows of cols values.
func valuesList(rows, cols int) string {
	one := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(one+", ", rows-1) + one
}
