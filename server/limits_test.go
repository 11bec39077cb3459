package server_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/imagebomb"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// shortTimeouts cut slow clients off within a second or two.
var shortTimeouts = server.Timeouts{ReadHeader: time.Second, Read: time.Second, Write: time.Second, Idle: time.Second}

// dialRaw opens a plain TCP connection to srv's address.
func dialRaw(t *testing.T, url string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readAnswer reads one HTTP answer from conn, waiting at most wait (a generous bound:
// the point is that it comes without the rest of the body).
func readAnswer(t *testing.T, conn net.Conn, wait time.Duration) *http.Response {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(wait))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer within %s while the body is still being sent: %v", wait, err)
	}
	return resp
}

// waitClosed fails unless the server closes conn within wait, reading (and dropping)
// whatever it still sends.
func waitClosed(t *testing.T, conn net.Conn, wait time.Duration) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(wait))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open for more than %s", wait)
	}
}

// TestWriteWithoutKeyAnsweredBeforeBody: a write without a key, or with a wrong one, is
// answered 401 at once, though its body is still on its way a byte at a time, and the
// connection is closed rather than read to the end.
func TestWriteWithoutKeyAnsweredBeforeBody(t *testing.T) {
	e := newEnv(t)
	srv := serveWith(t, newServer(t, e.store, nil), server.Timeouts{ReadHeader: time.Minute, Read: time.Hour, Write: time.Hour, Idle: time.Hour})
	reserve := api.ContractPath(e.openSale(threeSeats, threePrices, 100, saleRules{}), "ReserveTickets")
	for name, auth := range map[string]string{"NoKey": "", "WrongKey": "Authorization: Bearer not-a-key\r\n"} {
		for route, path := range map[string]string{"CreateContract": api.Base, "ReserveTickets": reserve} {
			t.Run(name+"/"+route, func(t *testing.T) {
				conn := dialRaw(t, srv.URL)
				head := "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth + "Content-Length: 1000\r\n\r\n{\"se"
				if _, err := io.WriteString(conn, head); err != nil {
					t.Fatal(err)
				}
				resp := readAnswer(t, conn, 20*time.Second)
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", resp.StatusCode)
				}
				if !resp.Close {
					t.Errorf("the answer keeps the connection open; it must close it rather than wait for the body")
				}
			})
		}
	}
}

// TestSlowClientsCutOff: a body sent a byte at a time and an idle kept-alive connection
// are closed by the server's timeouts.
func TestSlowClientsCutOff(t *testing.T) {
	e := newEnv(t)
	srv := serveWith(t, newServer(t, e.store, nil), shortTimeouts)
	t.Run("SlowBody", func(t *testing.T) {
		conn := dialRaw(t, srv.URL)
		io.WriteString(conn, "POST "+api.Base+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+e.alice+"\r\nContent-Length: 1000\r\n\r\n{")
		waitClosed(t, conn, 20*time.Second)
	})
	t.Run("Idle", func(t *testing.T) {
		conn := dialRaw(t, srv.URL)
		io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if resp := readAnswer(t, conn, 20*time.Second); resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("status %d, close %v: want a kept-alive 200", resp.StatusCode, resp.Close)
		}
		waitClosed(t, conn, 20*time.Second)
	})
	t.Run("Silent", func(t *testing.T) {
		waitClosed(t, dialRaw(t, srv.URL), 20*time.Second)
	})
}

