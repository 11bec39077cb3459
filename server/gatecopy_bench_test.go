package server_test

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/fixtures"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner/offline"
)

// BenchmarkGateCopyStadium syncs a gate device with the stadium's 60,000 seats, all sold
// (a digest per secret, so gzip finds no repeats), over HTTP on loopback (SQLite), gzipped: the
// whole copy downloaded, decoded and made an offline.Copy, for a sale without names
// ("plain") and under the identity policy ("named": each ticket also carries its name's
// digest and ciphertext); and an increment after 1,000 check-ins. Reported: the time
// per sync and the megabytes on the wire.
//
//	go test ./server -run X -bench GateCopyStadium -benchtime 3x
func BenchmarkGateCopyStadium(b *testing.B) {
	st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(newServer(b, st, nil))
	b.Cleanup(srv.Close)
	key, _, err := st.Keys.CreateKey(context.Background(), ledger.RoleScanner, "gate")
	if err != nil {
		b.Fatal(err)
	}
	for _, named := range []bool{false, true} {
		addr, seats := stadiumOnSale(b, st, named)
		sellOut(b, st, addr, seats, named)
		name := map[bool]string{false: "plain", true: "named"}[named]
		var cp *offline.Copy
		b.Run(name+"/whole", func(b *testing.B) {
			var wire int64
			for b.Loop() {
				var w int64
				cp, w = syncCopy(b, srv.URL, addr, key, nil)
				wire += w
			}
			b.ReportMetric(float64(wire)/float64(b.N)/1e6, "wireMB/op")
		})
		checkInSome(b, st, addr, seats, 1000, named)
		b.Run(name+"/increment", func(b *testing.B) {
			var wire int64
			for b.Loop() {
				_, w := syncCopy(b, srv.URL, addr, key, cp)
				wire += w
			}
			b.ReportMetric(float64(wire)/float64(b.N)/1e6, "wireMB/op")
		})
	}
}

// stadiumOnSale creates the stadium fixture's contract, under the identity policy when
// named, and begins its sale at one price.
func stadiumOnSale(b *testing.B, st *sqlstore.Store, named bool) (string, []ledger.Seat) {
	b.Helper()
	venue, err := fixtures.LoadVenue("stadium")
	if err != nil {
		b.Fatal(err)
	}
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	c, _, err := st.Contracts.CreateContract(admin, venue.Name, venue.Seats)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Contracts.SetRules(admin, c.Address, ledger.RulesChange{RequireIdentityVerification: &named}); err != nil {
		b.Fatal(err)
	}
	prices := make([]ledger.SeatPrice, len(venue.Seats))
	for i, s := range venue.Seats {
		prices[i] = ledger.SeatPrice{Seat: s, Price: 5000}
	}
	info, err := st.Ledger().Info(admin)
	if err != nil {
		b.Fatal(err)
	}
	d := ledger.SaleDetails{Name: "Final", Organiser: "League", Time: time.Now().Add(24 * time.Hour).Unix(), EndOfSale: info.Height + 100}
	if _, err := st.Contracts.BeginSale(admin, c.Address, prices, d); err != nil {
		b.Fatal(err)
	}
	return c.Address, venue.Seats
}

// benchNameKey seals the names of the bench's named sale (one key for all: the names
// and IVs differ, so digests and ciphertexts do too).
var benchNameKey = []byte("0123456789abcdef0123456789abcdef")

// benchTicket is the sealed ticket of the bench's seat i: its secret's digest, and
// with a name, the name's digest and ciphertext.
func benchTicket(seat ledger.Seat, i int, named bool) ledger.SealedTicket {
	secret := fmt.Sprintf("S%014d", i)
	t := ledger.SealedTicket{Seat: seat, SecretCiphertext: []byte(secret), SecretDigest: crypto.SecretDigest(secret)}
	if named {
		name := fmt.Sprintf("Person Number %d", i)
		t.NameCiphertext, _ = crypto.Encrypt(benchNameKey, benchIV(i), []byte(name))
		t.NameDigest = crypto.NameDigest(benchNameKey, name)
	}
	return t
}

func benchIV(i int) []byte {
	iv := make([]byte, crypto.IVSize)
	copy(iv, fmt.Sprintf("%016d", i))
	return iv
}

// sellOut sells every seat of the contract, 500 an order.
func sellOut(b *testing.B, st *sqlstore.Store, addr string, seats []ledger.Seat, named bool) {
	b.Helper()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	var order []ledger.SealedTicket
	for i, seat := range seats {
		order = append(order, benchTicket(seat, i, named))
		if len(order) == ledger.MaxTicketsInOrder || i == len(seats)-1 {
			if _, err := st.Selling.Reserve(admin, addr, ledger.Order{Sender: "bench", Tickets: order}); err != nil {
				b.Fatal(err)
			}
			order = nil
		}
	}
}

// checkInSome admits the first n seats at the gate, as a scanner would.
func checkInSome(b *testing.B, st *sqlstore.Store, addr string, seats []ledger.Seat, n int, named bool) {
	b.Helper()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	for i, seat := range seats[:n] {
		q := ledger.QRTicket{Seat: seat, Secret: fmt.Sprintf("S%014d", i)}
		if named {
			q.NameKey, q.NameIV = hex.EncodeToString(benchNameKey), hex.EncodeToString(benchIV(i))
		}
		res, err := st.Gate.CheckIn(admin, addr, ledger.CheckInRequest{Tickets: []ledger.QRTicket{q}, Gate: "north"})
		if err != nil || res[0].Status != ledger.StatusAdmitted {
			b.Fatalf("CheckIn %s: %+v, %v", seat, res, err)
		}
	}
}

// syncCopy downloads the gate copy (the whole one when cp is nil, the increment since
// its cursor otherwise) asking for gzip, decodes it and makes or updates the offline
// copy: the copy and the bytes on the wire.
func syncCopy(b *testing.B, base, addr, key string, cp *offline.Copy) (*offline.Copy, int64) {
	u := base + api.ContractPath(addr, "GateCopy")
	if cp != nil {
		u += "?cursor=" + url.QueryEscape(cp.Cursor())
	}
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET GateCopy: %v %v", resp, err)
	}
	defer resp.Body.Close()
	counted := &countingReader{r: resp.Body}
	var body io.Reader = counted
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gzip.NewReader(counted); err != nil {
			b.Fatal(err)
		}
	}
	var got ledger.GateCopy
	if err := json.NewDecoder(body).Decode(&got); err != nil {
		b.Fatal(err)
	}
	if cp == nil {
		if cp, err = offline.New(got); err != nil || len(got.Tickets) != 60000 {
			b.Fatalf("offline.New: %v (%d tickets)", err, len(got.Tickets))
		}
	} else if err := cp.Apply(got); err != nil {
		b.Fatal(err)
	}
	return cp, counted.n
}
