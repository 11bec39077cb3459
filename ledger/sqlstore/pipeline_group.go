package sqlstore

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// One pipelined group of reservations (see pipeline.go): its two round trips as named
// steps, and the checks it makes between them.

// groupTake is one seat of one order of a group.
type groupTake struct {
	r    *reservation
	i    int // the ticket's position in the order
	seat ledger.Seat
}

// lockOrder sorts a group's seats by contract and seat: two groups racing for the same
// seats then wait for each other instead of deadlocking.
func lockOrder(a, b groupTake) int {
	return cmp.Or(cmp.Compare(a.r.address, b.r.address), cmp.Compare(a.seat.Section, b.seat.Section),
		cmp.Compare(a.seat.Number, b.seat.Number), cmp.Compare(a.seat.Letter, b.seat.Letter))
}

// pgGroup is one group of reservations on its way through the two pipelines: what the
// first one sends, and what it read back.
type pgGroup struct {
	s         *Selling
	w         *wtx // the group's height, time and journal encoding; it runs no statement
	orders    []*reservation
	addresses []string    // the contracts of the orders, each once
	takes     []groupTake // every seat of every order, in lock order
	// What the first pipeline read.
	contracts map[string]ledger.Contract // the contracts that exist
	closed    int64                      // the closed mark
	taken     map[*reservation][]takenSeat
	count     map[*reservation]int // how many of its seats each order took
}

// groupVerdict sorts a group's orders on what the first pipeline read. The orders in
// none of its lists leave the group and run as the ordinary write.
type groupVerdict struct {
	ok      []success      // took all their seats and pass every check
	refused []*reservation // took no seat where nothing but their seats stood in the way
	dirty   bool           // an order holds seats it must not keep: the group rolls back
}

// success is an order of the group that will commit: its effect, then its receipt once
// its journal row is queued.
type success struct {
	r       *reservation
	eff     ledger.TicketsReservedEffect
	receipt ledger.Receipt
}

// pipelineGroup runs one group in two round trips: it takes the seats, sorts the orders
// on what came back, and either rolls back to run the group again without the orders
// that hold seats they must not keep, or writes the journal and commits. bad reports a
// connection left in an unknown state.
func (s *Selling) pipelineGroup(ctx context.Context, pc *pgx.Conn, group []*reservation) (again []*reservation, bad bool, err error) {
	g := s.newGroup(group)
	if err := g.takeSeats(ctx, pc); err != nil {
		return nil, !rollback(ctx, pc), err
	}
	v := g.judge()
	if v.dirty {
		return retryWithout(ctx, pc, v.ok)
	}
	bad, err = g.commit(ctx, pc, &v)
	return nil, bad, err
}

// newGroup starts a group at the store's current height: its contracts, and its seats in
// lock order.
func (s *Selling) newGroup(group []*reservation) *pgGroup {
	g := &pgGroup{s: s, w: s.newWtx(runner{}, ledger.Actor{}, s.now()), orders: group,
		contracts: map[string]ledger.Contract{}, taken: map[*reservation][]takenSeat{}, count: map[*reservation]int{}}
	for _, r := range group {
		if !slices.Contains(g.addresses, r.address) {
			g.addresses = append(g.addresses, r.address)
		}
		g.taken[r] = make([]takenSeat, len(r.order.Tickets))
		for i, t := range r.order.Tickets {
			g.takes = append(g.takes, groupTake{r: r, i: i, seat: t.Seat})
		}
	}
	slices.SortStableFunc(g.takes, lockOrder)
	return g
}

