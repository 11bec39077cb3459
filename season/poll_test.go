package season_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
)

// quickPolling answers 202 after 20 ms; ats_ext_test_polling takes 300 ms.
var quickPolling = season.Polling{Deadline: 20 * time.Millisecond, TestPollingDelay: 300 * time.Millisecond}

// testPolling is the seed's ats_ext_test_polling request.
var testPolling = envelope(map[string]any{"cmd": "ats_ext_test_polling", "uid": "user99", "dsn": "main", "ref": "R1"})

// cookie returns the reply's cookie of the name, or nil.
func (r reply) cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// jobCookies are the cookies a 202 set, to send back.
func (r reply) jobCookies(t *testing.T) []*http.Cookie {
	t.Helper()
	var out []*http.Cookie
	for _, name := range []string{season.CookieJob, season.CookieToken, season.CookieSession} {
		c := r.cookie(name)
		if c == nil || c.Value == "" || !c.HttpOnly || c.Path != "/" {
			t.Fatalf("the 202 sets %s as %v; want a value, HttpOnly, Path=/", name, c)
		}
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// pollUntilDone sends the body with the cookies every 20 ms until the answer is not 202.
func (e *env) pollUntilDone(key, body string, cookies []*http.Cookie) (reply, int) {
	e.t.Helper()
	return e.pollProduct("sth-customer", key, body, cookies)
}

// answered is r, the answer to body, or when r is a 202 the answer its polls end with:
// a command slower than the deadline is answered through polling.
func (e *env) answered(product, key, body string, r reply) reply {
	e.t.Helper()
	if r.status != http.StatusAccepted {
		return r
	}
	r, _ = e.pollProduct(product, key, body, r.jobCookies(e.t))
	return r
}

// pollProduct polls the product's endpoint every 20 ms until the answer is not 202.
func (e *env) pollProduct(product, key, body string, cookies []*http.Cookie) (reply, int) {
	e.t.Helper()
	for polls := 1; polls < 30000; polls++ {
		r := e.send(product, "main", key, body, cookies...)
		if r.status != http.StatusAccepted {
			return r, polls
		}
		if r.result() != 0 || r.Command1["poll_status"] != "running" {
			e.t.Fatalf("a 202 of a poll: result %d %v", r.result(), r.Command1)
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatal("the job was still running after 10 minutes of polls")
	return reply{}, 0
}

func TestSlowCommandPolledToItsAnswer(t *testing.T) {
	e := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, quickPolling)
	key := e.partner("sth-customer", "main")
	first := e.send("sth-customer", "main", key, testPolling, &http.Cookie{Name: season.CookieSession, Value: "my-session"})
	if first.status != http.StatusAccepted || first.result() != 0 || first.Command1["poll_status"] != "running" || first.Command1["ref"] != "R1" {
		t.Fatalf("first call: %d %v; want 202 under way", first.status, first.Command1)
	}
	cookies := first.jobCookies(t)
	if sid := first.cookie(season.CookieSession).Value; sid != "my-session" {
		t.Errorf("SID = %q; want the caller's my-session kept", sid)
	}
	done, _ := e.pollUntilDone(key, testPolling, cookies)
	if done.status != http.StatusOK || done.result() != 0 || done.Command1["cmd"] != "ats_ext_test_polling" || done.Command1["ref"] != "R1" {
		t.Fatalf("the answer: %d %v", done.status, done.Command1)
	}
	if c := done.cookie(season.CookieJob); c == nil || c.MaxAge >= 0 {
		t.Errorf("the answer leaves CID set (%v): a caller keeping cookies would send its next command as a poll", c)
	}
	again := e.send("sth-customer", "main", key, testPolling, cookies...)
	if again.status != http.StatusOK || again.result() != 0 {
		t.Errorf("polling again within 10 minutes: %d %v; want the kept answer", again.status, again.Command1)
	}
}

func TestQuickCommandAnswersAtOnce(t *testing.T) {
	e := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, season.Polling{Deadline: time.Minute, TestPollingDelay: time.Millisecond})
	key := e.partner("sth-customer", "main")
	r := e.post("sth-customer", "main", key, testPolling)
	if r.status != http.StatusOK || r.result() != 0 || r.cookie(season.CookieJob) != nil {
		t.Fatalf("a command done within the deadline: %d %v, cookies %v; want 200 without cookies", r.status, r.Command1, r.cookies)
	}
}

func TestPollsRefusedInWords(t *testing.T) {
	e := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, season.Polling{Deadline: 20 * time.Millisecond, TestPollingDelay: time.Minute})
	key := e.partner("sth-customer", "main")
	other := e.partner("sth-customer", "main")
	cookies := e.post("sth-customer", "main", key, testPolling).jobCookies(t)
	id, token, sid := cookies[0], cookies[1], cookies[2]
	ping := envelope(map[string]any{"cmd": "ping", "uid": "user99", "dsn": "main"})
	for _, c := range []struct {
		name, key, body string
		cookies         []*http.Cookie
		words           string
	}{
		{"unknown CID", key, testPolling, []*http.Cookie{{Name: "CID", Value: "nothing"}, token, sid}, "no job for these cookies"},
		{"wrong QTKN", key, testPolling, []*http.Cookie{id, {Name: "QTKN", Value: "guess"}, sid}, "no job for these cookies"},
		{"CID alone", key, testPolling, []*http.Cookie{id}, "both cookies"},
		{"another key", other, testPolling, cookies, "no job for these cookies"},
		{"another body", key, ping, cookies, "not the body the job was started with"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.send("sth-customer", "main", c.key, c.body, c.cookies...)
			if r.status != http.StatusOK || r.result() != season.ResultPoll || !strings.Contains(r.detail(), c.words) {
				t.Errorf("%d result %d %q; want 200 result %d saying %q", r.status, r.result(), r.detail(), season.ResultPoll, c.words)
			}
		})
	}
}

