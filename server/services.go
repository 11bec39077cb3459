package server

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// Authenticator resolves an API key to the actor holding it.
type Authenticator interface {
	Authenticate(ctx context.Context, key string) (ledger.Actor, error)
}

// GateCounter reads what a gate's device may see of the entry (see ledger.Gate).
type GateCounter interface {
	GateCounts(ctx context.Context, address string) (ledger.GateReport, error)
}

// Services are what the server serves, wired by its caller (cmd/ticketbooth): Ledger and
// Auth are required; the routes of an optional service that is not set are not
// registered, and a request for them is answered 404 as any unknown route is.
type Services struct {
	Ledger ledger.Service // contracts, rules, sales, receipts, verification (required)
	Auth   Authenticator  // bearer keys to actors (required)
	// Tickets reads the ticket list a chunk at a time; without it the list is read whole
	// from Ledger.
	Tickets ledger.TicketPager
	Sales   issuer.Service      // ReserveTicket, ReserveTickets, ReleaseTicket, ReissueTicket
	Sealed  issuer.SealedSeller // ReserveSealedTickets
	Gate    scanner.Service     // CheckIn, VerifyTicket, CheckIns
	Counts  GateCounter         // GateCounts, for the scanner page
	Uploads scanner.Uploader    // CheckInUpload: the gates' offline admissions
	// Door serves the work at the door beyond scanning: the sales' gate policies.
	Door ledger.Door
	// GateCopies gives the gates' devices their copies of a sale, GET …/GateCopy.
	GateCopies ledger.GateCopier
	// Customers keeps the shop's customers, under /api/v1.0/customers.
	Customers ledger.Customers
	// Replays keeps the answers of writes sent with an Idempotency-Key; without it the
	// header is ignored and a retried write runs again.
	Replays ledger.Replays
	// Bookings serves /api/v1.0/bookings: open, read, hold, free, cancel; Confirmer
	// confirms them with fresh secrets (its route is served when both are set).
	Bookings  ledger.Bookings
	Confirmer issuer.BookingConfirmer
	// Resender sends a confirmed booking's tickets again by e-mail (reissued: new
	// secrets), POST /api/v1.0/bookings/{id}/send and Ticketpark's POST email/send; nil:
	// the native route is not served and email/send only records the request.
	Resender issuer.Resender
	// Ticketpark keeps the records of the Ticketpark-compatible API under /ticketpark/
	// (seed 003), served when Customers and Bookings are set too.
	Ticketpark ledger.TicketparkRecords
	// Bam numbers the ledger's records for the facade of seed 002's wallet platform under
	// /bam/, which also needs Bookings and Confirmer.
	Bam ledger.BamIDs
	// TicketLists serves the shop's ticket list, GET /api/v1.0/tickets: filtered, sorted,
	// paged, with related records.
	TicketLists ledger.TicketLists
	// Wallets keeps the customers' wallet links, for the wallet page (/wallet) and its
	// routes under /api/v1.0/wallet.
	Wallets ledger.Wallets
	// Devices keeps the phones of SECURE tickets, whose codes rotate: served under the
	// wallet's routes (so only with Wallets too).
	Devices ledger.Devices
	// Mail queues e-mails durably for the sender (delivery/mailq), each key once.
	Mail ledger.MailQueue
	// Mails serves the mail queue's rows under /api/v1.0/mail: list, read, retry.
	Mails ledger.MailView
	// Resale serves transfers and resale (terms, offers, credits); Reseller moves tickets
	// with fresh secrets (TransferTicket and buying an offer, which need Customers too);
	// TicketMail mails a moved or reissued ticket to its customer (nil: nothing is mailed,
	// and ReissueAndSend is not served); with Sales and Wallets it also resends a
	// customer's wallet by e-mail (wallet-link with send: issuer.WalletResender).
	Resale     ledger.Resale
	Reseller   issuer.Reseller
	TicketMail issuer.TicketMailer
	// Webhooks keeps the organizers' webhook endpoints and shows their deliveries, under
	// /api/v1.0/webhooks (the dispatcher that sends them runs beside the server).
	Webhooks ledger.Webhooks
	// Commands serves the season-ticketing command API of seed 004 (package season) at
	// CommandsPath; it reads its own key (the URL's apikey), and the server's
	// authentication, logging (paths only, so never the key), recovery and body limit
	// wrap it as every route.
	Commands http.Handler
}

// CommandsPath is the route of the command API of seed 004.
const CommandsPath = "POST /{product}/ticketing_services.aspx"

// check returns EINTERNAL naming the first required service that is missing.
func (v Services) check() error {
	switch {
	case v.Ledger == nil:
		return ledger.Errorf(ledger.EINTERNAL, "the server was started without its ledger (Services.Ledger)")
	case v.Auth == nil:
		return ledger.Errorf(ledger.EINTERNAL, "the server was started without its key authenticator (Services.Auth)")
	}
	return nil
}
