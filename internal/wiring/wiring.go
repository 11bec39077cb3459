// Package wiring says which part of an open SQL store serves which route of the HTTP API:
// the issuer sells through the store's Selling, the gate checks in and counts through its
// Gate, its Ledger (Contracts and Journal) serves the contracts and receipts, Contracts
// the paged ticket list, Keys the keys, Customers the shop's customers, Bookings their
// bookings (confirmed by the issuer), TicketLists the shop's filtered ticket list,
// Idempotency the answers kept for retried writes, Ticketpark the pids of the
// /ticketpark/ facade, Bam the numbers of the /bam/ facade, Wallets the customers'
// wallet links, Devices the phones of SECURE tickets, Mails the mail queue, Resale the
// transfers and resale offers (moved by the issuer), Webhooks the organizers' webhook
// endpoints, and Door the sales' gate policies. It is the one place that wires them, used
// by `ticketbooth serve` and by the tests that run the real server.
package wiring

import (
	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// Services returns every service of the HTTP API served by the store st.
func Services(st *sqlstore.Store) server.Services {
	sales := &issuer.Issuer{Ledger: st.Selling, Bookings: st.Bookings, Resale: st.Resale}
	gate := &scanner.Gate{Ledger: st.Gate, Pictures: gateread.Image}
	return server.Services{
		Ledger:  st.Ledger(),
		Auth:    st.Keys,
		Tickets: st.Contracts,
		Sales:   sales,
		Sealed:  sales,
		Gate:    gate,
		Counts:  st.Gate,
		Uploads: gate,
		// the sales' gate policies
		Door: st.Door,
		// the gates' devices' copies of a sale
		GateCopies: st.GateCopies,
		Customers:  st.Customers,
		Replays:    st.Idempotency,
		Bookings:   st.Bookings,
		Confirmer:  sales,
		// the Ticketpark-compatible API's pids, over the same customers and bookings
		Ticketpark: st.Ticketpark,
		Bam:        st.Bam,
		// the shop's ticket list, filtered and sorted
		TicketLists: st.TicketLists,
		// the customers' wallet links and the codes sealed under them
		Wallets: st.Wallets,
		// the phones of SECURE tickets, for their rotating codes
		Devices: st.Devices,
		// the durable mail queue
		Mail:  st.Mails,
		Mails: st.Mails,
		// transfers and resale: terms, offers, credits, and the issuer moving tickets
		Resale:   st.Resale,
		Reseller: sales,
		// the organizers' webhook endpoints and their deliveries
		Webhooks: st.Webhooks,
	}
}
