// Package ledger is the domain of the ticket system: contracts of seats under a venue,
// their rules, sales, tickets and the journal, and the rules of the Ticketbooth contract
// that govern them.
//
// It holds the vocabulary (Seat, StandingSection, Contract, Rules, Sale, Ticket, Pick,
// Receipt), the one error type with its codes, the block clock (heights derived from
// time), the journal's hashing (transaction hashes, Merkle roots, chained block hashes)
// and the pure rule checks (ValidateContract, SalePrices, Refund, ReleaseOpen,
// ProveHolding, CleanCheckIn, BestSeats: best available, pick.go),
// and the journal's effects (effects.go). Service is the union of Contracts and Journal;
// Seller and Gate are the selling and gate sides; Customers keeps the shop's customers
// (customer.go), whose personal data never enters the journal; TicketLists is the shop's
// ticket list (ticketquery.go: TicketQuery, its sorts, relations and keys) and a
// booking's tickets have a format (format.go); Wallets keeps the customers' wallet
// links and the codes sealed under them (wallet.go); Devices keeps the phones' keys of
// SECURE tickets, whose codes rotate (devices.go; the code format and its checks in
// rotating.go); Resale transfers tickets and runs
// the secondary market (resale.go: terms, offers, credits); Webhooks registers
// organizers' endpoints for the events WebhookEventsOf makes of the journal's
// transactions (webhook*.go: the events, their data without personal data, where an
// endpoint may be, the queue that WebhookQueue hands to the senders of
// delivery/webhook); SeasonRecords and SeasonAccounts are what the season-ticketing
// command API (package season) reads of events and sold seats and keeps of accounts
// (season.go: events as contracts on sale; season_account.go: pins, kept only as
// HashPin's hashes, and external ids). Storage lives in ledger/sqlstore, whose aggregate stores implement
// one interface each (Store.Ledger joins the two parts of Service); the HTTP client
// implements Service too, so every caller works the same in-process or against a server.
//
// Calls run callers -> Service -> store, each write one database transaction that
// changes state and appends its journal entry together; imports run the other way at the
// bottom: the store imports ledger, never the reverse.
package ledger
