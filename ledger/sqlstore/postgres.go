package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// defaultPostgresConns is the size of a process's PostgreSQL pool, shared by reads and
// writes, unless the URL sets pool_max_conns. Requests beyond it wait for a connection:
// on a small machine a few busy backends get more done than many thrashing ones, and
// several servers stay well under PostgreSQL's default of 100 connections.
const defaultPostgresConns = 8

// IsPostgres reports whether db names a PostgreSQL database rather than a SQLite file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openPostgres connects through pgx's database/sql driver, so every statement of the
// ledger runs through the same database/sql code as on SQLite. The URL is pgx's (libpq's
// keywords as query parameters), plus pool_max_conns for the pool's size.
func (s *db) openPostgres(ctx context.Context, dsn string, serving bool) error {
	pool, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return ledger.Errorf(ledger.EINVALID, "cannot use database URL: %v", err)
	}
	cfg, conns := pool.ConnConfig, defaultPostgresConns
	if strings.Contains(dsn, "pool_max_conns") {
		conns = int(pool.MaxConns)
	}
	s.d = postgresDialect
	s.name = "postgres://" + cfg.Host + ":" + strconv.Itoa(int(cfg.Port)) + "/" + cfg.Database
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ping, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(ping); err != nil {
		db.Close()
		// Not the caller's mistake as such: the server may be down for a moment.
		return ledger.Errorf(ledger.EINTERNAL, "cannot reach PostgreSQL database %s: %v", s.name, scrub(err, cfg))
	}
	if serving {
		db.SetConnMaxIdleTime(0)
		warm(ping, db, conns)
	}
	s.read, s.write = db, db
	s.writeSlots = make(chan struct{}, conns)
	return nil
}

// warm opens n connections of the pool and hands them back to it, where they stay idle.
// A connection that cannot be made now is made when it is needed.
func warm(ctx context.Context, db *sql.DB, n int) {
	var held []*sql.Conn
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			break
		}
		held = append(held, c)
		warmConn(ctx, c)
	}
	for _, c := range held {
		c.Close()
	}
}

// warmConn has the connection's server process plan the statements of a purchase once
// (EXPLAIN, which changes nothing), so that it has read the tables' definitions and
// statistics before the first buyer comes: a cold process takes about 10 ms longer
// for its first purchase.
func warmConn(ctx context.Context, c *sql.Conn) {
	const none = "1111111111111111111111111111111111" // no contract has this address
	d := postgresDialect
	for _, st := range []struct {
		q    string
		args []any
	}{
		{contractQuery, []any{none}},
		{takeSQL, takeArgs(none, ledger.SealedTicket{Seat: ledger.Seat{Number: 1}}, seller{sender: "warm-up"}, 0)},
		{keyQuery, []any{"warm-up"}},
		{pipelineJournalSQL(d), []any{"", 0, none, "", ""}}, // already bound: binding again changes nothing
	} {
		if rows, err := c.QueryContext(ctx, "EXPLAIN "+d.bind(st.q), st.args...); err == nil {
			rows.Close()
		}
	}
}

// writeConn returns a connection of the pool for one write transaction, and the function
// that hands it back. Writers wait for one in the order they came: database/sql gives a
// freed connection to a waiter chosen at random, which in a rush leaves some buyers
// waiting many times longer than others.
func (s *db) writeConn(ctx context.Context) (*sql.Conn, func(), error) {
	select {
	case s.writeSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		<-s.writeSlots
		return nil, nil, err
	}
	return conn, func() { conn.Close(); <-s.writeSlots }, nil
}

// scrub removes the password from an error message, in case a driver quotes it.
func scrub(err error, cfg *pgx.ConnConfig) string {
	msg := err.Error()
	if cfg != nil && cfg.Password != "" {
		msg = strings.ReplaceAll(msg, cfg.Password, "********")
	}
	return msg
}
