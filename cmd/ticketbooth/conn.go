package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

const defaultDB = "ticketbooth.db"

// remoteRetries is how often a remote write is sent again, under the same
// Idempotency-Key, when the server could not be reached or its answer was lost.
const remoteRetries = 2

func dbFlag() cli.Flag {
	return &cli.StringFlag{Name: "db", Value: defaultDB, EnvVars: []string{"TICKETBOOTH_DB"},
		Usage: "the ledger's SQLite `FILE` (created if missing)"}
}

// connFlags are the flags of every command that runs either in-process or remotely.
func connFlags() []cli.Flag {
	return []cli.Flag{
		dbFlag(),
		&cli.StringFlag{Name: "server", EnvVars: []string{"TICKETBOOTH_SERVER"},
			Usage: "act through the server at `URL` instead of opening --db"},
		&cli.StringFlag{Name: "key", EnvVars: []string{"TICKETBOOTH_KEY"},
			Usage: "API `KEY` for --server (from 'ticketbooth keys create')"},
		&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts instead of text"},
	}
}

// session is an open ledger: in-process (acting as the database's administrator) or a
// client of a server (acting as the key's holder). One code path serves both.
type session struct {
	store    *sqlstore.Store // in-process only: the keys live here
	svc      ledger.Service
	sell     issuer.Service
	prepared issuer.PreparedSeller // sells what a batch sealed and wrote down first
	gate     scanner.Service
	ctx      context.Context
	close    func()
	out      io.Writer
	json     bool

	// customers keeps the shop's customers: the store's, or the server's through its client.
	customers ledger.Customers

	// bookings and confirmer serve the booking commands.
	bookings  ledger.Bookings
	confirmer issuer.BookingConfirmer
	// resender sends a booking's tickets again through the server (remote only:
	// in-process, booking send builds its own over the store).
	resender issuer.Resender

	// ticketLists is the shop's ticket list (tickets --status ...).
	ticketLists ledger.TicketLists

	// newWalletLink makes a new link to a customer's wallet page (customer wallet-link).
	newWalletLink func(ctx context.Context, customer int64, revoke bool) (api.WalletLinkResponse, error)
	// resendWallet has the server mail the customer a new link (wallet-link --send); nil
	// in-process, which sends no mail.
	resendWallet func(ctx context.Context, customer int64) (ledger.WalletResend, error)

	// mails is the e-mail queue (mail list, show, retry).
	mails ledger.MailView
	// resale serves transfer, resale and reissue --send.
	resale resaleService

	// webhooks keeps the organizers' webhook endpoints (webhook ...).
	webhooks ledger.Webhooks

	// door keeps the sales' gate policies (gate-policy).
	door ledger.Door
}

// open opens the ledger the flags name; in-process, the database file must exist. Stop
// it with close.
func open(c *cli.Context) (*session, error) {
	return openLedger(c, false)
}

