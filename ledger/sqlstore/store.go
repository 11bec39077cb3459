package sqlstore

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Options configure a store.
type Options struct {
	// BlockInterval is the block time of a new database. For an existing database it must
	// be 0 or the interval the database was created with.
	BlockInterval time.Duration
	// Now is the clock; nil means time.Now. Tests pass a clock they control.
	Now func() time.Time
	// Logger receives internal errors; nil discards.
	Logger *slog.Logger
	// Serving: the store serves many requests for a long time (ticketbooth serve). On
	// PostgreSQL it then opens its whole pool at once and keeps it, so the first buyers
	// of an on-sale do not wait for connections to be made.
	Serving bool
	// DeliveryKey (DeliveryKeySize bytes) seals the queued mails' messages; it is kept
	// outside the database. Without it the mail queue can be read but not filled or sent.
	DeliveryKey []byte
}

// Store is the SQL ledger, on SQLite or PostgreSQL: one database handle and its
// aggregate stores, which share it. Each aggregate implements one side of the ledger;
// Ledger joins the two that make a ledger.Service.
type Store struct {
	db *db
	// Contracts keeps contracts, their rules and sales, and the ticket lists
	// (ledger.Contracts, ledger.TicketPager).
	Contracts *Contracts
	// Selling reserves, releases and reissues tickets (ledger.Seller).
	Selling *Selling
	// Bookings holds seats for customers' bookings until they are confirmed, freed,
	// cancelled or expire (ledger.Bookings).
	Bookings *Bookings
	// Gate checks tickets in and reports the entry (ledger.Gate).
	Gate *Gate
	// Door keeps the sales' gate policies (ledger.Door).
	Door *Door
	// GateCopies gives the gates' devices their copies of a sale, whole or the changes
	// since a cursor (ledger.GateCopier).
	GateCopies *GateCopies
	// Keys makes, lists and revokes the API keys, and authenticates them.
	Keys *Keys
	// Journal answers the clock, receipts and verification (ledger.Journal).
	Journal *Journal
	// Customers keeps the shop's customers (ledger.Customers).
	Customers *Customers
	// Idempotency keeps the answers of writes sent with an Idempotency-Key (ledger.Replays).
	Idempotency *Idempotency
	// Ticketpark keeps the records of the /ticketpark/ facade: Ticketpark's pids and what
	// they map onto (ledger.TicketparkRecords).
	Ticketpark *Ticketpark
	// Bam keeps the numbers seed 002's wallet platform gives the ledger's records
	// (ledger.BamIDs), for the /bam/ facade.
	Bam *Bam
	// TicketLists answers the shop's ticket list: filtered, sorted, with related records
	// (ledger.TicketLists).
	TicketLists *TicketLists
	// Wallets keeps the customers' wallet links and the codes sealed under them
	// (ledger.Wallets).
	Wallets *Wallets
	// Resale transfers tickets and keeps the resale terms, offers and credits
	// (ledger.Resale).
	Resale *Resale
	// Mails is the durable queue of outgoing e-mails (ledger.MailSpool).
	Mails *Mails
	// Devices keeps the phones' public keys of SECURE tickets, for their rotating codes
	// (ledger.Devices).
	Devices *Devices
	// Webhooks keeps the organizers' webhook endpoints and the queue of their deliveries,
	// followed from the journal (ledger.Webhooks, ledger.WebhookQueue).
	Webhooks *Webhooks
	// Calls counts partner keys' calls on the command API against their limits, across
	// every server of the database (ledger.CallMeter).
	Calls *Calls
	// Season answers the season-ticketing command API's reads: events and the database's
	// status (ledger.SeasonEvents).
	Season *Season
	// SeasonAccounts keeps the command API's accounts' pins, locks and external ids
	// (ledger.SeasonAccounts).
	SeasonAccounts *SeasonAccounts
	// Jobs keeps the jobs of the command API's asynchronous polling, their answers sealed
	// (ledger.CommandJobs).
	Jobs *Jobs

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the ledger at path: a SQLite file, or a PostgreSQL
// database given as a postgres:// or postgresql:// URL. It applies the migrations and
// reads the clock. Errors say what is wrong with the database or the options.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	d, err := openDB(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	holders, err := initHolders(ctx, d)
	if err != nil {
		d.close()
		return nil, err
	}
	mails, err := newMails(d, opts.DeliveryKey)
	if err != nil {
		d.close()
		return nil, err
	}
	return &Store{Mails: mails, db: d, Contracts: &Contracts{d}, Selling: newSelling(d, holders), Gate: &Gate{d},
		Door: &Door{d}, GateCopies: &GateCopies{d}, Bookings: &Bookings{db: d, holders: holders},
		Keys: &Keys{db: d}, Journal: &Journal{db: d, holders: holders}, Customers: &Customers{d},
		Idempotency: &Idempotency{db: d}, Ticketpark: &Ticketpark{d},
		Bam: &Bam{d}, TicketLists: &TicketLists{d}, Wallets: &Wallets{d}, Resale: &Resale{db: d, holders: holders},
		Devices: &Devices{db: d, holders: holders, wallets: &Wallets{d}}, Webhooks: &Webhooks{db: d}, Calls: newCalls(d),
		Season: &Season{d}, SeasonAccounts: &SeasonAccounts{d}, Jobs: &Jobs{db: d}}, nil
}

// Ledger returns the store's ledger.Service: its contracts and its journal.
func (s *Store) Ledger() ledger.Joined {
	return ledger.Joined{Contracts: s.Contracts, Journal: s.Journal}
}

// Close stops the writers and closes the database. Closing again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.Selling.stop()
		s.Calls.stop()
		s.closeErr = s.db.close()
	})
	return s.closeErr
}

// Name returns the database as messages may show it: the SQLite file, or the PostgreSQL
// URL's host, port and database without user or password.
func (s *Store) Name() string { return s.db.name }

// Clock returns the ledger's block clock.
func (s *Store) Clock() ledger.Clock { return s.db.clock }
