package sqlstore

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TicketListPlan returns the query plan of the ticket list's count and page statements
// for q, as the administrator asks: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's
// EXPLAIN lines.
func TicketListPlan(s *Store, ctx context.Context, q ledger.TicketQuery) ([]string, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	r, now := s.db.reader(ctx), s.db.now()
	found, _, err := s.TicketLists.where(r, ledger.Actor{Admin: true}, q, now)
	if err != nil {
		return nil, err
	}
	page, args, err := pageQuery(q, found, now)
	if err != nil {
		return nil, err
	}
	explain, column := `EXPLAIN QUERY PLAN `, 3
	if s.db.d.name != "sqlite" {
		explain, column = `EXPLAIN `, 0
	}
	var plan []string
	for _, st := range []struct {
		query string
		args  []any
	}{{`SELECT COUNT(*) FROM tickets t WHERE ` + found.sql(), found.args}, {page, args}} {
		rows, err := r.q.QueryContext(ctx, r.d.bind(explain+st.query), st.args...)
		if err != nil {
			return nil, err
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			if s, ok := vals[min(column, len(vals)-1)].(string); ok {
				plan = append(plan, s)
			} else if b, ok := vals[min(column, len(vals)-1)].([]byte); ok {
				plan = append(plan, string(b))
			}
		}
		rows.Close()
	}
	return plan, nil
}
