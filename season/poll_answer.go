package season

import (
	"crypto/sha256"
	"net/http"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The cookies of asynchronous polling, as the seed names them.
const (
	CookieJob     = "CID"  // the job's id
	CookieToken   = "QTKN" // the job's token: only its holder reads the job's answer
	CookieSession = "SID"  // the caller's session: kept as the caller sent it
)

// maxSession bounds a caller's SID cookie kept as it is; a longer one is replaced.
const maxSession = 128

// answerPoll answers a call that carries the cookies of a job of its key, sent with the
// job's body: 202 while the job runs, then the command's answer with its status. It
// reports whether it answered; when the cookies name no such job, c.pollRefused says why,
// and the call is refused after it is counted against the key's limits.
func (h *Handler) answerPoll(w http.ResponseWriter, r *http.Request, c *call) bool {
	id, token, ok := jobCookies(r)
	if !ok || h.svc.Jobs == nil {
		return false
	}
	if id == "" || token == "" {
		c.pollRefused = failf(ResultPoll, "A poll needs both cookies the 202 set, CID and QTKN: send the command again without either.")
		return false
	}
	if h.readBody(r, c) != nil {
		return false // read says what is wrong with the body, once the call is counted
	}
	a, err := h.svc.Jobs.PollJob(r.Context(), ledger.JobPoll{ID: id, Token: token, KeyID: c.actor.KeyID, Body: sha256.Sum256(c.data)})
	if err != nil {
		c.pollRefused = h.pollFailure(err)
		return false
	}
	c.req, _ = parseEnvelope(c.data) // the job's body: it was read when the job started
	h.answerJob(w, r, c, a)
	return true
}

// answerJob answers a poll of a job of the caller's.
func (h *Handler) answerJob(w http.ResponseWriter, r *http.Request, c *call, a ledger.JobAnswer) {
	switch a.State {
	case ledger.JobRunning:
		setSession(w, r)
		h.write(w, http.StatusAccepted, answer(c.req, ResultOK, underWay(), ""))
	case ledger.JobInterrupted:
		clearJobCookies(w, r)
		h.fail(w, c.req, failf(ResultPoll, "The server running this command stopped before it finished, so it has no answer: send the command again without the cookies CID and QTKN."))
	default:
		clearJobCookies(w, r)
		o := outcome{status: a.Status, body: a.Body}
		if a.Status == http.StatusServiceUnavailable {
			o.retryAfter = time.Second
		}
		h.send(w, o)
	}
}

// pollFailure turns the store's refusal of a poll into its failure: ResultPoll in the
// store's words, or 503 when the store could not say.
func (h *Handler) pollFailure(err error) *failure {
	switch ledger.ErrorCode(err) {
	case ledger.ENOTFOUND, ledger.EREFUSED:
		return failf(ResultPoll, "%s", sentence(ledger.ErrorMessage(err)))
	}
	h.log.Error("reading a job", "err", err)
	return failureOf(err)
}

// sentence ends a message with a full stop.
func sentence(msg string) string {
	if strings.HasSuffix(msg, ".") {
		return msg
	}
	return msg + "."
}

// jobCookies returns the job's cookies of the request; ok is false when it carries
// neither.
func jobCookies(r *http.Request) (id, token string, ok bool) {
	if c, err := r.Cookie(CookieJob); err == nil {
		id, ok = c.Value, true
	}
	if c, err := r.Cookie(CookieToken); err == nil {
		token, ok = c.Value, true
	}
	return id, token, ok
}

// setJobCookies sets the cookies of a job just started: CID and QTKN for as long as the
// job may run and its answer is kept, and the session.
func setJobCookies(w http.ResponseWriter, r *http.Request, j ledger.CommandJob) {
	age := int((ledger.JobRunLimit + ledger.JobKeep).Seconds())
	http.SetCookie(w, jobCookie(r, CookieJob, j.ID, age))
	http.SetCookie(w, jobCookie(r, CookieToken, j.Token, age))
	setSession(w, r)
}

// clearJobCookies removes the job's cookies once it is answered or refused, so that a
// caller keeping cookies sends its next command as a new one. The session stays.
func clearJobCookies(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, jobCookie(r, CookieJob, "", -1))
	http.SetCookie(w, jobCookie(r, CookieToken, "", -1))
}

// setSession sets SID: the caller's own when it sent one, else a new one.
func setSession(w http.ResponseWriter, r *http.Request) {
	sid := ""
	if c, err := r.Cookie(CookieSession); err == nil && c.Value != "" && len(c.Value) <= maxSession {
		sid = c.Value
	}
	if sid == "" {
		sid = randomText(18)
	}
	http.SetCookie(w, jobCookie(r, CookieSession, sid, 0))
}

// jobCookie is a cookie of polling: HttpOnly, for the whole host, Secure over TLS.
// maxAge 0 is a session cookie, negative deletes it.
func jobCookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode}
}
