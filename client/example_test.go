package client_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// The client against a real server on loopback, over a ledger in a temporary folder: an
// organizer's key creates a contract; without a key the server refuses the write, and an
// address that names no contract is not found. Errors come back as the ledger's codes.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "client-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "ledger.db"), sqlstore.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	key, _, _ := store.Keys.CreateKey(ctx, ledger.RoleOrganizer, "Globe office")
	api, err := server.New(server.Services{Ledger: store.Ledger(), Auth: store.Keys}, slog.New(slog.DiscardHandler)) // contracts only
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(api)
	defer srv.Close()

	office, _ := client.New(srv.URL, key)
	seats := []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 1, Letter: "B"}}
	c, rc, err := office.CreateContract(ctx, "Globe Theatre", seats)
	fmt.Println(c.Venue, c.SeatCount, rc.Kind, err)

	public, _ := client.New(srv.URL, "")
	_, _, err = public.CreateContract(ctx, "Globe Theatre", seats)
	fmt.Println(ledger.ErrorCode(err), "-", err)
	_, err = public.Contract(ctx, ledger.ZeroAddress)
	fmt.Println(ledger.ErrorCode(err))
	// Output:
	// Globe Theatre 2 contract_created <nil>
	// unauthorized - An API key is required: send Authorization: Bearer <key>
	// not_found
}

// New takes the server's http:// or https:// URL; anything else is refused before a
// request is sent.
func ExampleNew() {
	_, err := client.New("localhost:8080", "")
	fmt.Println(ledger.ErrorCode(err), "-", err)
	// Output:
	// invalid - server "localhost:8080" must be an http:// or https:// URL
}
