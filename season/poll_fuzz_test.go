package season_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// FuzzPollCookies sends ats_ext_test_polling with arbitrary CID, QTKN and SID cookies (a
// real job's among the seeds) through the server's handler (in process): the answer is
// never a 5xx, always the envelope; result 0 only for the real job's cookies (202, under
// way), else a failure in words.
func FuzzPollCookies(f *testing.F) {
	h, target := pollServer(f)
	poll := func(cookie string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", target, bytes.NewBufferString(testPolling))
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := poll("")
	jar := map[string]string{}
	for _, c := range first.Result().Cookies() {
		jar[c.Name] = c.Value
	}
	if first.Code != http.StatusAccepted || jar["CID"] == "" {
		f.Fatalf("the job's start: %d %v", first.Code, jar)
	}
	f.Add(jar["CID"], jar["QTKN"], jar["SID"])
	f.Add(jar["CID"], jar["QTKN"]+"x", "")
	f.Add("", jar["QTKN"], "s")
	f.Add(`"quoted"`, "a;b", "\x00")
	f.Fuzz(func(t *testing.T, cid, qtkn, sid string) {
		rec := poll("CID=" + cid + "; QTKN=" + qtkn + "; SID=" + sid)
		if rec.Code >= 500 {
			t.Fatalf("CID %q QTKN %q SID %q: status %d: %s", cid, qtkn, sid, rec.Code, rec.Body.Bytes())
		}
		var env struct {
			Command1 map[string]any `json:"command1"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Command1 == nil {
			t.Fatalf("CID %q QTKN %q: %d answer is not the envelope: %s", cid, qtkn, rec.Code, rec.Body.Bytes())
		}
		result, _ := env.Command1["result"].(float64)
		detail, _ := env.Command1["error_detail"].(string)
		real := cid == jar["CID"] && qtkn == jar["QTKN"]
		if result == 0 && (rec.Code != http.StatusAccepted || !real) || result != 0 && detail == "" {
			t.Fatalf("CID %q QTKN %q: %d result %v %q", cid, qtkn, rec.Code, result, detail)
		}
	})
}

// pollServer is the server's handler whose commands answer 202 after 1 ms and whose
// ats_ext_test_polling runs for an hour, and the URL of sth-customer with a partner key
// whose limits never bind.
func pollServer(f *testing.F) (http.Handler, string) {
	st, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(f), sqlstore.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	svc, err := wiring.Season(wiring.Services(st), st, "", nil, season.Polling{Deadline: time.Millisecond, TestPollingDelay: time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	h, err := server.New(svc, nil)
	if err != nil {
		f.Fatal(err)
	}
	key, _, err := st.Keys.CreatePartnerKey(context.Background(), "fuzz", ledger.PartnerGrant{Product: "sth-customer", DSNs: []string{"main"}, PerMinute: 1 << 30, PerDay: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	return h, "/sth-customer/ticketing_services.aspx?" + url.Values{"dsn": {"main"}, "apikey": {key}}.Encode()
}
