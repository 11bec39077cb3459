package sqlstore_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestIdempotencyReplaysTheFirstAnswer(t *testing.T) {
	e := openEnv(t)
	ctx := e.actor(t, ledger.RoleBoxOffice, "till")
	st := e.store.Idempotency
	a, err := st.Begin(ctx, "key-1", []byte("request"))
	if err != nil || a != nil {
		t.Fatalf("first Begin = %v, %v; want a claim", a, err)
	}
	answer := ledger.Answer{Status: 201, Header: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(`{"key":"secret-ticket-key"}`)}
	mustNil(t, st.Finish(ctx, "key-1", answer), "Finish")
	got, err := st.Begin(ctx, "key-1", []byte("request"))
	if err != nil || got == nil || got.Status != 201 || !bytes.Equal(got.Body, answer.Body) || got.Header["Content-Type"][0] != "application/json" {
		t.Fatalf("retry Begin = %+v, %v; want the first answer", got, err)
	}
	_, err = st.Begin(ctx, "key-1", []byte("another request"))
	wantCode(t, err, ledger.ECONFLICT)
	other := e.actor(t, ledger.RoleBoxOffice, "other till")
	if a, err := st.Begin(other, "key-1", []byte("request")); err != nil || a != nil {
		t.Fatalf("another actor's Begin with the same key = %v, %v; want a claim of its own", a, err)
	}
}

func TestIdempotencyRunningKeyIsRefused(t *testing.T) {
	e := openEnv(t)
	ctx := e.actor(t, ledger.RoleBoxOffice, "till")
	st := e.store.Idempotency
	var wg sync.WaitGroup
	var mu sync.Mutex
	claims, conflicts := 0, 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := st.Begin(ctx, "same", []byte("request"))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && a == nil:
				claims++
			case ledger.ErrorCode(err) == ledger.ECONFLICT && strings.Contains(ledger.ErrorMessage(err), "in progress"):
				conflicts++
			default:
				t.Errorf("Begin = %v, %v", a, err)
			}
		}()
	}
	wg.Wait()
	if claims != 1 || conflicts != 7 {
		t.Fatalf("claims %d, in-progress refusals %d; want 1 and 7", claims, conflicts)
	}
	mustNil(t, st.Abandon(ctx, "same"), "Abandon")
	if a, err := st.Begin(ctx, "same", []byte("request")); err != nil || a != nil {
		t.Fatalf("Begin after Abandon = %v, %v; want a new claim", a, err)
	}
}

func TestIdempotencyForgetsAfterTheWindow(t *testing.T) {
	e := openEnv(t)
	ctx := e.actor(t, ledger.RoleBoxOffice, "till")
	st := e.store.Idempotency
	if _, err := st.Begin(ctx, "k", []byte("r")); err != nil {
		t.Fatal(err)
	}
	mustNil(t, st.Finish(ctx, "k", ledger.Answer{Status: 200, Body: []byte("first")}), "Finish")
	e.clock.Advance(ledger.IdempotencyWindow - time.Minute)
	if a, err := st.Begin(ctx, "k", []byte("r")); err != nil || a == nil {
		t.Fatalf("Begin within the window = %v, %v; want the answer", a, err)
	}
	e.clock.Advance(2 * time.Minute)
	if a, err := st.Begin(ctx, "k", []byte("other")); err != nil || a != nil {
		t.Fatalf("Begin after the window = %v, %v; want a new claim", a, err)
	}
	// A later claim purges the rows past the window.
	if _, err := st.Begin(ctx, "old", []byte("r")); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(ledger.IdempotencyWindow + time.Hour)
	if _, err := st.Begin(ctx, "new", []byte("r")); err != nil {
		t.Fatal(err)
	}
	var n int
	mustNil(t, e.rawDB(t).QueryRow(`SELECT COUNT(*) FROM idempotency`).Scan(&n), "count")
	if n != 1 {
		t.Fatalf("%d rows after the purge, want 1 (the new claim)", n)
	}
}

func TestIdempotencyStoresNoSecretInClear(t *testing.T) {
	e := openEnv(t)
	ctx := e.actor(t, ledger.RoleBoxOffice, "till")
	st := e.store.Idempotency
	const key, secret = "client-key-4f1c", "TICKETKEY0123456789abcdef"
	if _, err := st.Begin(ctx, key, []byte("request")); err != nil {
		t.Fatal(err)
	}
	mustNil(t, st.Finish(ctx, key, ledger.Answer{Status: 201, Body: []byte(`{"key":"` + secret + `"}`)}), "Finish")
	rows, err := e.rawDB(t).Query(`SELECT actor, key_hash, request, state, status, answer FROM idempotency`)
	mustNil(t, err, "reading the rows")
	defer rows.Close()
	for rows.Next() {
		var actor, keyHash, request, state, status, answer string
		mustNil(t, rows.Scan(&actor, &keyHash, &request, &state, &status, &answer), "scan")
		for _, col := range []string{actor, keyHash, request, state, status, answer} {
			if strings.Contains(col, secret) || strings.Contains(col, key) || strings.Contains(col, "request") {
				t.Fatalf("a stored column holds the answer, the key or the request in clear: %q", col)
			}
		}
		if answer == "" || state != "done" || status != "201" {
			t.Fatalf("row state %q status %q answer %q", state, status, answer)
		}
	}
	// The row cannot be opened with another key: the same row under the name of another
	// key (as someone with the database might try) answers nothing readable.
	_, err = st.Begin(ctx, "client-key-4f1d", []byte("request"))
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, e.rawDB(t), `UPDATE idempotency SET state = 'done', status = 201, answer = (SELECT answer FROM idempotency i WHERE i.state = 'done' AND i.status = 201 LIMIT 1) WHERE state = 'running'`)
	_, err = st.Begin(ctx, "client-key-4f1d", []byte("request"))
	wantInternal(t, err)
}

// wantInternal fails unless err is EINTERNAL.
func wantInternal(tb testing.TB, err error) {
	tb.Helper()
	if ledger.ErrorCode(err) != ledger.EINTERNAL {
		tb.Fatalf("err = %v, want an internal error", err)
	}
}