// openLedger opens the ledger, creating the database file when create is set.
func openLedger(c *cli.Context, create bool) (*session, error) {
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	s := &session{out: c.App.Writer, json: c.Bool("json")}
	if url := c.String("server"); url != "" {
		cl, err := client.New(url, c.String("key"))
		if err != nil {
			stop()
			return nil, err
		}
		cl.RetryWrites(remoteRetries) // a write whose answer was lost is sent again, and runs once
		s.svc, s.sell, s.prepared, s.gate, s.ctx, s.close = cl, cl, cl, cl, ctx, stop
		s.customers, s.mails = cl, cl
		s.bookings, s.confirmer, s.ticketLists, s.resender = cl, cl, cl, cl
		s.newWalletLink, s.resendWallet = cl.NewWalletLink, cl.ResendWallet
		s.resale = cl
		s.webhooks = cl
		s.door = cl
		return s, nil
	}
	if c.IsSet("key") && os.Getenv("TICKETBOOTH_KEY") == "" {
		stop()
		return nil, usagef("--key needs --server: in-process commands act as the database's administrator")
	}
	if _, err := os.Stat(c.String("db")); !create && !sqlstore.IsPostgres(c.String("db")) && os.IsNotExist(err) {
		stop()
		return nil, usagef("no ledger at %s: pass --db FILE (or set TICKETBOOTH_DB), or start one with 'ticketbooth contract create'", c.String("db"))
	}
	st, err := sqlstore.Open(ctx, c.String("db"), sqlstore.Options{})
	if err != nil {
		stop()
		return nil, err
	}
	sales := &issuer.Issuer{Ledger: st.Selling, Bookings: st.Bookings, Resale: st.Resale}
	s.bookings, s.confirmer, s.ticketLists = st.Bookings, sales, st.TicketLists
	s.resale = newLocalResale(st, sales)
	s.store, s.svc, s.sell, s.prepared, s.gate = st, st.Ledger(), sales, sales, &scanner.Gate{Ledger: st.Gate, Pictures: gateread.Image}
	s.customers, s.mails = st.Customers, st.Mails
	s.newWalletLink = storeWalletLink(st.Wallets)
	s.webhooks = st.Webhooks
	s.door = st.Door
	s.ctx = ledger.WithActor(ctx, ledger.Actor{Admin: true, Name: "admin"})
	s.close = func() { st.Close(); stop() }
	return s, nil
}

// print writes v as JSON with --json, else the text lines.
func (s *session) print(v any, text func(w io.Writer)) error {
	if s.json {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text(s.out)
	return nil
}

// receipt prints a committed transaction.
func (s *session) receipt(what string, rc ledger.Receipt) error {
	return s.print(rc, func(w io.Writer) {
		fmt.Fprintf(w, "%s at height %d\ntransaction %s\n", what, rc.Height, rc.TransactionHash)
	})
}

func requireContract(c *cli.Context) (string, error) {
	a := c.String("contract")
	if a == "" {
		return "", usagef("--contract ADDRESS is required (the address 'contract create' printed)")
	}
	return a, nil
}

func contractFlag() cli.Flag {
	return &cli.StringFlag{Name: "contract", Aliases: []string{"c"}, EnvVars: []string{"TICKETBOOTH_CONTRACT"},
		Usage: "the contract's `ADDRESS`"}
}

// currency returns the currency of the contract's latest sale (DefaultCurrency when it
// has had none), in which amounts are read and printed.
func (s *session) currency(address string) (string, error) {
	c, err := s.svc.Contract(s.ctx, address)
	if err != nil {
		return "", err
	}
	return contractCurrency(c), nil
}

// amountFlag reads the command's --amount in the currency of the contract's latest sale. It
// returns that currency, and a nil amount when the flag is not given.
func (s *session) amountFlag(c *cli.Context, address string) (string, *int64, error) {
	currency, err := s.currency(address)
	if err != nil || !c.IsSet("amount") {
		return currency, nil, err
	}
	amount, err := ledger.ParseAmount(currency, c.String("amount"))
	if err != nil {
		return "", nil, err
	}
	return currency, &amount, nil
}

func contractCurrency(c ledger.Contract) string {
	if c.Sale == nil {
		return ledger.DefaultCurrency
	}
	return ledger.CurrencyOf(c.Sale.Details)
}

// clock returns the ledger's block clock.
func (s *session) clock() (ledger.Clock, error) {
	info, err := s.svc.Info(s.ctx)
	if err != nil {
		return ledger.Clock{}, err
	}
	return ledger.Clock{Genesis: info.Genesis, Interval: time.Duration(info.BlockInterval)}, nil
}

// contractAction wraps a command that works on one contract: it requires --contract,
// opens the ledger, runs fn and closes the ledger.
func contractAction(fn func(c *cli.Context, s *session, address string) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		address, err := requireContract(c)
		if err != nil {
			return err
		}
		s, err := open(c)
		if err != nil {
			return err
		}
		defer s.close()
		return fn(c, s, address)
	}
}
