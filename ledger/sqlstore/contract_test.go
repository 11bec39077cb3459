package sqlstore_test

import (
	"context"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/ledgertest"
)

// TestContract runs the ledger's contract suite on the store: on SQLite files, or on
// PostgreSQL under TICKETBOOTH_TEST_DB=postgres.
func TestContract(t *testing.T) {
	ledgertest.Run(t, storeBackend)
}

// storeBackend is a store on a fresh database, each party a context carrying its actor.
func storeBackend(t *testing.T) ledgertest.Backend {
	e := openEnv(t)
	party := func(ctx context.Context) ledgertest.Party {
		return ledgertest.Party{Ctx: ctx, Service: e.store.Ledger(), Pager: e.store.Contracts, Seller: e.store.Selling, Gate: e.store.Gate,
			Customers: e.store.Customers, Bookings: e.store.Bookings, TicketLists: e.store.TicketLists,
			Webhooks: e.store.Webhooks, Season: e.store.Season, SeasonAccounts: e.store.SeasonAccounts, Door: e.store.Door}
	}
	return ledgertest.Backend{
		Organizer:     party(e.actor(t, ledger.RoleOrganizer, "organizer")),
		Rival:         party(e.actor(t, ledger.RoleOrganizer, "rival")),
		BoxOffice:     party(e.actor(t, ledger.RoleBoxOffice, "box office")),
		Scanner:       party(e.actor(t, ledger.RoleScanner, "scanner")),
		Anonymous:     party(context.Background()),
		Admin:         party(e.admin),
		AdvanceBlocks: e.clock.AdvanceBlocks,
	}
}
