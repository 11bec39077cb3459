package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// lateServer holds the check-ins sent while it is holding, then lets them run to the end
// although the page gave up on them: a server that answers too late.
type lateServer struct {
	mu   sync.Mutex
	hold chan struct{} // closed to let the held check-in go on
	done chan struct{} // closed when the held check-in has been answered
}

func (l *lateServer) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		hold, done := l.hold, l.done
		l.hold, l.done = nil, nil
		if hold == nil || !strings.HasSuffix(r.URL.Path, "/CheckIn") {
			l.hold, l.done = hold, done
			l.mu.Unlock()
			h.ServeHTTP(w, r)
			return
		}
		l.mu.Unlock()
		<-hold
		h.ServeHTTP(w, r.WithContext(context.WithoutCancel(r.Context())))
		close(done)
	})
}

// holdNext makes the next check-in wait for release; done is closed once it is answered.
func (l *lateServer) holdNext() (release func(), done <-chan struct{}) {
	hold, finished := make(chan struct{}), make(chan struct{})
	l.mu.Lock()
	l.hold, l.done = hold, finished
	l.mu.Unlock()
	return sync.OnceFunc(func() { close(hold) }), finished
}

// sellOne sells one ticket per seat in one QR to name and returns the QR text.
func (f *gateFixture) sellOne(t *testing.T, name string, seats ...ledger.Seat) string {
	t.Helper()
	is := &issuer.Issuer{Ledger: f.st.Selling}
	p, err := is.Reserve(f.admin, f.addr, issuer.Request{Seats: seats, CustomerName: name, Sender: "box office", TicketsPerQR: len(seats)})
	if err != nil {
		t.Fatal(err)
	}
	return p.QR[0]
}

// checkedIn reports whether the seat is checked in, as the ledger says.
func (f *gateFixture) checkedIn(t *testing.T, seat ledger.Seat) bool {
	t.Helper()
	rep, err := f.st.Gate.CheckIns(f.admin, f.addr)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.CheckIns {
		if e.Seat == seat {
			return true
		}
	}
	return false
}

// coverCamera stops the fake camera's picture reaching the page, so that only the
// scans the test makes are checked in.
func (b *browser) coverCamera() {
	b.t.Helper()
	b.do("covering the camera", chromedp.Evaluate[chromedp.Void](`document.getElementById('video').srcObject = null`))
}

// closeResult closes the result screen and waits for the scanner to be ready.
func (b *browser) closeResult() {
	b.t.Helper()
	b.do("closing the result", chromedp.Click(chromedp.CSS("#result")))
	b.poll("the scanner screen", `document.getElementById('result').hidden && document.activeElement.id === 'wedge'`)
}

