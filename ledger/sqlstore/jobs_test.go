package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// newJob is a job of key 7 with a body, run by "server-a".
func newJob(id string) ledger.CommandJob {
	return ledger.CommandJob{ID: id, Token: "token-of-" + id, KeyID: 7, Body: sha256.Sum256([]byte(`{"command1":{}}`)), Runner: "server-a"}
}

// pollOf is the poll of j with its own cookies, key and body.
func pollOf(j ledger.CommandJob) ledger.JobPoll {
	return ledger.JobPoll{ID: j.ID, Token: j.Token, KeyID: j.KeyID, Body: j.Body}
}

func mustPoll(tb testing.TB, st ledger.CommandJobs, p ledger.JobPoll, want ledger.JobState) ledger.JobAnswer {
	tb.Helper()
	a, err := st.PollJob(context.Background(), p)
	if err != nil || a.State != want {
		tb.Fatalf("PollJob = %+v, %v; want %s", a, err, want)
	}
	return a
}

func TestJobsPollToTheAnswer(t *testing.T) {
	e := openEnv(t)
	ctx := context.Background()
	j := newJob("job-1")
	mustNil(t, e.store.Jobs.StartJob(ctx, j), "StartJob")
	mustPoll(t, e.store.Jobs, pollOf(j), ledger.JobRunning)
	body := []byte(`{"command1":{"barcode":"secret-ticket-code"}}`)
	mustNil(t, e.store.Jobs.FinishJob(ctx, j, 200, body), "FinishJob")
	a := mustPoll(t, e.store.Jobs, pollOf(j), ledger.JobDone)
	if a.Status != 200 || !bytes.Equal(a.Body, body) {
		t.Errorf("answer = %d %s; want 200 %s", a.Status, a.Body, body)
	}
	mustPoll(t, e.store.Jobs, pollOf(j), ledger.JobDone) // kept: a second poll gets it again
}

func TestJobsPollRefused(t *testing.T) {
	e := openEnv(t)
	j := newJob("job-1")
	mustNil(t, e.store.Jobs.StartJob(context.Background(), j), "StartJob")
	for name, p := range map[string]ledger.JobPoll{
		"UnknownJob":  {ID: "job-2", Token: j.Token, KeyID: j.KeyID, Body: j.Body},
		"WrongToken":  {ID: j.ID, Token: "guess", KeyID: j.KeyID, Body: j.Body},
		"NoToken":     {ID: j.ID, KeyID: j.KeyID, Body: j.Body},
		"AnotherKey":  {ID: j.ID, Token: j.Token, KeyID: 8, Body: j.Body},
		"AnotherBody": {ID: j.ID, Token: j.Token, KeyID: j.KeyID, Body: sha256.Sum256([]byte("other"))},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.store.Jobs.PollJob(context.Background(), p)
			want := ledger.ENOTFOUND
			if name == "AnotherBody" {
				want = ledger.EREFUSED
			}
			wantCode(t, err, want)
		})
	}
}

func TestJobsAnswerIsSealed(t *testing.T) {
	e := openEnv(t)
	j := newJob("job-1")
	ctx := context.Background()
	mustNil(t, e.store.Jobs.StartJob(ctx, j), "StartJob")
	body := []byte(`{"command1":{"barcode":"secret-ticket-code"}}`)
	mustNil(t, e.store.Jobs.FinishJob(ctx, j, 200, body), "FinishJob")
	var id, tokenHash, mark, answer string
	err := e.rawDB(t).QueryRow(`SELECT id, token_hash, body_mark, answer FROM command_jobs`).Scan(&id, &tokenHash, &mark, &answer)
	mustNil(t, err, "reading the row")
	row := id + tokenHash + mark + answer
	for _, plain := range []string{"secret-ticket-code", j.Token, base64.StdEncoding.EncodeToString(body)} {
		if strings.Contains(row, plain) {
			t.Errorf("the row holds %q in the clear", plain)
		}
	}
	if sealed, _ := base64.StdEncoding.DecodeString(answer); len(sealed) < len(body) {
		t.Errorf("the sealed answer is %d bytes; want at least the answer's %d", len(sealed), len(body))
	}
}

func TestJobsExpireTenMinutesAfterTheAnswer(t *testing.T) {
	e := openEnv(t)
	ctx := context.Background()
	j := newJob("job-1")
	mustNil(t, e.store.Jobs.StartJob(ctx, j), "StartJob")
	mustNil(t, e.store.Jobs.FinishJob(ctx, j, 200, []byte(`{}`)), "FinishJob")
	e.clock.Advance(ledger.JobKeep - time.Second)
	mustPoll(t, e.store.Jobs, pollOf(j), ledger.JobDone)
	e.clock.Advance(time.Second)
	_, err := e.store.Jobs.PollJob(ctx, pollOf(j))
	wantCode(t, err, ledger.ENOTFOUND)
	mustNil(t, e.store.Jobs.StartJob(ctx, newJob("job-2")), "StartJob of another job")
	var n int
	mustNil(t, e.rawDB(t).QueryRow(`SELECT COUNT(*) FROM command_jobs WHERE id = 'job-1'`).Scan(&n), "counting")
	if n != 0 {
		t.Errorf("the expired job is still stored after the next job started")
	}
}

func TestJobsInterruptedWhenTheLeaseRunsOut(t *testing.T) {
	e := openEnv(t)
	ctx := context.Background()
	j := newJob("job-1")
	mustNil(t, e.store.Jobs.StartJob(ctx, j), "StartJob")
	e.clock.Advance(ledger.JobLease - time.Second)
	mustNil(t, e.store.Jobs.RenewJob(ctx, j.ID, j.Runner), "RenewJob")
	e.clock.Advance(ledger.JobLease - time.Second)
	mustPoll(t, e.store.Jobs, pollOf(j), ledger.JobRunning)
	mustNil(t, e.store.Jobs.RenewJob(ctx, j.ID, "server-b"), "RenewJob by another runner")
	e.clock.Advance(time.Second)
	mustPoll(t, e.store.Jobs, pollOf(j), ledger.JobInterrupted)
}

func TestJobsPolledThroughAnotherStore(t *testing.T) {
	e := openEnv(t)
	other := mustOpen(t, e.db, sqlstore.Options{BlockInterval: testInterval, Now: e.clock.Now})
	ctx := context.Background()
	j := newJob("job-1")
	mustNil(t, e.store.Jobs.StartJob(ctx, j), "StartJob")
	mustPoll(t, other.Jobs, pollOf(j), ledger.JobRunning)
	mustNil(t, e.store.Jobs.FinishJob(ctx, j, 200, []byte(`{"ok":1}`)), "FinishJob")
	if a := mustPoll(t, other.Jobs, pollOf(j), ledger.JobDone); string(a.Body) != `{"ok":1}` {
		t.Errorf("the other store reads %s", a.Body)
	}
}
