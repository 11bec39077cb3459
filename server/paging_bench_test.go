package server_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// BenchmarkTicketListStadium reads the stadium's 60,000-ticket list over HTTP on loopback
// (SQLite), whole in one answer or paged 1,000 at a time by cursor, with and without
// gzip: the time to have the whole list's JSON in hand, and the bytes on the wire.
func BenchmarkTicketListStadium(b *testing.B) {
	st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	addr, _ := stadiumFixture(b, st, time.Now().Add(24*time.Hour).Unix())
	srv := httptest.NewServer(newServer(b, st, nil))
	b.Cleanup(srv.Close)
	path := api.ContractPath(addr, "Tickets")
	for _, mode := range []struct {
		name  string
		limit int
		gzip  bool
	}{{"whole", 0, false}, {"whole-gzip", 0, true}, {"paged", 1000, false}, {"paged-gzip", 1000, true}} {
		b.Run(mode.name, func(b *testing.B) {
			var wire, plain int64
			for b.Loop() {
				w, p := readList(b, srv.URL+path, mode.limit, mode.gzip)
				wire, plain = wire+w, plain+p
			}
			b.ReportMetric(float64(wire)/float64(b.N)/1e6, "wireMB/op")
			b.ReportMetric(float64(plain)/float64(b.N)/1e6, "jsonMB/op")
		})
	}
}

// readList reads the list at url, whole (limit 0) or following its Link page by page,
// asking for gzip or not and decompressing itself: the bytes on the wire and of JSON.
func readList(b *testing.B, u string, limit int, gz bool) (wire, plain int64) {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	next := u
	if limit > 0 {
		next += "?limit=1000"
	}
	for next != "" {
		req, _ := http.NewRequest("GET", next, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %v", next, err)
		}
		counted := &countingReader{r: resp.Body}
		var body io.Reader = counted
		if resp.Header.Get("Content-Encoding") == "gzip" {
			if body, err = gzip.NewReader(counted); err != nil {
				b.Fatal(err)
			}
		}
		n, err := io.Copy(io.Discard, body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		wire, plain = wire+counted.n, plain+n
		next = ""
		if c := api.NextCursor(resp.Header); c != "" && limit > 0 {
			next = u + "?limit=1000&cursor=" + url.QueryEscape(c)
		}
	}
	return wire, plain
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
