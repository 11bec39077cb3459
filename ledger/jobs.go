package ledger

import (
	"context"
	"time"
)

// The command API of seed 004 (package season) answers a command that is not done within
// a short deadline with 202 and two cookies, CID (the job's id) and QTKN (its token); the
// caller sends the same body again with them until the answer is there. A CommandJob is
// such a command, kept by a CommandJobs store so that any server of the same database can
// answer the polls, while the server that accepted the job runs it.
const (
	// JobKeep is how long a job's answer is kept once it is done: a poll later than that
	// finds no job.
	JobKeep = 10 * time.Minute
	// JobRunLimit bounds how long a job may run.
	JobRunLimit = 10 * time.Minute
	// JobLease is how long a running job stays the accepting server's without that
	// server renewing it: a poll of a job whose lease ran out learns that it was
	// interrupted (the server stopped) and must be sent again.
	JobLease = 30 * time.Second
)

// CommandJob is a job being started: who started it, with what, and who runs it.
type CommandJob struct {
	// ID names the job (the CID cookie).
	ID string
	// Token is the job's secret (the QTKN cookie). It is never stored: its SHA-256 finds
	// the job and a key derived from it seals the answer.
	Token string
	// KeyID is the partner key that started the job; only it may poll.
	KeyID int64
	// Body is the SHA-256 of the request's body: a poll must send the same body.
	Body [32]byte
	// Runner names the server running the job (random per process).
	Runner string
}

// JobPoll is a poll of a job: its cookies, the key polling and the SHA-256 of the body.
type JobPoll struct {
	ID    string
	Token string
	KeyID int64
	Body  [32]byte
}

// JobState is where a polled job stands.
type JobState string

// The states a poll finds a job in.
const (
	JobRunning     JobState = "running"     // the server running it holds its lease
	JobDone        JobState = "done"        // its answer is kept
	JobInterrupted JobState = "interrupted" // its server stopped before the answer
)

// JobAnswer is what a poll learns of a job: its state and, once done, the answer the
// command gave (its HTTP status and body, byte for byte).
type JobAnswer struct {
	State  JobState
	Status int
	Body   []byte
}

// CommandJobs keeps the jobs of the command API's asynchronous polling, shared by every
// server of a database. Implementations keep neither the token nor the answer in a form
// that gives them back: the answer (which may hold ticket codes) only sealed under a key
// derived from the token, which only the caller's cookie holds.
type CommandJobs interface {
	// StartJob records a job that j.Runner runs from now, with its lease (JobLease).
	StartJob(ctx context.Context, j CommandJob) error
	// RenewJob extends the lease of a running job by its runner: the runner calls it well
	// within every JobLease while the job runs.
	RenewJob(ctx context.Context, id, runner string) error
	// FinishJob keeps the answer of the job, sealed under its token, for JobKeep.
	FinishJob(ctx context.Context, j CommandJob, status int, body []byte) error
	// PollJob returns the job's state and, once done, its answer. ENOTFOUND in words for
	// an unknown or expired job, a wrong token, or a job another key started; EREFUSED
	// for a body other than the job's.
	PollJob(ctx context.Context, p JobPoll) (JobAnswer, error)
}
