// Package rush holds the on-sale rush tests. TestRush: three real `ticketbooth serve`
// processes on one PostgreSQL database, 300 concurrent buyers racing through them for 100
// seats with `ticketbooth loadtest`, and then the ledger checked against everything the
// buyers were told. TestShopRush: the shop's bookings (holds, confirmations, frees,
// cancellations and expiries) racing with outright sales through three servers on one
// database, SQLite and PostgreSQL, on a test clock, and then the journal replayed.
// TestStandingRush: the same for a general-admission section's places taken by quantity,
// never beyond its capacity. TestLoadtestLeavesHeldSeats: the load generator does not
// rush seats bookings hold. It has no code of its own; run it with `go test ./e2e/rush`
// (PostgreSQL's server binaries needed, Debian's postgresql package).
package rush