// takeSeats sends the first pipeline (BEGIN, the locks, the contracts, the closed mark,
// takeSQL for every seat) and reads back what it found.
func (g *pgGroup) takeSeats(ctx context.Context, pc *pgx.Conn) error {
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(g.s.d.sharedLocksSQL(g.addresses))
	for _, a := range g.addresses {
		b.Queue(g.s.d.bind(contractQuery), a)
	}
	b.Queue(closedQuery)
	for _, t := range g.takes {
		b.Queue(g.s.d.bind(takeSQL), takeArgs(t.r.address, t.r.order.Tickets[t.i], g.s.seller(t.r), g.w.height)...)
	}
	br := pc.SendBatch(ctx, b)
	err := g.readFirst(br)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

// readFirst reads the first pipeline's results in the order takeSeats queued them.
func (g *pgGroup) readFirst(br pgx.BatchResults) error {
	for range 2 { // BEGIN, the locks
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	if err := g.readContracts(br); err != nil {
		return err
	}
	if err := br.QueryRow().Scan(&g.closed); err != nil {
		return err
	}
	return g.readTakes(br)
}

// readContracts reads the group's contracts. One that does not exist is left out: its
// orders took no seat and run as ordinary writes.
func (g *pgGroup) readContracts(br pgx.BatchResults) error {
	for _, a := range g.addresses {
		c, err := scanContract(br.QueryRow(), a)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		g.contracts[a] = c
	}
	return nil
}

// readTakes reads which seats takeSQL took, and their indexes and prices.
func (g *pgGroup) readTakes(br pgx.BatchResults) error {
	for _, t := range g.takes {
		ts := &g.taken[t.r][t.i]
		err := br.QueryRow().Scan(&ts.idx, &ts.price)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // not available, or no such seat
		}
		if err != nil {
			return err
		}
		g.count[t.r]++
	}
	return nil
}

// judge sorts the orders on what the first pipeline read, by the checks of writeContract
// (asSeller) and reserveAll. An order refused for want of funds has taken its seats: it makes the group
// roll back, and the ordinary write words the refusal. An order whose height was below
// the closed mark took no seat and leaves the group: the ordinary write runs above it.
func (g *pgGroup) judge() groupVerdict {
	var v groupVerdict
	for _, r := range g.orders {
		c, found := g.contracts[r.address]
		fine := found && reservable(r.actor, c, r.order, g.w.height)
		switch {
		case fine && g.count[r] == len(r.order.Tickets):
			eff, err := orderEffect(ledger.TicketsReservedEffect{Holder: g.s.seller(r).holder, Sale: c.Sale.Number}, r.order, g.taken[r])
			if err != nil {
				v.dirty = true
				continue
			}
			v.ok = append(v.ok, success{r: r, eff: eff})
		case g.count[r] > 0:
			v.dirty = true // it holds seats it must not keep
		case fine && g.closed <= g.w.height:
			v.refused = append(v.refused, r)
		}
	}
	return v
}

// retryWithout rolls the group back and returns the orders that passed, to run again as
// a group; the others run as ordinary writes.
func retryWithout(ctx context.Context, pc *pgx.Conn, ok []success) (again []*reservation, bad bool, err error) {
	if !rollback(ctx, pc) {
		return nil, true, errors.New("rolling back a group failed")
	}
	for _, o := range ok {
		again = append(again, o.r)
	}
	return again, false, nil
}

// commit sends the second pipeline and answers the orders of the verdict: the ones that
// succeeded with their receipts, the refused ones with their refusals. bad reports a
// connection left in an unknown state.
func (g *pgGroup) commit(ctx context.Context, pc *pgx.Conn, v *groupVerdict) (bad bool, err error) {
	b, err := g.journalBatch(v)
	if err != nil {
		return !rollback(ctx, pc), err
	}
	refusals, err := g.s.finishGroup(ctx, pc, b, len(v.ok), v.refused)
	if err != nil {
		return commitFailed(ctx, pc, v.ok, err)
	}
	for _, o := range v.ok {
		o.r.out, o.r.done = orderReceipt(o.receipt, o.eff), true
	}
	for k, r := range v.refused {
		r.done, r.err = refusals[k] != nil, refusals[k] // nil: it runs as the ordinary write
	}
	g.s.pipelined.Add(int64(len(v.ok)))
	return false, nil
}

// journalBatch queues the second pipeline: a journal row for each order that succeeded
// (setting its receipt); for each order refused, whether its seats exist (to word the
// refusal as reserveAll would); then COMMIT, or ROLLBACK when nothing succeeded.
func (g *pgGroup) journalBatch(v *groupVerdict) (*pgx.Batch, error) {
	b := &pgx.Batch{}
	for k := range v.ok {
		o := &v.ok[k]
		g.w.actor = o.r.actor
		body, data, hash, err := g.w.encode(ledger.TxTicketsReserved, o.r.address, o.eff)
		if err != nil {
			return nil, err
		}
		o.receipt = receiptOf(body, hash)
		b.Queue(pipelineJournalSQL(g.s.d), hash, g.w.height, o.r.address, ledger.TxTicketsReserved, string(data))
	}
	for _, r := range v.refused {
		for _, t := range r.order.Tickets {
			b.Queue(g.s.d.bind(refusedSeatSQL), g.w.now.UnixNano(), r.address, t.Seat.Section, t.Seat.Number, t.Seat.Letter)
		}
	}
	end := "COMMIT"
	if len(v.ok) == 0 {
		end = "ROLLBACK"
	}
	b.Queue(end)
	return b, nil
}

// commitFailed handles a second pipeline that failed. When the server refused a
// statement or the commit, or there was nothing to commit, nothing was committed: the
// transaction is rolled back and every order runs as the ordinary write. Otherwise the
// connection failed after COMMIT was sent, and whether the orders committed is unknown:
// those that would have are answered with the error (an internal error for their
// buyers), and the connection is discarded.
func commitFailed(ctx context.Context, pc *pgx.Conn, ok []success, err error) (bad bool, _ error) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) || len(ok) == 0 {
		return !rollback(ctx, pc), err
	}
	for _, o := range ok {
		o.r.done, o.r.err = true, err
	}
	return true, err
}

