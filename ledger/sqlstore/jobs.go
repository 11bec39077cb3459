package sqlstore

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"sync/atomic"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Jobs keeps the jobs of the command API's asynchronous polling (ledger.CommandJobs): one
// row per job, 'running' under the lease of the server that runs it, then 'done' with its
// answer sealed under the job's token (see jobs_seal.go). Rows past their expiry count as
// gone and are deleted when jobs start.
type Jobs struct {
	*db
	lastPurge atomic.Int64 // unix nanoseconds of the last purge
}

var _ ledger.CommandJobs = (*Jobs)(nil)

// The longest job id and token accepted, in bytes.
const (
	maxJobID    = 64
	maxJobToken = 128
)

// StartJob records the job as running on j.Runner, with a lease of ledger.JobLease. It
// deletes the expired jobs at most once every purgeEvery per process.
func (s *Jobs) StartJob(ctx context.Context, j ledger.CommandJob) error {
	k, err := s.keys(j.ID, j.Token)
	if err != nil {
		return err
	}
	return s.update(ctx, "starting the job", ledger.Actor{}, "", lockUnrelated, func(w *wtx) error {
		if err := s.purge(w); err != nil {
			return err
		}
		now := w.now.UnixNano()
		_, err := w.exec(`INSERT INTO command_jobs (id, token_hash, key_id, body_mark, state, runner, lease_until, created_at, expires_at)
			VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)`, j.ID, k.tokenHash, j.KeyID, k.mark(j.Body), j.Runner,
			now+int64(ledger.JobLease), now, now+int64(ledger.JobRunLimit+ledger.JobKeep))
		return err
	})
}

// RenewJob extends the lease of the running job id, held by runner, by ledger.JobLease
// from now. A job that is done, gone or another runner's is left as it is.
func (s *Jobs) RenewJob(ctx context.Context, id, runner string) error {
	return s.update(ctx, "renewing the job's lease", ledger.Actor{}, "", lockUnrelated, func(w *wtx) error {
		_, err := w.exec(`UPDATE command_jobs SET lease_until = ? WHERE id = ? AND runner = ? AND state = 'running'`,
			w.now.UnixNano()+int64(ledger.JobLease), id, runner)
		return err
	})
}

// FinishJob keeps the job's answer, sealed under its token, for ledger.JobKeep from now.
func (s *Jobs) FinishJob(ctx context.Context, j ledger.CommandJob, status int, body []byte) error {
	k, err := s.keys(j.ID, j.Token)
	if err != nil {
		return err
	}
	sealed, err := k.seal(body)
	if err != nil {
		return s.internal("sealing the job's answer", err)
	}
	return s.update(ctx, "keeping the job's answer", ledger.Actor{}, "", lockUnrelated, func(w *wtx) error {
		_, err := w.exec(`UPDATE command_jobs SET state = 'done', status = ?, answer = ?, expires_at = ?
			WHERE id = ? AND runner = ? AND state = 'running'`,
			status, sealed, w.now.UnixNano()+int64(ledger.JobKeep), j.ID, j.Runner)
		return err
	})
}

// jobRow is what a poll reads of a job.
type jobRow struct {
	tokenHash, bodyMark, state, answer string
	keyID                              int64
	status                             int
	leaseUntil, expiresAt              int64
}

// PollJob returns the state of the job and, once done, its answer opened with the poll's
// token. An unknown or expired job, a wrong token and another key's job are one and the
// same ENOTFOUND, so a poll learns nothing of jobs that are not its own.
func (s *Jobs) PollJob(ctx context.Context, p ledger.JobPoll) (ledger.JobAnswer, error) {
	k, err := s.keys(p.ID, p.Token)
	if err != nil {
		return ledger.JobAnswer{}, errNoJob
	}
	var r jobRow
	err = s.reader(ctx).row(`SELECT token_hash, key_id, body_mark, state, status, answer, lease_until, expires_at
		FROM command_jobs WHERE id = ?`, p.ID).
		Scan(&r.tokenHash, &r.keyID, &r.bodyMark, &r.state, &r.status, &r.answer, &r.leaseUntil, &r.expiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.JobAnswer{}, errNoJob
	}
	if err != nil {
		return ledger.JobAnswer{}, s.internal("reading the job", err)
	}
	return s.answerOf(r, k, p)
}

// answerOf checks the poll against the job's row and returns what it may learn.
func (s *Jobs) answerOf(r jobRow, k jobKeys, p ledger.JobPoll) (ledger.JobAnswer, error) {
	now := s.now().UnixNano()
	switch {
	case subtle.ConstantTimeCompare([]byte(r.tokenHash), []byte(k.tokenHash)) != 1, r.keyID != p.KeyID, r.expiresAt <= now:
		return ledger.JobAnswer{}, errNoJob
	case subtle.ConstantTimeCompare([]byte(r.bodyMark), []byte(k.mark(p.Body))) != 1:
		return ledger.JobAnswer{}, ledger.Errorf(ledger.EREFUSED, "This poll's body is not the body the job was started with: send the same body with the cookies CID and QTKN, or a new command without them")
	case r.state == "running" && r.leaseUntil <= now:
		return ledger.JobAnswer{State: ledger.JobInterrupted}, nil
	case r.state == "running":
		return ledger.JobAnswer{State: ledger.JobRunning}, nil
	}
	body, err := k.open(r.answer)
	if err != nil {
		return ledger.JobAnswer{}, s.internal("opening the job's answer", err)
	}
	return ledger.JobAnswer{State: ledger.JobDone, Status: r.status, Body: body}, nil
}

// errNoJob is the one refusal of a poll whose job is not there for it.
var errNoJob = ledger.Errorf(ledger.ENOTFOUND, "There is no job for these cookies (CID and QTKN) and this key: it is unknown, or its answer was kept %d minutes and is gone. Send the command again without the cookies", int(ledger.JobKeep.Minutes()))

// keys checks the job's id and token and derives the token's values.
func (s *Jobs) keys(id, token string) (jobKeys, error) {
	if id == "" || token == "" || len(id) > maxJobID || len(token) > maxJobToken {
		return jobKeys{}, ledger.Errorf(ledger.EINVALID, "A job needs an id of 1 to %d bytes and a token of 1 to %d bytes", maxJobID, maxJobToken)
	}
	k, err := deriveJobKeys(id, token)
	if err != nil {
		return jobKeys{}, s.internal("deriving the job's keys", err)
	}
	return k, nil
}

// purge deletes the expired jobs, at most once every purgeEvery per process.
func (s *Jobs) purge(w *wtx) error {
	last := s.lastPurge.Load()
	now := w.now.UnixNano()
	if now-last < int64(purgeEvery) || !s.lastPurge.CompareAndSwap(last, now) {
		return nil
	}
	_, err := w.exec(`DELETE FROM command_jobs WHERE expires_at <= ?`, now)
	return err
}
