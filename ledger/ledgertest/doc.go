// Package ledgertest is the contract test suite of the ledger's interfaces: one set of
// cases, written against ledger.Service, ledger.TicketPager, ledger.Seller and
// ledger.Gate as their doc comments state them, that every implementation runs. The SQL
// store runs it on SQLite and on PostgreSQL (ledger/sqlstore), and the HTTP client runs it
// against a live server on loopback (client/), so the in-process and the remote mode of
// every command are held to the same contract.
//
// A test hands Run a constructor of its Backend: a fresh ledger, the implementations as
// each party (organizer, another organizer, box office, scanner, no key, administrator)
// sees them, and a way to move the ledger's clock. A backend that cannot run a case names it in
// Backend.Skip with the reason, and the case skips saying so.
package ledgertest
