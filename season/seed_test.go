package season_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"

	"github.com/ticketbooth-go/ticketbooth/season"
)

// seedSample is the seed's sample request of the command (testdata/seed004, copied from
// seed 004 verbatim) with its DSN apigee replaced by main, keeping its case (APIGEE is
// MAIN), and each replacement given applied (old, new, ...).
func seedSample(t *testing.T, cmd string, replace ...string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "seed004", cmd+".json"))
	if err != nil {
		t.Fatal(err)
	}
	replace = append([]string{"apigee", "main", "APIGEE", "MAIN"}, replace...)
	return strings.NewReplacer(replace...).Replace(string(data))
}

// TestSeedSamples sends the seed's six sample requests verbatim (but for the DSN) to the
// URL the seed gives (/sth-customer/ticketing_services.aspx?dsn=…&apikey=…). The
// samples' account 100479 does not exist here: customer_query and seats_sold answer that
// in words, and answer again for an account made here, put in its place.
// ats_ext_test_polling is answered 202 first and polled to its answer (its delay and the
// deadline shortened).
func TestSeedSamples(t *testing.T) {
	e := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, season.Polling{Deadline: 100 * time.Millisecond, TestPollingDelay: 500 * time.Millisecond})
	key := e.partner("sth-buy", "main")
	send := func(body string) reply {
		return e.answered("sth-customer", key, body, e.post("sth-customer", "main", key, body))
	}
	event, acct := e.event(1, 4), e.account("ada@example.com")
	e.paid(key, e.heldCart(key, event, acct, 2), "100.00")
	t.Run("ping", func(t *testing.T) {
		r := send(seedSample(t, "ping"))
		if r.status != 200 || r.result() != 0 || r.Command1["system_available"] != "Y" || r.Command1["db_name"] != "main" {
			t.Errorf("%d %v", r.status, r.Command1)
		}
	})
	t.Run("event_search", func(t *testing.T) {
		r := send(seedSample(t, "event_search"))
		wantEnvelope(t, "event_search", r)
		wantFailure(t, "event_search of 2016", r, season.ResultNoEvents, "No events found between 2016-10-01 and 2016-12-31")
		if r.Command1["ref"] != "1AB2C3" || r.Header["archtics_version"] != "v999" {
			t.Errorf("ref %v, header %v: want them echoed", r.Command1["ref"], r.Header)
		}
		r = send(seedSample(t, "event_search", "2016-10-01", "2000-01-01", "2016-12-31", "2100-12-31"))
		if r.result() != 0 || len(r.events()) != 1 || r.events()[0]["event_name"] != event {
			t.Errorf("event_search over the years: %v", r.Command1)
		}
	})
	t.Run("event_details", func(t *testing.T) {
		wantFailure(t, "event_details of Event01, Event02", send(seedSample(t, "event_details")), season.ResultNoEvents, "Event01, Event02")
		r := send(seedSample(t, "event_details", "Event01", event))
		if r.result() != 0 || len(r.events()) != 1 || r.events()[0]["event_description"] != "Hamlet" {
			t.Errorf("event_details of %s: %v", event, r.Command1)
		}
	})
	t.Run("customer_query", func(t *testing.T) {
		r := send(seedSample(t, "customer_query"))
		wantFailure(t, "customer_query of 100479", r, season.ResultNotFound, "There is no account 100479.")
		if r.Command1["ref"] != "optional-reference" {
			t.Errorf("ref = %v", r.Command1["ref"])
		}
		r = send(seedSample(t, "customer_query", "100479", itoa(acct)))
		if c := r.customerOf(); r.result() != 0 || c["email"] != "ada@example.com" || c["name_last"] != "Lovelace" {
			t.Errorf("customer_query of the account made: %v", r.Command1)
		}
	})
	t.Run("seats_sold", func(t *testing.T) {
		wantFailure(t, "seats_sold of 100479", send(seedSample(t, "seats_sold")), season.ResultNotFound, "There is no account 100479.")
		r := send(seedSample(t, "seats_sold", "100479", itoa(acct)))
		if r.result() != 0 || number(t, r.Command1["Count"]) != 2 || len(list(t, r.Command1["seats_array"])) != 1 {
			t.Errorf("seats_sold of the account made: %v", r.Command1)
		}
	})
	t.Run("ats_ext_test_polling", func(t *testing.T) {
		body := seedSample(t, "ats_ext_test_polling")
		first := e.post("sth-customer", "main", key, body)
		if first.status != http.StatusAccepted || first.result() != 0 {
			t.Fatalf("%d %v, want 202: the command takes longer than the deadline", first.status, first.Command1)
		}
		r, _ := e.pollProduct("sth-customer", key, body, first.jobCookies(t))
		if r.status != http.StatusOK || r.result() != 0 || r.Command1["cmd"] != "ats_ext_test_polling" {
			t.Errorf("polled to %d %v, want 200 result 0", r.status, r.Command1)
		}
	})
}
