package wiring

import (
	"log/slog"

	"github.com/ticketbooth-go/ticketbooth/delivery"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// Mailer is what `serve` says of mailing tickets: where the mails go (nil: the
// services' mail queue, which wakes serve's sender, else the store's), the wallets that mint the links (nil: the store's), the base of those
// links, the sender, the pass signer (nil: no passes) and the log of mails that could not
// be queued.
type Mailer struct {
	Queue         ledger.MailQueue
	Wallets       delivery.Wallets
	PublicURL     string
	From, ReplyTo string
	Passes        *delivery.Passes
	Log           *slog.Logger
}

// Courier returns the courier that mails tickets from the store's records as m says, on
// A6 pages (ticket stock, one ticket a page: what a phone shows best too).
func Courier(st *sqlstore.Store, m Mailer) *delivery.Courier {
	if m.Queue == nil {
		m.Queue = st.Mails
	}
	if m.Wallets == nil {
		m.Wallets = st.Wallets
	}
	return &delivery.Courier{Ledger: st.Ledger(), Customers: st.Customers, Tickets: st.TicketLists,
		Queue: m.Queue, Wallets: m.Wallets, PublicURL: m.PublicURL, From: m.From, ReplyTo: m.ReplyTo,
		Layout: issuer.LayoutA6, Passes: m.Passes}
}

// Mailing returns svc whose confirmations mail the tickets: its Confirmer (the native
// confirm route, Ticketpark's and the /bam/ facade's confirmations) wrapped to queue each
// booking's mail after the ledger committed it, and its Resender sending a booking's
// tickets again (reissued) for POST .../send and Ticketpark's email/send, and its
// TicketMail mailing tickets transferred, bought on resale or reissued (the Courier).
func Mailing(svc server.Services, st *sqlstore.Store, m Mailer) server.Services {
	if m.Queue == nil {
		m.Queue = svc.Mail
	}
	c := Courier(st, m)
	svc.Confirmer = delivery.Confirmer{BookingConfirmer: svc.Confirmer, Bookings: st.Bookings, Courier: c, Log: m.Log}
	svc.Resender = delivery.Resender{Bookings: st.Bookings, Issuer: svc.Sales, Courier: c}
	svc.TicketMail = c
	return svc
}