// TestInvisibleCharactersRefused: NUL, other controls, bidirectional overrides and
// zero-width characters in any text field are a 400 in words, on SQLite and PostgreSQL
// alike (PostgreSQL cannot store NUL: this was a 500 there).
func TestInvisibleCharactersRefused(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{identity: true})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "Ann")
	sale := func(details string) string {
		return `{"seatPrices":` + threePrices + `,"details":{` + details + `,"time":` + itoa(e.clock.Now().Add(time.Hour).Unix()) +
			`,"endOfSale":` + itoa(e.height()+10) + `}}`
	}
	fresh := e.create(threeSeats)
	for _, bad := range []string{`\u0000`, `\u001b`, `\u202e`, `\u200b`, `\u2066`, `\ufeff`} {
		for _, tc := range []struct{ name, path, key, body string }{
			{"venue", api.Base, e.alice, `{"venue":"Hall` + bad + `","seats":[{"number":1,"letter":"A"}]}`},
			{"section", api.Base, e.alice, `{"venue":"Hall","seats":[{"number":1,"letter":"A","section":"Stalls` + bad + `"}]}`},
			{"sale name", api.ContractPath(fresh, "BeginSale"), e.alice, sale(`"name":"Ham` + bad + `let","organiser":"Globe"`)},
			{"organiser", api.ContractPath(fresh, "BeginSale"), e.alice, sale(`"name":"Hamlet","organiser":"Globe` + bad + `"`)},
			{"currency", api.ContractPath(fresh, "BeginSale"), e.alice, sale(`"name":"Hamlet","organiser":"Globe","currency":"EU` + bad + `"`)},
			{"time zone", api.ContractPath(fresh, "BeginSale"), e.alice, sale(`"name":"Hamlet","organiser":"Globe","timeZone":"UTC` + bad + `"`)},
			{"sender", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(2, "A"), "bob"+bad, "Bob")},
			{"customer name", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(2, "A"), "bob", "Bo"+bad+"b")},
			{"seats sender", api.ContractPath(addr, "ReserveTickets"), e.shop, `{"seats":[` + seatJSON(2, "A") + `],"sender":"b` + bad + `","customerName":"Bob"}`},
			{"release sender", api.ContractPath(addr, "ReleaseTicket"), e.shop, `{"seat":` + seatJSON(1, "A") + `,"sender":"ann` + bad + `"}`},
			{"release section", api.ContractPath(addr, "ReleaseTicket"), e.shop, `{"seat":{"number":1,"letter":"A","section":"S` + bad + `"},"sender":"ann"}`},
			{"gate", api.ContractPath(addr, "CheckIn"), e.gate, `{"qr":` + jsonString(tk.QR) + `,"gate":"north` + bad + `"}`},
			{"nonce", api.ContractPath(addr, "CheckIn"), e.gate, `{"qr":` + jsonString(tk.QR) + `,"gate":"north","nonce":"n` + bad + `"}`},
			{"verify gate", api.ContractPath(addr, "VerifyTicket"), e.gate, `{"qr":` + jsonString(tk.QR) + `,"gate":"` + bad + `north"}`},
		} {
			t.Run(tc.name+bad, func(t *testing.T) {
				e.do("POST", tc.path, tc.key, tc.body).wantError(t, http.StatusBadRequest, ledger.EINVALID)
			})
		}
	}
	if got := e.admitOne(addr, tk.QR, "north"); got.Status != ledger.StatusAdmitted {
		t.Errorf("after the refusals the ticket scans %+v, want admitted", got)
	}
}

// TestSeatsDifferingOnlyInCaseRefused: a contract with 1A and 1a is a 400 in words.
func TestSeatsDifferingOnlyInCaseRefused(t *testing.T) {
	e := newEnv(t)
	e.do("POST", api.Base, e.alice, `{"venue":"Hall","seats":[{"number":1,"letter":"A"},{"number":1,"letter":"a"}]}`).
		wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "differ only in upper and lower case")
}

// TestSaleTimesBoundedOverHTTP: a show time or an end of sale of 2^63-1 is a 400 naming
// the limit.
func TestSaleTimesBoundedOverHTTP(t *testing.T) {
	e := newEnv(t)
	addr := e.create(threeSeats)
	tomorrow, end := itoa(e.clock.Now().Add(24*time.Hour).Unix()), itoa(e.height()+10)
	for name, tc := range map[string][2]string{"time": {"9223372036854775807", end}, "end": {tomorrow, "9223372036854775807"}} {
		body := `{"seatPrices":` + threePrices + `,"details":{"name":"Hamlet","organiser":"Globe","time":` + tc[0] + `,"endOfSale":` + tc[1] + `}}`
		r := e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, body)
		r.wantError(t, http.StatusBadRequest, ledger.EINVALID)
		if !strings.Contains(string(r.body), "year 2200") && !strings.Contains(string(r.body), "at most 100000000 blocks") {
			t.Errorf("%s: %s does not name the limit", name, r.body)
		}
	}
}