// pasteWedge puts text in the wedge field and submits it at once, as a paste does
// (typing a QR's text key by key takes seconds).
func (b *browser) pasteWedge(text string) {
	b.t.Helper()
	b.do("pasting into the wedge", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		document.getElementById('wedge').value = %q; document.getElementById('wedge-form').requestSubmit(); })()`, text)))
}

// seatsShown is the list of seats on the result screen.
func (b *browser) seatsShown() string {
	b.t.Helper()
	return eval[string](b, `document.getElementById('result-seats').textContent`)
}

// roundTrip has the page fetch from the server and wait for the answer, so any answer
// still on its way to the page has arrived when it returns.
func (b *browser) roundTrip() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`fetch('/api/v1.0/ledger').then(() => true, () => true)`, chromedp.EvalAwaitPromise)); err != nil {
		b.t.Fatalf("round trip: %v", err)
	}
}

// wantStill fails unless the result screen still shows the n-th result with outcome.
func (b *browser) wantStill(n int, outcome string) {
	b.t.Helper()
	got := eval[string](b, `(() => { const r = document.getElementById('result'); return r.dataset.seq + ' ' + r.dataset.outcome; })()`)
	if got != fmt.Sprintf("%d %s", n, outcome) {
		b.t.Errorf("the result screen shows %q, want %d %s still: nothing may replace it late", got, n, outcome)
	}
}

// checkMixedVerdict scans a two-seat code whose second seat was released: one person may
// pass, and the screen says which seat may not, in a state of its own.
func (b *browser) checkMixedVerdict(t *testing.T, f *gateFixture, n int) {
	t.Helper()
	seats := []ledger.Seat{{Number: 5, Letter: "G"}, {Number: 5, Letter: "H"}}
	qr := f.sellOne(t, "Edsger Dijkstra", seats...)
	if _, err := f.st.Selling.Release(f.admin, f.addr, ledger.ReleaseRequest{Seat: seats[1], Sender: "box office"}); err != nil {
		t.Fatal(err)
	}
	b.pasteWedge(qr)
	v := b.waitVerdict(n, "partial")
	if v.Word != "ADMIT 1 OF 2" || !strings.Contains(v.Detail, "5G") || v.Name != "Edsger Dijkstra" {
		t.Errorf("two seats, one released: %+v, want ADMIT 1 OF 2 letting in 5G", v)
	}
	if s := b.seatsShown(); !strings.Contains(s, "Not seat 5H: not sold") {
		t.Errorf("the refused seat is shown as %q, want seat 5H and why", s)
	}
	b.shot("scanner-partial")
	b.closeResult()
}

// checkLongName admits a ticket with a long name: its lines end between words.
func (b *browser) checkLongName(t *testing.T, f *gateFixture, n int) {
	t.Helper()
	name := "Maximiliane Bartholomäus-Oppenheimer"
	b.pasteWedge(f.sellOne(t, name, ledger.Seat{Number: 5, Letter: "F"}))
	if v := b.waitVerdict(n, "admit"); v.Name != name {
		t.Errorf("long name shown as %q", v.Name)
	}
	style := eval[string](b, `(() => { const s = getComputedStyle(document.getElementById('result-name'));
		return [s.wordBreak, s.overflowWrap, s.hyphens].join(' '); })()`)
	if style != "normal break-word auto" {
		t.Errorf("the name's word-break, overflow-wrap and hyphens are %q, want normal break-word auto", style)
	}
	splits := eval[[]string](b, `(() => { const node = document.getElementById('result-name').firstChild, text = node.textContent;
		const r = document.createRange(), out = []; let top = null;
		for (let i = 0; i < text.length; i++) {
			r.setStart(node, i); r.setEnd(node, i + 1);
			const box = r.getBoundingClientRect();
			if (!box.width) continue;
			if (top !== null && box.top > top + 2 && /[^\s-]/.test(text[i - 1])) out.push(text.slice(0, i) + '|' + text.slice(i));
			top = box.top;
		}
		return out; })()`)
	if len(splits) > 0 {
		t.Errorf("the name is broken inside a word: %q", splits)
	}
	b.closeResult()
}

// checkLateAnswer holds a check-in past the page's deadline: the page shows NOT CHECKED,
// the late answer never replaces it, and scanning again (with the same nonce) shows the
// admission the server made meanwhile rather than ALREADY CHECKED IN.
func (b *browser) checkLateAnswer(t *testing.T, f *gateFixture, late *lateServer, n int) {
	t.Helper()
	seat, other := ledger.Seat{Number: 5, Letter: "E"}, ledger.Seat{Number: 5, Letter: "A"}
	qr := f.sellOne(t, "Barbara Liskov", seat)
	otherQR := f.sellOne(t, "John Backus", other)
	release, done := late.holdNext()
	defer release()
	b.pasteWedge(qr)
	b.poll("the check-in to be under way", `document.getElementById('wedge-form').classList.contains('checking')`)
	b.pasteWedge(otherQR) // while the first is being checked: dropped, not queued
	if msg := eval[string](b, `document.getElementById('toast').textContent`); !strings.HasPrefix(msg, "Still checking the last ticket") {
		t.Errorf("a scan during a check-in says %q", msg)
	}
	v := b.waitVerdict(n, "unchecked")
	if v.Word != "NOT CHECKED" || v.Detail != "The server did not answer in time" {
		t.Errorf("a check-in past the deadline: %+v", v)
	}
	release()
	<-done
	b.roundTrip()
	b.wantStill(n, "unchecked")
	if f.checkedIn(t, other) {
		t.Errorf("the scan made during a check-in was sent later: %s is checked in", other)
	}
	if !f.checkedIn(t, seat) {
		t.Fatalf("the held check-in did not admit %s on the server", seat)
	}
	b.closeResult()
	b.pasteWedge(qr)
	if again := b.waitVerdict(n+1, "admit"); again.Name != "Barbara Liskov" {
		t.Errorf("scanning again after NOT CHECKED: %+v, want the ADMIT the server made", again)
	}
	b.closeResult()
}

// checkServerStopped stops the server mid-shift: a scan is NOT CHECKED and dropped, and
// once the server is back the next scan is the only one sent.
func (b *browser) checkServerStopped(t *testing.T, f *gateFixture, n int) {
	t.Helper()
	dropped := ledger.Seat{Number: 5, Letter: "D"}
	qr := f.sellOne(t, "Ken Thompson", dropped)
	next := f.sellOne(t, "Dennis Ritchie", ledger.Seat{Number: 5, Letter: "C"})
	addr, handler := f.srv.Listener.Addr().String(), f.srv.Config.Handler
	f.srv.Close()
	b.pasteWedge(qr)
	v := b.waitVerdict(n, "unchecked")
	if v.Word != "NOT CHECKED" || v.Detail != "Server unreachable" {
		t.Errorf("a scan with the server stopped: %+v", v)
	}
	b.shot("scanner-unchecked")
	b.poll("the unreachable banner", `document.getElementById('banner').textContent === 'Server unreachable — tickets cannot be checked'`)
	b.closeResult()
	restart(t, f, addr, handler)
	b.pasteWedge(next)
	if v := b.waitVerdict(n+1, "admit"); v.Name != "Dennis Ritchie" {
		t.Errorf("the first scan after the server came back: %+v, want Dennis Ritchie admitted", v)
	}
	if f.checkedIn(t, dropped) {
		t.Errorf("the scan made while the server was stopped was sent later: %s is checked in", dropped)
	}
	b.closeResult()
}

// restart serves the handler again at the address the page knows.
func restart(t *testing.T, f *gateFixture, addr string, handler http.Handler) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listening at %s again: %v", addr, err)
	}
	f.srv = httptest.NewUnstartedServer(handler)
	f.srv.Listener.Close()
	f.srv.Listener = l
	f.srv.Start()
	t.Cleanup(f.srv.Close)
}

// checkKeyRevoked revokes the scanner's key mid-shift: a scan is NOT CHECKED, says the
// key was refused, and admits nobody.
func (b *browser) checkKeyRevoked(t *testing.T, f *gateFixture, n int) {
	t.Helper()
	seat := ledger.Seat{Number: 5, Letter: "B"}
	qr := f.sellOne(t, "Frances Allen", seat)
	b.checkKeyRefused(t, f)
	b.pasteWedge(qr)
	v := b.waitVerdict(n, "unchecked")
	if v.Word != "NOT CHECKED" || !strings.HasPrefix(v.Detail, "Key refused") {
		t.Errorf("a scan with the key revoked: %+v", v)
	}
	b.roundTrip()
	b.wantStill(n, "unchecked")
	if f.checkedIn(t, seat) {
		t.Errorf("%s was admitted with a revoked key", seat)
	}
}

// checkUploadWords uploads a file that is neither a picture nor a PDF: the page says so
// in plain words, with the way out, and checks nothing in. Then a PDF of two codes: the
// first is checked, and the screen says the second was not.
func (b *browser) checkUploadWords(t *testing.T, f *gateFixture, n int) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(file, []byte("Row 5, seat A: bring the ticket"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("uploading a text file", chromedp.SetUploadFiles(chromedp.CSS("#upload"), []string{file}))
	b.poll("the file's problem in words", `/photo or a screenshot/.test(document.getElementById('toast').textContent)`)
	if msg := eval[string](b, `document.getElementById('toast').textContent`); strings.Contains(msg, "Content-Type") || strings.Contains(msg, "body") {
		t.Errorf("a text file uploaded: %q, want plain words", msg)
	}
	b.wantStill(n, "admit")
	pdf, _ := f.ticketsPDF(t, 2)
	file = filepath.Join(t.TempDir(), "tickets.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("uploading a PDF of two codes", chromedp.SetUploadFiles(chromedp.CSS("#upload"), []string{file}))
	v := b.waitVerdict(n+1, "already")
	note := eval[string](b, `document.getElementById('result-note').textContent`)
	if !strings.Contains(v.Detail, "Seat 1A") || !strings.Contains(note, "holds 2 ticket codes: only the first was checked") {
		t.Errorf("a PDF of Ada's and Grace's tickets: %+v, note %q; want Ada's seat already in, and a word on the second code", v, note)
	}
	b.closeResult()
}
