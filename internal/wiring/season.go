package wiring

import (
	"log/slog"

	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// Season adds the season-ticketing command API of seed 004 to svc, serving the DSN dsn
// ("" is season.DefaultDSN) over the same customers, bookings and tickets, with the
// services SeasonServices names. Call it after Mailing (a booking paid through it is
// mailed as any). polling, at most one, tunes the asynchronous polling (tests shorten
// the deadline); none is the defaults.
func Season(svc server.Services, st *sqlstore.Store, dsn string, log *slog.Logger, polling ...season.Polling) (server.Services, error) {
	cs := SeasonServices(svc, st, dsn)
	if len(polling) > 0 {
		cs.Polling = polling[0]
	}
	h, err := season.New(cs, log)
	if err != nil {
		return svc, err
	}
	svc.Commands = h
	return svc, nil
}

// SeasonServices are the command API's services as Season wires them: its partners' keys
// are the store's Keys, their calls are counted against their limits by its Calls, and
// it confirms bookings through svc's Confirmer; the jobs of asynchronous polling are its
// Jobs.
func SeasonServices(svc server.Services, st *sqlstore.Store, dsn string) season.Services {
	return season.Services{
		DSN:       dsn,
		Partners:  st.Keys,
		Meter:     st.Calls,
		Records:   st.Season,
		Accounts:  st.SeasonAccounts,
		Ledger:    svc.Ledger,
		Customers: svc.Customers,
		Bookings:  svc.Bookings,
		Confirmer: svc.Confirmer,
		Resender:  svc.Resender,
		Lists:     svc.TicketLists,
		Reissuer:  svc.Sales,
		Jobs:      st.Jobs,
	}
}
