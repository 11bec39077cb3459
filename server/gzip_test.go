package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
)

// sendRaw sends req with Accept-Encoding as given ("" for none) through a transport that
// decompresses nothing itself: the answer's headers and its bytes as they came.
func (e *env) sendRaw(req *http.Request, acceptEncoding string) (http.Header, []byte) {
	e.t.Helper()
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.Header, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the answer is not gzip: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("the gzip answer does not decompress: %v", err)
	}
	return out
}

// TestGzipTicketList: the streamed ticket list, whole or paged, is compressed for a
// client that accepts gzip (and only then), decompresses to the very bytes sent
// uncompressed, and says Vary: Accept-Encoding either way; q=0 refuses gzip.
func TestGzipTicketList(t *testing.T) {
	e := newEnv(t)
	addr, _ := e.stadiumOnSale(2500)
	for _, query := range []string{"", "?limit=100", "?offset=2000&limit=1000"} {
		url := e.srv.URL + api.ContractPath(addr, "Tickets") + query
		req, _ := http.NewRequest("GET", url, nil)
		h, plain := e.sendRaw(req, "")
		req, _ = http.NewRequest("GET", url, nil)
		hz, zipped := e.sendRaw(req, "br;q=1.0, gzip;q=0.8")
		if h.Get("Content-Encoding") != "" || hz.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%q: Content-Encoding %q without gzip asked, %q with", query, h.Get("Content-Encoding"), hz.Get("Content-Encoding"))
		}
		if got := gunzip(t, zipped); !bytes.Equal(got, plain) || len(zipped) >= len(plain)/4 {
			t.Errorf("%q: gzip gives %d bytes decompressing to %d, plain %d", query, len(zipped), len(got), len(plain))
		}
		for _, hh := range []http.Header{h, hz} {
			if hh.Get("Vary") != "Accept-Encoding" || hh.Get(api.TotalCountHeader) != "2500" || hh.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("%q: Vary %q, X-Total-Count %q, type %q", query, hh.Get("Vary"), hh.Get(api.TotalCountHeader), hh.Get("Content-Type"))
			}
		}
		if hz.Get("Link") != h.Get("Link") {
			t.Errorf("%q: Link %q with gzip, %q without", query, hz.Get("Link"), h.Get("Link"))
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+api.ContractPath(addr, "Tickets"), nil)
	if h, _ := e.sendRaw(req, "gzip;q=0, identity"); h.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got Content-Encoding %q", h.Get("Content-Encoding"))
	}
}

// TestGzipNotForSmallOrCompressed: a tiny answer, an error, a PNG and a PDF ticket go as
// they are to a client that accepts gzip.
func TestGzipNotForSmallOrCompressed(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	req, _ := http.NewRequest("GET", e.srv.URL+api.LedgerPath, nil)
	if h, body := e.sendRaw(req, "gzip"); h.Get("Content-Encoding") != "" || !strings.HasPrefix(string(body), "{") {
		t.Errorf("ledger info: Content-Encoding %q, body %.20q", h.Get("Content-Encoding"), body)
	}
	req, _ = http.NewRequest("GET", e.srv.URL+api.ContractPath(addr, "Tickets")+"?cursor=x", nil)
	if h, body := e.sendRaw(req, "gzip"); h.Get("Content-Encoding") != "" || !strings.Contains(string(body), "cursor") {
		t.Errorf("bad cursor: Content-Encoding %q, body %.80q", h.Get("Content-Encoding"), body)
	}
	for i, accept := range []string{"image/png", "application/pdf"} {
		req, _ = http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, "ReserveTicket"),
			strings.NewReader(reserveBody(seatJSON(1, string(rune('A'+i))), "ann", "")))
		req.Header.Set("Authorization", "Bearer "+e.shop)
		req.Header.Set("Accept", accept)
		h, body := e.sendRaw(req, "gzip")
		if h.Get("Content-Type") != accept || h.Get("Content-Encoding") != "" || len(body) < 100 {
			t.Errorf("%s ticket: type %q, Content-Encoding %q, %d bytes", accept, h.Get("Content-Type"), h.Get("Content-Encoding"), len(body))
		}
	}
}

// TestGzipRequestNotInflated: a request body sent gzip-compressed is not decompressed:
// it is refused in words as a body that is not JSON.
func TestGzipRequestNotInflated(t *testing.T) {
	e := newEnv(t)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	io.WriteString(zw, `{"venue":"Hall","seats":[{"number":1,"letter":"A"}]}`)
	zw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+api.Base, &zipped)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Authorization", "Bearer "+e.alice)
	r := e.send(req)
	r.wantError(t, http.StatusBadRequest, "invalid")
	if strings.Contains(string(r.body), "gzip") || strings.Contains(string(r.body), "\\x1f") {
		t.Errorf("the refusal shows the compressed bytes: %s", r.body)
	}
}