// postRaw posts data with the content type and the key to url, returning the answer.
func postRaw(t *testing.T, url, key, contentType string, data []byte) response {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// TestImageBombsRefused: a truncated progressive JPEG declaring 6324x6324 and a 16-bit
// PNG of 6300x6300, sent to decode, CheckIn, VerifyTicket (as a body and as a form), are
// a 400 in words, and the server allocates next to nothing for them (decoded, each took
// hundreds of MB).
func TestImageBombsRefused(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	bombs := map[string][]byte{"jpeg": imagebomb.ProgressiveJPEG(6324, 6324), "png": imagebomb.PNG16(6300, 6300)}
	for kind, data := range bombs {
		form, formBody := multipartBody(t, "image", data, map[string]string{"gate": "north"})
		for _, tc := range []struct {
			name, url, contentType string
			body                   []byte
		}{
			{"decode", e.srv.URL + server.DecodePath, "image/" + kind, data},
			{"CheckIn", e.srv.URL + api.ContractPath(addr, "CheckIn") + "?gate=north", "image/" + kind, data},
			{"VerifyTicket", e.srv.URL + api.ContractPath(addr, "VerifyTicket"), "image/" + kind, data},
			{"CheckInForm", e.srv.URL + api.ContractPath(addr, "CheckIn"), form, formBody},
		} {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				var r response
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				r = postRaw(t, tc.url, e.gate, tc.contentType, tc.body)
				runtime.ReadMemStats(&after)
				r.wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "larger than a camera frame")
				if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
					t.Errorf("the server allocated %d MB for a refused picture", n>>20)
				}
			})
		}
	}
}

// TestDecodesBeyondTheCapWait: while every decoder is busy, a picture waits briefly and
// is then answered 503 with Retry-After; once one is free it is decoded.
func TestDecodesBeyondTheCapWait(t *testing.T) {
	e := newEnv(t)
	h := newServer(t, e.store, nil)
	srv := serveWith(t, h, server.DefaultTimeouts)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "")
	pic, err := ticketpdf.QRPNG(tk.QR, ticketpdf.DefaultRecovery, 6)
	if err != nil {
		t.Fatal(err)
	}
	free := server.OccupyDecoders(h, 50*time.Millisecond)
	for _, url := range []string{srv.URL + server.DecodePath, srv.URL + api.ContractPath(addr, "CheckIn")} {
		r := postRaw(t, url, e.gate, "image/png", pic)
		r.wantError(t, http.StatusServiceUnavailable, ledger.EUNAVAILABLE)
		if r.header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", url)
		}
	}
	free()
	postRaw(t, srv.URL+server.DecodePath, e.gate, "image/png", pic).want(t, http.StatusOK, nil)
}

// stadiumOnSale creates a contract of n seats with a sale begun, through the store.
func (e *env) stadiumOnSale(n int) (string, []ledger.Seat) {
	e.t.Helper()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	seats := make([]ledger.Seat, n)
	prices := make([]ledger.SeatPrice, n)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "Block " + strconv.Itoa(i/1000), Number: i%1000/20 + 1, Letter: string(rune('A' + i%20))}
		prices[i] = ledger.SeatPrice{Seat: seats[i], Price: 4500}
	}
	c, _, err := e.store.Contracts.CreateContract(admin, "Stadium", seats)
	if err != nil {
		e.t.Fatal(err)
	}
	d := ledger.SaleDetails{Name: "Final", Organiser: "League", Time: e.clock.Now().Add(24 * time.Hour).Unix(), EndOfSale: e.height() + 100}
	if _, err := e.store.Contracts.BeginSale(admin, c.Address, prices, d); err != nil {
		e.t.Fatal(err)
	}
	return c.Address, seats
}

