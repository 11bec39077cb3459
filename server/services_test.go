package server_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// A server without its ledger or its authenticator is a wiring mistake: New refuses it at
// start-up, rather than a request finding out with a 500.
func TestNewRequiresLedgerAndAuth(t *testing.T) {
	e := newEnv(t)
	for name, svc := range map[string]server.Services{
		"NoLedger": {Auth: e.store.Keys},
		"NoAuth":   {Ledger: e.store.Ledger()},
	} {
		t.Run(name, func(t *testing.T) {
			h, err := server.New(svc, nil)
			if h != nil || ledger.ErrorCode(err) != ledger.EINTERNAL {
				t.Fatalf("New = %v, %v; want no server and an internal error", h, err)
			}
			checkSentence(t, ledger.ErrorMessage(err))
		})
	}
}

// The routes of an optional service are served only when it is wired: without them they
// are unknown routes (404), and the ticket list is read whole from the ledger.
func TestOptionalServicesNotWired(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	e.buy(addr, seatJSON(1, "A"), "ann", "")
	want := e.ticketList(addr)
	h, err := server.New(server.Services{Ledger: e.store.Ledger(), Auth: e.store.Keys}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = serveWith(t, h, server.DefaultTimeouts)
	for _, route := range []string{"ReserveTicket", "ReserveTickets", "ReserveSealedTickets", "ReleaseTicket", "ReissueTicket", "CheckIn", "VerifyTicket"} {
		e.do("POST", api.ContractPath(addr, route), e.alice, `{}`).wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	}
	for _, route := range []string{"CheckIns", "GateCounts"} {
		e.do("GET", api.ContractPath(addr, route), e.alice, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	}
	if got := e.ticketList(addr); !slices.Equal(got, want) {
		t.Errorf("ticket list read whole = %v, want %v", got, want)
	}
}