func TestPollThroughAnotherServerRunsTheJobOnce(t *testing.T) {
	a := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, quickPolling)
	b := envPolling(t, a.db, sqlstore.Options{}, quickPolling)
	key := a.partner("sth-customer", "main")
	runs := season.RunsOfTestPolling()
	first := a.post("sth-customer", "main", key, testPolling)
	if first.status != http.StatusAccepted {
		t.Fatalf("first call on A: %d %v; want 202", first.status, first.Command1)
	}
	done, polls := b.pollUntilDone(key, testPolling, first.jobCookies(t))
	if done.status != http.StatusOK || done.result() != 0 || done.Command1["cmd"] != "ats_ext_test_polling" {
		t.Fatalf("the answer through B: %d %v", done.status, done.Command1)
	}
	if n := season.RunsOfTestPolling() - runs; n != 1 {
		t.Errorf("the command ran %d times for one call and %d polls through another server; want once", n, polls)
	}
}

func TestPollOfAJobWhoseServerStopped(t *testing.T) {
	clock := testclock.New(testclock.Start, time.Second)
	stopped := season.Polling{Deadline: 20 * time.Millisecond, TestPollingDelay: time.Minute, LeaseRenewal: time.Hour}
	a := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{Now: clock.Now}, stopped)
	b := envPolling(t, a.db, sqlstore.Options{Now: clock.Now}, quickPolling)
	key := a.partner("sth-customer", "main")
	cookies := a.post("sth-customer", "main", key, testPolling).jobCookies(t)
	if r := b.send("sth-customer", "main", key, testPolling, cookies...); r.status != http.StatusAccepted {
		t.Fatalf("a poll within the lease: %d %v; want 202", r.status, r.Command1)
	}
	clock.Advance(ledger.JobLease)
	r := b.send("sth-customer", "main", key, testPolling, cookies...)
	if r.status != http.StatusOK || r.result() != season.ResultPoll || !strings.Contains(r.detail(), "send the command again without the cookies") {
		t.Errorf("a poll after the lease ran out: %d result %d %q; want result %d saying to send it again", r.status, r.result(), r.detail(), season.ResultPoll)
	}
}

