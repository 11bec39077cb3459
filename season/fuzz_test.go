package season_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// fuzzProducts are the paths' products a fuzzed call goes to, one unknown.
var fuzzProducts = []string{"sth-customer", "sth-inventory", "sth-hold", "sth-buy", "sth-nothing"}

// FuzzEnvelope sends arbitrary bodies through the server's real handler (in process) to
// each product's path, with a partner key of sth-inventory whose limits never bind: the
// answer is never a 5xx nor a panic, and always the envelope, a failure's with words.
// The seeds are the seed's requests and each of the read and customer commands' bodies,
// naming a real event and account, so that mutations reach the ledger.
func FuzzEnvelope(f *testing.F) {
	h, key, event, acct := fuzzServer(f)
	for _, seed := range fuzzSeeds(event, acct) {
		f.Add(uint8(1), seed)
		f.Add(uint8(0), seed)
	}
	f.Add(uint8(4), `{"header":{},"command1":{"cmd":"ping","dsn":"main"}}`)
	f.Fuzz(func(t *testing.T, pick uint8, body string) {
		product := fuzzProducts[int(pick)%len(fuzzProducts)]
		req := httptest.NewRequest("POST", "/"+product+"/ticketing_services.aspx?dsn=main&apikey="+key, bytes.NewBufferString(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", product, body, rec.Code, rec.Body.Bytes())
		}
		var env struct {
			Command1 map[string]any `json:"command1"`
			Header   map[string]any `json:"header"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Command1 == nil || env.Header == nil {
			t.Fatalf("%s %q: %d answer is not the envelope: %s", product, body, rec.Code, rec.Body.Bytes())
		}
		result, ok := env.Command1["result"].(float64)
		detail, _ := env.Command1["error_detail"].(string)
		answered := rec.Code == http.StatusOK || rec.Code == http.StatusAccepted // 202: under way (polling)
		if !ok || result != 0 && detail == "" || result == 0 && !answered {
			t.Fatalf("%s %q: %d result %v detail %q", product, body, rec.Code, env.Command1["result"], detail)
		}
	})
}

// fuzzServer is the server's handler over a fresh ledger with an event on sale and an
// account, and a partner key of sth-inventory with limits that never bind.
func fuzzServer(f *testing.F) (http.Handler, string, string, int64) {
	st, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(f), sqlstore.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	svc, err := wiring.Season(wiring.Services(st), st, "", nil, season.Polling{TestPollingDelay: time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	h, err := server.New(svc, nil)
	if err != nil {
		f.Fatal(err)
	}
	key, _, err := st.Keys.CreatePartnerKey(context.Background(), "fuzz", ledger.PartnerGrant{Product: "sth-inventory", DSNs: []string{"main"}, PerMinute: 1 << 30, PerDay: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	e := &env{store: st}
	event := e.openTB(f, theatre("Fuzz", time.Now().Add(72*time.Hour)))
	cu, err := st.Customers.CreateCustomer(admin(), ledger.Customer{LastName: "Fuzz", Email: "fuzz@example.org"})
	if err != nil {
		f.Fatal(err)
	}
	return h, key, event, cu.ID
}

// fuzzSeeds are envelopes of the commands, naming the event and the account.
func fuzzSeeds(event string, acct int64) []string {
	header := `"header":{"ver":1,"src_sys_type":2,"src_sys_name":"testing","archtics_version":"V999"}`
	bodies := []string{
		`"cmd":"ping","call_reason":"test","uid":"user99"`,
		`"cmd":"ats_ext_test_polling","uid":"user99"`,
		`"cmd":"event_search","ref":"1AB2C3","uid":"USER99","start_date":"2016-10-01","end_date":"2016-12-31"`,
		`"cmd":"event_search","num_seats":"2","hold_class":"OPEN","venue_name":"Stadttheater","season_name":"2027"`,
		`"cmd":"event_details","event_filter":"Event01, ` + event + `","event_filter_type":"L","count":1`,
		`"cmd":"event_details","event_filter":["2027"],"event_filter_type":"S","prev_event_name":"` + event + `"`,
		fmt.Sprintf(`"cmd":"customer_query","ref":"optional-reference","site_name":"vanilla","acct_id":%d,"call_reason":"S"`, acct),
		`"cmd":"customer_query","email":"fuzz@example.org","pin":"1234"`,
		`"cmd":"customer_query","alt_id":"X-1","alt_id_type":"crm","call_reason":"S"`,
		`"cmd":"customer_add","customer":{"name_last":"Neu","email":"neu@example.org","country":"ch","alt_id":"X-2","alt_id_type":"crm"},"pin":"4711"`,
		fmt.Sprintf(`"cmd":"customer_update","customer":{"acct_id":%d,"name_last":"Fuzz","email":"fuzz@example.org"},"call_reason":"S","new_pin":"9999","lock_account":"N"`, acct),
		fmt.Sprintf(`"cmd":"seats_sold","call_reason":"test","acct_id":%d,"event_filter":["%s"],"count":2,"page_key":"%s:1:0"`, acct, event, event),
		`"cmd":"get_avail_seats","event_name":"` + event + `","summary_flag":"N"`,
		`"cmd":"event_price_info","event_name":"` + event + `"`,
	}
	seeds := []string{``, `null`, `[]`, `{"header":{},"command1":{}}`, "\xef\xbb\xbf{}"}
	for _, b := range bodies {
		seeds = append(seeds, `{`+header+`,"command1":{`+b+`,"dsn":"main"}}`)
	}
	return seeds
}