// finishGroup sends the second pipeline (inserts journal rows, then for each refused
// order looks up its seats, then ends the transaction) and returns each refused order's
// refusal.
func (s *Selling) finishGroup(ctx context.Context, pc *pgx.Conn, b *pgx.Batch, inserts int, refused []*reservation) ([]error, error) {
	br := pc.SendBatch(ctx, b)
	var err error
	for range inserts {
		if _, err = br.Exec(); err != nil {
			break
		}
	}
	var refusals []error
	if err == nil {
		refusals, err = readRefusals(br, refused)
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return refusals, err
}

// refusedSeatSQL looks up a seat of a refused order: its index, and whether an open
// booking whose hold has passed holds it in the contract's current sale.
const refusedSeatSQL = `SELECT s.idx, EXISTS (SELECT 1 FROM tickets t JOIN bookings b ON b.id = t.booking
		WHERE t.contract = s.contract AND t.idx = s.idx AND t.owner IS NULL AND t.booking <> 0
		AND t.sale = (SELECT sale_number FROM contracts WHERE address = s.contract)
		AND b.state = 'open' AND b.expires_at <= ?)
	FROM seats s WHERE s.contract = ? AND s.section = ? AND s.number = ? AND s.letter = ?`

// readRefusals reads the seat lookups of the refused orders and words each refusal as
// reserveAll would: the order's first seat the contract lacks, or else its first seat in
// seat order, the one reserveAll would have found taken. An order a seat of which an
// expired hold keeps has no refusal (nil): the ordinary write expires that booking and
// sells the seat (takeReclaimed).
func readRefusals(br pgx.BatchResults, refused []*reservation) ([]error, error) {
	refusals := make([]error, len(refused))
	for k, r := range refused {
		var reclaimable bool
		for _, t := range r.order.Tickets {
			var idx int
			var expired bool
			err := br.QueryRow().Scan(&idx, &expired)
			if errors.Is(err, pgx.ErrNoRows) {
				if refusals[k] == nil {
					refusals[k] = errInvalidSeat(t.Seat)
				}
				continue
			}
			if err != nil {
				return refusals, err
			}
			reclaimable = reclaimable || expired
		}
		if refusals[k] == nil && !reclaimable {
			refusals[k] = errNotAvailable(r.order.Tickets[seatOrder(r.order.Tickets)[0]].Seat)
		}
	}
	return refusals, nil
}

// reservable runs, on what the first pipeline read, the checks of writeContract
// (asSeller) and reserveAll that do not need the database. (Reserve checked the key's role before queueing the
// order; it is checked again so that no way into a group skips it.)
func reservable(actor ledger.Actor, c ledger.Contract, o ledger.Order, height int64) bool {
	if _, err := ledger.Authorize(ledger.WithActor(context.Background(), actor), ledger.RoleBoxOffice, ledger.RoleOrganizer); err != nil {
		return false
	}
	if ledger.AuthorizeSeller(actor, c.Owner, c.Address) != nil || !ledger.SaleOpen(c, height) {
		return false
	}
	// The group's height was read before its locks were held: if it waited for the sale
	// to begin, that height comes before the sale's own. The ordinary write reads the
	// clock again.
	if height < c.Sale.BegunHeight {
		return false
	}
	for _, t := range o.Tickets {
		if ledger.CheckIdentity(c.Rules.RequireIdentityVerification, t) != nil {
			return false
		}
	}
	return true
}

// rollback ends the connection's transaction, reporting whether it could.
func rollback(ctx context.Context, pc *pgx.Conn) bool {
	_, err := pc.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	return err == nil
}