// TestTicketListPages: ?offset=&limit= answer part of the list, the same tickets as the
// whole list has there; the default answer is the whole list as a JSON array; bad
// parameters are a 400 in words.
func TestTicketListPages(t *testing.T) {
	e := newEnv(t)
	addr, seats := e.stadiumOnSale(2500)
	all := e.ticketList(addr)
	if len(all) != len(seats) || all[2499].Seat != seats[2499] {
		t.Fatalf("whole list: %d tickets, want %d in seat order", len(all), len(seats))
	}
	for _, tc := range []struct{ offset, limit, want int }{{0, 10, 10}, {995, 10, 10}, {1000, 1500, 1500}, {2490, 100, 10}, {3000, 5, 0}, {7, 0, 0}} {
		var page []ledger.Ticket
		e.do("GET", api.ContractPath(addr, "Tickets")+"?offset="+itoa(int64(tc.offset))+"&limit="+itoa(int64(tc.limit)), "", "").want(t, http.StatusOK, &page)
		if len(page) != tc.want || len(page) > 0 && page[0] != all[tc.offset] || len(page) > 0 && page[len(page)-1] != all[tc.offset+len(page)-1] {
			t.Errorf("offset %d limit %d: %d tickets, want %d from the list's %d", tc.offset, tc.limit, len(page), tc.want, tc.offset)
		}
	}
	for _, q := range []string{"?offset=-1", "?limit=x", "?limit=99999999"} {
		e.do("GET", api.ContractPath(addr, "Tickets")+q, "", "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
	}
}

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestTicketListSlowReaders: clients that ask for a 60,000-seat ticket list (9 MB each)
// and never read it hold a bounded share of the server's memory (the list is encoded as
// it is read, a chunk at a time), and the write timeout closes their connections.
func TestTicketListSlowReaders(t *testing.T) {
	e := newEnv(t)
	addr, _ := e.stadiumOnSale(60000)
	srv := serveWith(t, newServer(t, e.store, nil), server.Timeouts{ReadHeader: 5 * time.Second, Read: 5 * time.Second, Write: 6 * time.Second, Idle: 5 * time.Second})
	before := heapInUse()
	const readers = 16
	conns := make([]net.Conn, readers)
	for i := range conns {
		conns[i] = dialRaw(t, srv.URL)
		io.WriteString(conns[i], "GET "+api.ContractPath(addr, "Tickets")+" HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	var most int64
	for range 8 { // the largest heap while the handlers wait on the clients, until the timeout
		time.Sleep(500 * time.Millisecond)
		most = max(most, int64(heapInUse())-int64(before))
	}
	t.Logf("%d clients not reading the list: the heap grew by at most %d MB", readers, most>>20)
	if most > 64<<20 {
		t.Errorf("%d clients not reading the list held %d MB of the server's heap", readers, most>>20)
	}
	for _, c := range conns {
		waitClosed(t, c, 30*time.Second)
	}
}

// TestBrokenUploadsSaidInWords: a PNG with a bad chunk length and a body over the size
// limit are answered in sentences, without the Go decoder's or net/http's words
// ("png: invalid format: Bad chunk length", "http: request body too large").
func TestBrokenUploadsSaidInWords(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	bad := imagebomb.PNG16(100, 100)
	bad[33+3] = 0xff // the IDAT chunk's length
	e.postImage(addr, "CheckIn", "?gate=north", "image/png", bad).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	postRaw(t, e.srv.URL+server.DecodePath, e.gate, "image/png", bad).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	huge := `{"venue":"` + strings.Repeat("x", server.MaxBodyBytes) + `"}`
	e.do("POST", api.Base, e.alice, huge).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "larger than")
}
