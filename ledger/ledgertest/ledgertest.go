package ledgertest

import (
	"context"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Party is the ledger as one party sees it: the implementations it calls and the context
// it calls them with (carrying its actor for the store; the client carries its key itself).
type Party struct {
	Ctx     context.Context
	Service ledger.Service
	Pager   ledger.TicketPager // nil when the backend pages no ticket lists
	Seller  ledger.Seller
	Gate    ledger.Gate
	// Customers keeps the shop's customers; nil when the backend keeps none.
	Customers ledger.Customers
	// Bookings keeps the shop's bookings; nil when the backend keeps none.
	Bookings ledger.Bookings
	// TicketLists is the shop's ticket list; nil when the backend has none.
	TicketLists ledger.TicketLists
	// Webhooks keeps the organizers' webhook endpoints; nil when the backend has none.
	Webhooks ledger.Webhooks
	// Season and SeasonAccounts are the command API's reads and accounts; nil when the
	// backend has none.
	Season         ledger.SeasonRecords
	SeasonAccounts ledger.SeasonAccounts
	// Door keeps the sales' gate policies; nil when the backend has none.
	Door ledger.Door
}

// Backend is one implementation of the ledger's interfaces on a fresh ledger, as the
// parties of the suite see it.
type Backend struct {
	Organizer Party // an organizer key: the owner of the contracts the suite creates
	Rival     Party // another organizer key, which owns none of them
	BoxOffice Party // a box-office key
	Scanner   Party // a scanner key
	Anonymous Party // no key at all
	Admin     Party // the database's administrator; zero when the backend has none
	// AdvanceBlocks moves the ledger's clock on by n blocks.
	AdvanceBlocks func(n int)
	// Skip names the cases (as Run names its subtests) this backend cannot run, each with
	// the reason, which the skipped case prints.
	Skip map[string]string
}

// testCase is one case of the suite.
type testCase struct {
	name string
	run  func(t *testing.T, b Backend)
}

// cases are the suite's cases, in the order Run runs them.
var cases = []testCase{
	{"Info", testInfo},
	{"CreateAndRead", testCreateAndRead},
	{"UnknownContract", testUnknownContract},
	{"Unauthorized", testUnauthorized},
	{"Forbidden", testForbidden},
	{"Rules", testRules},
	{"RulesDuringSale", testRulesDuringSale},
	{"Transfer", testTransfer},
	{"BeginAndEndSale", testBeginAndEndSale},
	{"Reserve", testReserve},
	{"ReserveRefused", testReserveRefused},
	{"TicketSenders", testTicketSenders},
	{"Release", testRelease},
	{"Reissue", testReissue},
	{"ReissuedTicketAdmitted", testReissuedTicketAdmitted},
	{"CheckIn", testCheckIn},
	{"CheckInNamed", testCheckInNamed},
	{"Malformed", testMalformed},
	{"GateCounts", testGateCounts},
	{"GatePolicy", testGatePolicy},
	{"ExitsAndReentry", testExitsAndReentry},
	{"Receipts", testReceipts},
	{"Verify", testVerify},
	{"TicketPages", testTicketPages},
	{"CustomerCreateAndRead", testCustomerCreateAndRead},
	{"CustomerRefused", testCustomerRefused},
	{"CustomerUpdate", testCustomerUpdate},
	{"CustomerFind", testCustomerFind},
	{"CustomerExportAndErase", testCustomerExportAndErase},
	{"BookingHoldAndConfirm", testBookingHoldAndConfirm},
	{"BookingRefused", testBookingRefused},
	{"BookingExpiry", testBookingExpiry},
	{"BookingFormat", testBookingFormat},
	{"PickStanding", testPickStanding},
	{"TicketList", testTicketList},
	{"TicketTypes", testTicketTypes},
	{"Webhooks", testWebhooks},
	{"SeasonEvents", testSeasonEvents},
	{"SeasonAccounts", testSeasonAccounts},
}

// Run runs every case of the suite as a subtest on one backend newBackend makes (a fresh
// ledger). Each case makes its own contracts, so the cases share the ledger and its clock
// without seeing each other; one ledger keeps the suite quick on PostgreSQL, where every
// database costs a migration.
func Run(t *testing.T, newBackend func(t *testing.T) Backend) {
	b := newBackend(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if reason, ok := b.Skip[c.name]; ok {
				t.Skip(reason)
			}
			c.run(t, b)
		})
	}
}
