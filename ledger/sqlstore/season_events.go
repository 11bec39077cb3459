package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Season answers the reads of the season-ticketing command API (ledger.SeasonRecords):
// the contracts on sale as events, with their seats counted by status, found by the show
// times of the sales (a scan of the contracts whose sale is active, which the sales'
// primary key joins), and the database's status for ping. It writes nothing of its own
// here; the accounts' table is in season_accounts.go.
type Season struct {
	*db
}

var _ ledger.SeasonRecords = (*Season)(nil)

// seasonEventsSQL finds the active sales' contracts in a window of show times, in the
// order of the show time and the address; the caller appends the venue, the page's start
// and the limit.
const seasonEventsSQL = `SELECT c.address FROM contracts c JOIN sales s ON s.contract = c.address AND s.number = c.sale_number
	WHERE c.sale_active = 1 AND s.show_time >= ? AND s.show_time < ?`

// SeasonEvents returns the events the query finds, each with its seats counted.
func (s *Season) SeasonEvents(ctx context.Context, q ledger.SeasonEventQuery) ([]ledger.SeasonEvent, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer)
	if err != nil {
		return nil, err
	}
	if q, err = checkSeasonQuery(q); err != nil {
		return nil, err
	}
	query, args := seasonEventsSQL, []any{q.From.Unix(), q.To.Unix()}
	if q.Venue != "" {
		query, args = query+` AND LOWER(c.venue) = ?`, append(args, strings.ToLower(q.Venue))
	}
	if actor.Role == ledger.RoleOrganizer && !actor.Admin {
		query, args = query+` AND c.owner = ?`, append(args, actor.ID())
	}
	if q.After != "" {
		after, err := s.SeasonEvent(ctx, q.After)
		if err != nil {
			return nil, err
		}
		t := after.Contract.Sale.Details.Time
		query, args = query+` AND (s.show_time > ? OR (s.show_time = ? AND c.address > ?))`, append(args, t, t, q.After)
	}
	addresses, err := s.reader(ctx).strings(query+` ORDER BY s.show_time, c.address LIMIT `+strconv.Itoa(q.Limit), args...)
	if err != nil {
		return nil, s.internal("listing the events", err)
	}
	return s.seasonEvents(ctx, actor, addresses)
}

// checkSeasonQuery fills the query's default limit and checks its bounds.
func checkSeasonQuery(q ledger.SeasonEventQuery) (ledger.SeasonEventQuery, error) {
	switch {
	case q.Limit == 0:
		q.Limit = ledger.DefaultSeasonEvents
	case q.Limit < 0 || q.Limit > ledger.MaxSeasonEvents:
		return q, ledger.Errorf(ledger.EINVALID, "An event list holds 1 to %d events, not %d", ledger.MaxSeasonEvents, q.Limit)
	}
	if q.To.Before(q.From) {
		return q, ledger.Errorf(ledger.EINVALID, "The end date %s is before the start date %s", q.To.Format("2006-01-02"), q.From.Format("2006-01-02"))
	}
	return q, nil
}

// seasonEvents reads each address's contract as an event.
func (s *Season) seasonEvents(ctx context.Context, actor ledger.Actor, addresses []string) ([]ledger.SeasonEvent, error) {
	out := make([]ledger.SeasonEvent, 0, len(addresses))
	for _, a := range addresses {
		e, err := s.event(ctx, actor, a)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			continue // its sale ended since it was listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// SeasonEvent returns the contract at address as an event: ENOTFOUND unless its latest
// sale is active (or for another organizer's contract, to an organizer key).
func (s *Season) SeasonEvent(ctx context.Context, address string) (ledger.SeasonEvent, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer)
	if err != nil {
		return ledger.SeasonEvent{}, err
	}
	return s.event(ctx, actor, address)
}

// event reads the contract, its sale's ticket types and its seats' counts by status.
func (s *Season) event(ctx context.Context, actor ledger.Actor, address string) (ledger.SeasonEvent, error) {
	if ledger.ValidateAddress(address) != nil {
		return ledger.SeasonEvent{}, noEvent(address)
	}
	c, err := readContract(ctx, s.db, address)
	if err != nil {
		return ledger.SeasonEvent{}, err
	}
	if c.Sale == nil || !c.Sale.Active || ledger.AuthorizeSeller(actor, c.Owner, address) != nil {
		return ledger.SeasonEvent{}, noEvent(address)
	}
	counts, err := s.statusCounts(ctx, address, c.Sale.Number)
	if err != nil {
		return ledger.SeasonEvent{}, s.internal("counting the event's seats", err)
	}
	return ledger.SeasonEvent{Contract: c, Counts: counts}, nil
}

// noEvent is the ENOTFOUND of an address that is no event.
func noEvent(address string) error {
	return ledger.Errorf(ledger.ENOTFOUND, "There is no event %q: an event is a contract whose sale is active", clipRunes(address, 60))
}

// statusCounts counts the sale's tickets by their status now (statusRank).
func (s *Season) statusCounts(ctx context.Context, address string, sale int64) (map[string]int, error) {
	rows, err := s.reader(ctx).rows(`SELECT `+statusRank+` AS rank, COUNT(*) FROM tickets t
		WHERE t.contract = ? AND t.sale = ? GROUP BY rank`, s.now().UnixNano(), address, sale)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := make(map[string]int, len(ledger.TicketStatuses))
	for _, st := range ledger.TicketStatuses {
		counts[st] = 0
	}
	for rows.Next() {
		var rank, n int
		if err := rows.Scan(&rank, &n); err != nil {
			return nil, err
		}
		if rank >= 0 && rank < len(ledger.TicketStatuses) {
			counts[ledger.TicketStatuses[rank]] = n
		}
	}
	return counts, rows.Err()
}

// DatabaseStatus pings the read pool and counts the pools' open connections.
func (s *Season) DatabaseStatus(ctx context.Context) ledger.DatabaseStatus {
	st := ledger.DatabaseStatus{Available: s.read.PingContext(ctx) == nil, Connections: s.read.Stats().OpenConnections}
	if s.write != s.read {
		st.Connections += s.write.Stats().OpenConnections
	}
	return st
}
