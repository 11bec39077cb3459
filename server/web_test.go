package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// gateFixture is a real server over a SQLite ledger with a contract on sale under the
// identity policy (40 seats, rows 1-5) and three tickets sold, one per QR.
type gateFixture struct {
	clock   *testClock
	st      *sqlstore.Store
	srv     *httptest.Server
	addr    string
	keys    map[ledger.Role]string
	tickets []issuer.Purchase // Ada 1A, Grace 1B, Alan 1C
	admin   context.Context
	late    *lateServer // holds a check-in on request
}

// testClock is the ledger's clock: real time shifted back by an offset the test winds
// forward, so a test can check tickets in at earlier times without going backwards.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Now().Add(-time.Duration(c.offset.Load())) }
func (c *testClock) SetBack(d time.Duration) { c.offset.Store(int64(d)) }

func newGateFixture(tb testing.TB) *gateFixture {
	return newGateFixtureAt(tb, 0)
}

// newGateFixtureAt makes the fixture with the ledger's clock back at now - back.
func newGateFixtureAt(tb testing.TB, back time.Duration) *gateFixture {
	tb.Helper()
	ctx := context.Background()
	clock := &testClock{}
	clock.SetBack(back)
	st, err := sqlstore.Open(ctx, pgtest.LedgerDB(tb), sqlstore.Options{Now: clock.Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	f := &gateFixture{clock: clock, st: st, keys: map[ledger.Role]string{}, admin: ledger.WithActor(ctx, ledger.Actor{Admin: true, Name: "admin"})}
	for _, role := range []ledger.Role{ledger.RoleOrganizer, ledger.RoleScanner, ledger.RoleBoxOffice} {
		key, _, err := st.Keys.CreateKey(ctx, role, string(role)+" test")
		if err != nil {
			tb.Fatal(err)
		}
		f.keys[role] = key
	}
	org, err := st.Keys.Authenticate(ctx, f.keys[ledger.RoleOrganizer])
	if err != nil {
		tb.Fatal(err)
	}
	f.sell(tb, ledger.WithActor(ctx, org))
	f.late = &lateServer{}
	f.srv = httptest.NewServer(f.late.wrap(newServer(tb, st, slog.New(slog.DiscardHandler))))
	tb.Cleanup(f.srv.Close)
	return f
}

// sell creates the contract as the organizer, opens the sale and sells three tickets.
func (f *gateFixture) sell(tb testing.TB, ctx context.Context) {
	tb.Helper()
	var seats []ledger.Seat
	var prices []ledger.SeatPrice
	for row := 1; row <= 5; row++ {
		for _, l := range "ABCDEFGH" {
			s := ledger.Seat{Number: row, Letter: string(l)}
			seats = append(seats, s)
			prices = append(prices, ledger.SeatPrice{Seat: s, Price: 2500})
		}
	}
	c, _, err := f.st.Contracts.CreateContract(ctx, "Gopher Hall", seats)
	if err != nil {
		tb.Fatal(err)
	}
	f.addr = c.Address
	if _, err := f.st.Contracts.SetIdentityPolicy(ctx, f.addr, true); err != nil {
		tb.Fatal(err)
	}
	info, err := f.st.Journal.Info(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	details := ledger.SaleDetails{Name: "Opening Night", Organiser: "Gopher Players", Time: time.Now().Add(2 * time.Hour).Unix(),
		EndOfSale: f.st.Clock().HeightAfter(info.Height, 3*time.Hour), Currency: "EUR"}
	if _, err := f.st.Contracts.BeginSale(ctx, f.addr, prices, details); err != nil {
		tb.Fatal(err)
	}
	is := &issuer.Issuer{Ledger: f.st.Selling}
	for i, name := range []string{"Ada Lovelace", "Grace Hopper", "Alan Turing"} {
		p, err := is.Reserve(ctx, f.addr, issuer.Request{Seats: seats[i : i+1], CustomerName: name, Sender: "box office", TicketsPerQR: 1})
		if err != nil {
			tb.Fatal(err)
		}
		f.tickets = append(f.tickets, p)
	}
}

// do sends a request with the role's key ("" for none) and returns the status and body.
func (f *gateFixture) do(tb testing.TB, method, path string, role ledger.Role, typ string, body []byte) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+f.keys[role])
	}
	if typ != "" {
		req.Header.Set("Content-Type", typ)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return res.StatusCode, data
}

// ticketFrame is a camera frame: the QR of text on white paper, centred in a w x h
// grey scene, at modulePx pixels per module.
func ticketFrame(tb testing.TB, text string, w, h, modulePx int) *image.RGBA {
	tb.Helper()
	frame := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(frame, frame.Bounds(), &image.Uniform{color.RGBA{205, 208, 212, 255}}, image.Point{}, draw.Src)
	if text == "" {
		return frame
	}
	data, err := ticketpdf.QRPNG(text, ticketpdf.DefaultRecovery, modulePx)
	if err != nil {
		tb.Fatal(err)
	}
	qr, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	b := qr.Bounds()
	at := image.Pt((w-b.Dx())/2, (h-b.Dy())/2)
	draw.Draw(frame, b.Add(at), qr, b.Min, draw.Src)
	return frame
}

// pageFrame is what the scanner page sends: the central square, at most 640 px, as a
// JPEG of quality 70.
func pageFrame(tb testing.TB, img *image.RGBA) []byte {
	tb.Helper()
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	sq := img.SubImage(image.Rect((b.Dx()-side)/2, (b.Dy()-side)/2, (b.Dx()+side)/2, (b.Dy()+side)/2))
	out := min(side, 640)
	dst := image.NewRGBA(image.Rect(0, 0, out, out))
	for y := range out {
		for x := range out {
			dst.Set(x, y, sq.At(sq.Bounds().Min.X+x*side/out, sq.Bounds().Min.Y+y*side/out))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 70}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestWebPages(t *testing.T) {
	f := newGateFixture(t)
	for _, path := range []string{"/scan", "/scan/" + f.addr, "/dashboard", "/dashboard/" + f.addr} {
		t.Run(strings.ReplaceAll(path, "/", "_"), func(t *testing.T) {
			res, body := get(t, f.srv.URL+path, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			if got := res.Header.Get("Content-Security-Policy"); got != server.PageCSP || !strings.Contains(got, "script-src 'self'") {
				t.Errorf("Content-Security-Policy %q", got)
			}
			checkNoInlineCode(t, string(body))
		})
	}
}

// checkNoInlineCode fails on script without src, style elements, style attributes and
// event-handler attributes: the CSP would block them.
func checkNoInlineCode(t *testing.T, html string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1) {
		if !strings.Contains(m, `src="/assets/`) {
			t.Errorf("inline script %s", m)
		}
	}
	if m := regexp.MustCompile(`<style|\sstyle=|\son[a-z]+=`).FindString(html); m != "" {
		t.Errorf("inline style or handler %q", m)
	}
}

func TestWebAssets(t *testing.T) {
	f := newGateFixture(t)
	seen := map[string]bool{}
	queue := []string{"/scan", "/dashboard"}
	ref := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"|from '\./([^']+)'`)
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		res, body := get(t, f.srv.URL+path, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, res.StatusCode)
			continue
		}
		if m := regexp.MustCompile(`(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/`).FindString(string(body)); m != "" && !strings.Contains(m, "www.w3.org") {
			t.Errorf("%s loads from another host: %s", path, m)
		}
		for _, m := range ref.FindAllStringSubmatch(string(body), -1) {
			next := m[1]
			if next == "" {
				next = server.AssetsPath + m[2]
			}
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	for _, want := range []string{"/assets/scan.js", "/assets/common.js", "/assets/sound.js", "/assets/dashboard.js", "/assets/base.css", "/assets/icon.svg"} {
		if !seen[want] {
			t.Errorf("%s is not referenced by the pages", want)
		}
	}
	t.Run("ContentTypes", func(t *testing.T) {
		for path, want := range map[string]string{"/assets/scan.js": "text/javascript; charset=utf-8",
			"/assets/scan.css": "text/css; charset=utf-8", "/assets/icon.svg": "image/svg+xml"} {
			res, _ := get(t, f.srv.URL+path, nil)
			if got := res.Header.Get("Content-Type"); got != want {
				t.Errorf("%s: Content-Type %q, want %q", path, got, want)
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: no nosniff", path)
			}
		}
	})
	t.Run("Revalidate", func(t *testing.T) {
		res, _ := get(t, f.srv.URL+"/assets/scan.js", nil)
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		res, body := get(t, f.srv.URL+"/assets/scan.js", map[string]string{"If-None-Match": etag})
		if res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("status %d with %d bytes, want 304 and nothing", res.StatusCode, len(body))
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		for _, path := range []string{"/assets/nope.js", "/assets/scan.html", "/assets/../server.go"} {
			if res, _ := get(t, f.srv.URL+path, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, res.StatusCode)
			}
		}
	})
	t.Run("RootRedirects", func(t *testing.T) {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Get(f.srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != server.ScanPath {
			t.Errorf("status %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

func get(t *testing.T, url string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func TestDecodeFrame(t *testing.T) {
	f := newGateFixture(t)
	qr := f.tickets[0].QR[0]
	frame := pageFrame(t, ticketFrame(t, qr, 640, 480, 4))
	before := f.transactions(t)
	t.Run("OK", func(t *testing.T) {
		status, body := f.do(t, http.MethodPost, server.DecodePath, ledger.RoleScanner, "image/jpeg", frame)
		var got server.DecodeResponse
		if status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.QR != qr {
			t.Fatalf("status %d body %s, want 200 with the ticket's QR text", status, body)
		}
	})
	t.Run("OrganizerKey", func(t *testing.T) {
		if status, body := f.do(t, http.MethodPost, server.DecodePath, ledger.RoleOrganizer, "image/jpeg", frame); status != http.StatusOK {
			t.Fatalf("status %d body %s", status, body)
		}
	})
	blank := pageFrame(t, ticketFrame(t, "", 640, 480, 4))
	for _, tc := range []struct {
		name   string
		role   ledger.Role
		typ    string
		body   []byte
		status int
		code   string
	}{
		{"NoCode", ledger.RoleScanner, "image/jpeg", blank, http.StatusUnprocessableEntity, ledger.EINVALID},
		{"NoKey", "", "image/jpeg", frame, http.StatusUnauthorized, ledger.EUNAUTHORIZED},
		{"BoxOfficeKey", ledger.RoleBoxOffice, "image/jpeg", frame, http.StatusForbidden, ledger.EFORBIDDEN},
		{"NotAnImage", ledger.RoleScanner, "text/plain", []byte("hello"), http.StatusBadRequest, ledger.EINVALID},
		{"CorruptImage", ledger.RoleScanner, "image/png", []byte("\x89PNG\r\n\x1a\nbroken"), http.StatusBadRequest, ledger.EINVALID},
		{"Empty", ledger.RoleScanner, "image/jpeg", nil, http.StatusBadRequest, ledger.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.do(t, http.MethodPost, server.DecodePath, tc.role, tc.typ, tc.body)
			var e api.ErrorResponse
			if err := json.Unmarshal(body, &e); err != nil || status != tc.status || e.Code != tc.code || e.Error == "" {
				t.Errorf("status %d body %s, want %d %s with a message", status, body, tc.status, tc.code)
			}
		})
	}
	t.Run("NotAnImageInWords", func(t *testing.T) {
		_, body := f.do(t, http.MethodPost, server.DecodePath, ledger.RoleScanner, "text/plain", []byte("hello"))
		var e api.ErrorResponse
		if json.Unmarshal(body, &e) != nil || strings.Contains(e.Error, "Content-Type") || !strings.Contains(e.Error, "upload a photo or screenshot") {
			t.Errorf("a file that is not a picture: %q, want plain words and the way out (a photo or screenshot)", e.Error)
		}
	})
	if after := f.transactions(t); after != before {
		t.Errorf("decoding wrote to the journal: %d transactions before, %d after", before, after)
	}
}

// transactions counts the journal's transactions.
func (f *gateFixture) transactions(t *testing.T) int64 {
	t.Helper()
	rep, err := f.st.Journal.Verify(f.admin)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Transactions
}

func TestGateCounts(t *testing.T) {
	f := newGateFixture(t)
	checkIn := api.CheckInRequest{QR: f.tickets[1].QR[0], Gate: "North", Nonce: "n1"}
	body, _ := json.Marshal(checkIn)
	if status, b := f.do(t, http.MethodPost, api.ContractPath(f.addr, "CheckIn"), ledger.RoleScanner, "application/json", body); status != http.StatusOK {
		t.Fatalf("check-in: %d %s", status, b)
	}
	rep, err := f.st.Gate.CheckIns(f.admin, f.addr)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ gate, role string }{{"North", "scanner"}, {"South", "organizer"}} {
		status, b := f.do(t, http.MethodGet, api.ContractPath(f.addr, "GateCounts")+"?gate="+tc.gate, ledger.Role(tc.role), "", nil)
		var got server.GateCounts
		if status != http.StatusOK || json.Unmarshal(b, &got) != nil {
			t.Fatalf("%s: %d %s", tc.gate, status, b)
		}
		want := server.GateCounts{Sale: rep.Sale, Sold: rep.Sold, Admitted: rep.Admitted, ToCome: rep.ToCome, Inside: rep.Inside, Gate: tc.gate, GateAdmitted: rep.PerGate[tc.gate], Gates: []string{"North"}, Doubles: []ledger.DoubleEntry{}}
		if !reflect.DeepEqual(got, want) || got.Sold != 3 {
			t.Errorf("%s: got %+v, want %+v", tc.gate, got, want)
		}
	}
	unknown, err := ledger.NewAddress()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		role       ledger.Role
		status     int
	}{
		{"NoKey", api.ContractPath(f.addr, "GateCounts"), "", http.StatusUnauthorized},
		{"BoxOffice", api.ContractPath(f.addr, "GateCounts"), ledger.RoleBoxOffice, http.StatusForbidden},
		{"BadAddress", api.ContractPath("nope", "GateCounts"), ledger.RoleScanner, http.StatusBadRequest},
		{"UnknownContract", api.ContractPath(unknown, "GateCounts"), ledger.RoleScanner, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := f.do(t, http.MethodGet, tc.path, tc.role, "", nil)
			if status != tc.status {
				t.Errorf("status %d %s, want %d", status, b, tc.status)
			}
		})
	}
}

// BenchmarkDecodeFrame is one camera frame through the decode endpoint, as the scanner
// page sends it: the central square of the frame, at most 640 px, JPEG quality 70.
func BenchmarkDecodeFrame(b *testing.B) {
	f := newGateFixture(b)
	for _, size := range []struct {
		name string
		w, h int
		text bool
	}{{"640x480", 640, 480, true}, {"1280x720", 1280, 720, true}, {"640x480-no-code", 640, 480, false}} {
		b.Run(size.name, func(b *testing.B) {
			text := ""
			if size.text {
				text = f.tickets[0].QR[0]
			}
			frame := pageFrame(b, ticketFrame(b, text, size.w, size.h, 4*size.h/480))
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				status, _ := f.do(b, http.MethodPost, server.DecodePath, ledger.RoleScanner, "image/jpeg", frame)
				if size.text && status != http.StatusOK || !size.text && status != http.StatusUnprocessableEntity {
					b.Fatalf("status %d", status)
				}
			}
		})
	}
}