func TestJobAnswerKeptTenMinutes(t *testing.T) {
	clock := testclock.New(testclock.Start, time.Second)
	e := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{Now: clock.Now}, quickPolling)
	key := e.partner("sth-customer", "main")
	cookies := e.post("sth-customer", "main", key, testPolling).jobCookies(t)
	e.pollUntilDone(key, testPolling, cookies)
	clock.Advance(ledger.JobKeep - time.Second)
	if r := e.send("sth-customer", "main", key, testPolling, cookies...); r.status != http.StatusOK || r.result() != 0 {
		t.Fatalf("a poll 10 minutes less a second after the answer: %d %v", r.status, r.Command1)
	}
	clock.Advance(time.Second)
	r := e.send("sth-customer", "main", key, testPolling, cookies...)
	if r.result() != season.ResultPoll || !strings.Contains(r.detail(), "kept 10 minutes") {
		t.Errorf("a poll 10 minutes after the answer: %d result %d %q; want result %d, gone", r.status, r.result(), r.detail(), season.ResultPoll)
	}
}

func TestPollsAreNotCountedAgainstTheLimits(t *testing.T) {
	clock := testclock.New(testclock.Start, time.Second)
	e := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{Now: clock.Now}, quickPolling)
	key := e.partner("sth-customer", "main")
	partner, _, err := e.store.Keys.Partner(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	calls := func() int64 {
		u, err := e.store.Calls.Usage(context.Background(), partner.KeyID)
		if err != nil {
			t.Fatal(err)
		}
		return u.DayCalls
	}
	cookies := e.post("sth-customer", "main", key, testPolling).jobCookies(t)
	_, polls := e.pollUntilDone(key, testPolling, cookies)
	if n := calls(); n != 1 {
		t.Errorf("one call and %d polls counted %d calls; want 1", polls, n)
	}
	e.send("sth-customer", "main", key, testPolling, &http.Cookie{Name: "CID", Value: "nothing"}, cookies[1])
	if n := calls(); n != 2 {
		t.Errorf("a poll of no job counted %d calls in all; want it counted, 2", n)
	}
}

func TestPolledAnswerIsTheSynchronousOne(t *testing.T) {
	atOnce := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, season.Polling{Deadline: time.Minute, TestPollingDelay: time.Millisecond})
	async := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, quickPolling)
	want := atOnce.post("sth-customer", "main", atOnce.partner("sth-customer", "main"), testPolling)
	key := async.partner("sth-customer", "main")
	got := async.answered("sth-customer", key, testPolling, async.post("sth-customer", "main", key, testPolling))
	if want.status != http.StatusOK || got.status != want.status || !reflect.DeepEqual(got.Command1, want.Command1) || !reflect.DeepEqual(got.Header, want.Header) {
		t.Errorf("polled: %d %v %v\nat once: %d %v %v", got.status, got.Command1, got.Header, want.status, want.Command1, want.Header)
	}
}

func TestPingCountsTheJobsRunning(t *testing.T) {
	e := envPolling(t, pgtest.LedgerDB(t), sqlstore.Options{}, season.Polling{Deadline: 20 * time.Millisecond, TestPollingDelay: time.Minute})
	key := e.partner("sth-customer", "main")
	if r := e.post("sth-customer", "main", key, testPolling); r.status != http.StatusAccepted {
		t.Fatalf("ats_ext_test_polling: %d; want 202", r.status)
	}
	r := e.post("sth-customer", "main", key, envelope(map[string]any{"cmd": "ping", "uid": "u", "dsn": "main"}))
	if n, _ := r.Command1["active_requests"].(float64); n < 2 { // 3 while the 202's handler returns
		t.Errorf("active_requests = %v while a job runs; want 2 (the ping and the job)", r.Command1["active_requests"])
	}
}
