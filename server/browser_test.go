package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// chromiumPath finds Debian's chromium: the test skips without it, unless CI is set.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (CI must have it: apt-get install chromium)")
	}
	t.Skip("chromium is not installed: apt-get install chromium to run the browser test")
	return ""
}

// writeY4M writes img as a 4:2:0 Y4M video of n identical frames: Chrome's fake camera
// plays it in a loop to getUserMedia.
func writeY4M(t *testing.T, path string, img *image.RGBA, n int) {
	t.Helper()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	y := make([]byte, w*h)
	for py := range h {
		for px := range w {
			r, g, bl, _ := img.At(b.Min.X+px, b.Min.Y+py).RGBA()
			y[py*w+px] = byte((299*r + 587*g + 114*bl) / 1000 >> 8)
		}
	}
	chroma := []byte(strings.Repeat("\x80", 2*((w+1)/2)*((h+1)/2)))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	out := bufio.NewWriter(f)
	fmt.Fprintf(out, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	for range n {
		out.WriteString("FRAME\n")
		out.Write(y)
		out.Write(chroma)
	}
	if err := out.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// browser is a headless chromium whose camera shows the Y4M file.
type browser struct {
	t   *testing.T
	ctx context.Context
	dir string
}

func newBrowser(t *testing.T, chromium, camera string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("use-fake-device-for-media-stream", true), chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", camera), chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.WindowSize(360, 740))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, dir: artifactDir(t)}
}

// artifactDir is where screenshots go: $ARTIFACTS_DIR when set (kept after the test),
// else a temporary folder.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// do runs the steps with a time limit, failing the test on error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second) // typing a QR key by key is slow on a loaded machine
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression into T.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// poll waits until the expression is truthy.
func (b *browser) poll(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second) // generous: a loaded machine decodes frames slowly
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		dbg, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`JSON.stringify({toast: document.getElementById('toast').textContent, toastHidden: document.getElementById('toast').hidden, recent: document.getElementById('recent').textContent, result: document.getElementById('result').dataset.seq, hidden: document.getElementById('result').hidden, wedge: document.getElementById('wedge-state').textContent, active: document.activeElement.id, banner: document.getElementById('banner').textContent})`))
		b.t.Fatalf("waiting for %s: %v (page: %s)", what, err, dbg)
	}
}

// verdict is what the result screen shows.
type verdict struct {
	Outcome, Word, Name, Detail string
	Check                       bool
}

// waitVerdict waits for the n-th result screen and reads it.
func (b *browser) waitVerdict(n int, outcome string) verdict {
	b.t.Helper()
	b.poll(fmt.Sprintf("result %d (%s)", n, outcome), fmt.Sprintf(`(() => { const r = document.getElementById('result');
		return !r.hidden && r.dataset.seq === '%d'; })()`, n))
	v := eval[verdict](b, `(() => { const t = (id) => document.getElementById(id);
		return {Outcome: t('result').dataset.outcome, Word: t('result-word').textContent,
			Name: t('result-name').hidden ? '' : t('result-name').textContent,
			Detail: t('result-detail').textContent, Check: !t('result-check').hidden}; })()`)
	if v.Outcome != outcome {
		b.t.Fatalf("result %d: %+v, want %s", n, v, outcome)
	}
	return v
}

// shot saves a screenshot as an artifact and, with UPDATE_DOCS=1, into docs/.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s (%d bytes)", path, len(png))
	if os.Getenv("UPDATE_DOCS") != "1" {
		return
	}
	if len(png) > 150<<10 {
		b.t.Errorf("%s is %d bytes: too big for docs/", name, len(png))
		return
	}
	if err := os.WriteFile(filepath.Join("..", "docs", name+".png"), png, 0o644); err != nil {
		b.t.Error(err)
	}
}

// typeWedge types text and Enter into whatever has the focus, as a USB or Bluetooth
// barcode scanner does: it only lands in the wedge field if the page kept it focused.
func (b *browser) typeWedge(text string) {
	b.t.Helper()
	b.do("typing into the wedge", chromedp.KeyEvent(text+"\r"))
}

// TestBrowserGate runs the scanner page and the dashboard in headless chromium with a
// fake camera that shows a sold ticket's QR.
func TestBrowserGate(t *testing.T) {
	chromium := chromiumPath(t)
	f := newGateFixtureAt(t, time.Hour)
	history := f.entryHistory(t)
	dir := t.TempDir()
	camera := filepath.Join(dir, "camera.y4m")
	writeY4M(t, camera, ticketFrame(t, f.tickets[0].QR[0], 640, 480, 5), 2)
	b := newBrowser(t, chromium, camera)

	b.do("opening the scanner", chromedp.EmulateViewport(360, 740), chromedp.Navigate(f.srv.URL+"/scan/"+f.addr))
	b.setUpScanner(f)
	admit := b.waitVerdict(1, "admit")
	if admit.Word != "ADMIT" || admit.Name != "Ada Lovelace" || !admit.Check || admit.Detail != "Seat 1A" {
		t.Errorf("camera scan of Ada's ticket: %+v", admit)
	}
	b.shot("scanner-admit")

	b.typeWedge(f.tickets[0].QR[0])
	already := b.waitVerdict(2, "already")
	if already.Word != "ALREADY CHECKED IN" || !strings.Contains(already.Detail, "at North door") || already.Name != "" {
		t.Errorf("second scan of Ada's ticket: %+v", already)
	}
	b.shot("scanner-already")

	b.typeWedge(forgedQR(t, f))
	reject := b.waitVerdict(3, "reject")
	if reject.Word != "REJECT" || reject.Detail != "Not a genuine ticket" || reject.Name != "" {
		t.Errorf("forged ticket: %+v", reject)
	}
	b.shot("scanner-reject")

	b.typeWedge(f.tickets[1].QR[0])
	grace := b.waitVerdict(4, "admit")
	if grace.Name != "Grace Hopper" || grace.Detail != "Seat 1B" {
		t.Errorf("wedge scan of Grace's ticket: %+v", grace)
	}
	b.uploadPhoto(t, f.tickets[2].QR[0])
	alan := b.waitVerdict(5, "admit")
	if alan.Name != "Alan Turing" || alan.Detail != "Seat 1C" {
		t.Errorf("photo of Alan's ticket: %+v", alan)
	}
	b.do("closing the result", chromedp.Click(chromedp.CSS("#result")))
	b.poll("the scanner screen", `document.getElementById('result').hidden && document.activeElement.id === 'wedge'`)
	b.shot("scanner")
	b.checkScannerList(t)
	f.checkLedger(t, history+3)
	b.coverCamera()
	b.checkMixedVerdict(t, f, 6)
	b.checkLongName(t, f, 7)
	b.checkUploadWords(t, f, 7)
	b.checkLateAnswer(t, f, f.late, 9)
	b.checkServerStopped(t, f, 11)
	b.checkKeyRevoked(t, f, 13)
	rep := f.checkLedger(t, history+7) // 1 of the mixed code, the long name, the late answer, the scan after the restart
	b.checkDashboard(t, f, rep)
}

// checkKeyRefused revokes the scanner's key: the page must say so while it scans on.
func (b *browser) checkKeyRefused(t *testing.T, f *gateFixture) {
	t.Helper()
	keys, err := f.st.Keys.List(f.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.Role == ledger.RoleScanner {
			if err := f.st.Keys.RevokeKey(f.admin, k.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.poll("the key-refused banner", `document.getElementById('banner').textContent === 'Key refused — check set-up'`)
}

// setUpScanner fills in the set-up form: a wrong key first, which must be refused.
func (b *browser) setUpScanner(f *gateFixture) {
	b.t.Helper()
	b.do("set-up with a wrong key", chromedp.WaitVisible(chromedp.CSS("#setup-key")),
		chromedp.SendKeys(chromedp.CSS("#setup-gate"), "north  DOOR"),
		chromedp.SendKeys(chromedp.CSS("#setup-key"), "not-a-key"),
		chromedp.Click(chromedp.CSS("#setup-save")))
	b.poll("the key to be refused", `!document.getElementById('setup-error').hidden`)
	if msg := eval[string](b, `document.getElementById('setup-error').textContent`); !strings.HasPrefix(msg, "Key refused") {
		b.t.Errorf("wrong key: %q", msg)
	}
	if got := eval[string](b, `document.getElementById('setup-contract').value`); got != f.addr {
		b.t.Errorf("contract field %q, want the address in the URL %s", got, f.addr)
	}
	b.do("set-up with the scanner key", chromedp.SetValue(chromedp.CSS("#setup-key"), f.keys[ledger.RoleScanner]),
		chromedp.SetValue(chromedp.CSS("#setup-offline"), "0"), // never decided offline: this test is the online page's
		chromedp.Click(chromedp.CSS("#setup-save")))
	b.poll("the set-up to close", `!document.getElementById('setup').open`)
	if chip := eval[string](b, `document.getElementById('gate-chip').textContent`); chip != "North door" {
		b.t.Errorf("gate typed as %q is shown as %q, want the ledger's spelling North door", "north  DOOR", chip)
	}
	gates := eval[[]string](b, `Array.from(document.querySelectorAll('#known-gates option'), (o) => o.value)`)
	if strings.Join(gates, ", ") != "Balcony, North door, South door" {
		b.t.Errorf("the set-up offers the gates %q, want the sale's gates Balcony, North door, South door", gates)
	}
	if stored := eval[string](b, `localStorage.getItem('ticketbooth.scan')`); !strings.Contains(stored, f.keys[ledger.RoleScanner]) {
		b.t.Errorf("the key is not kept in the browser: %s", stored)
	}
}

// forgedQR claims a sold seat from the public ticket list with a made-up secret.
func forgedQR(t *testing.T, f *gateFixture) string {
	t.Helper()
	var tickets []ledger.Ticket
	res, body := get(t, f.srv.URL+api.ContractPath(f.addr, "Tickets"), nil)
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &tickets) != nil {
		t.Fatalf("ticket list: %d %s", res.StatusCode, body)
	}
	for _, tk := range tickets {
		if tk.Seat == f.tickets[2].Tickets[0].Seat && tk.Secret != "" {
			qr, _ := json.Marshal([]ledger.QRTicket{{Seat: tk.Seat, Secret: "Forged-secret-1"}})
			return string(qr)
		}
	}
	t.Fatal("Alan's seat is not in the ticket list")
	return ""
}

// uploadPhoto chooses a photo of a ticket in the page's image-upload fallback.
func (b *browser) uploadPhoto(t *testing.T, qr string) {
	t.Helper()
	photo := filepath.Join(t.TempDir(), "ticket.jpg")
	if err := os.WriteFile(photo, pageFrame(t, ticketFrame(t, qr, 1280, 960, 8)), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("uploading a photo", chromedp.SetUploadFiles(chromedp.CSS("#upload"), []string{photo}))
}

// checkScannerList checks the recent scans: five, although the camera read Ada's
// ticket in every frame it sent, so the same code in view was never resubmitted.
func (b *browser) checkScannerList(t *testing.T) {
	t.Helper()
	got := eval[[]string](b, `Array.from(document.querySelectorAll('#recent li'), (li) => li.className)`)
	if strings.Join(got, " ") != "admit admit reject already admit" {
		t.Errorf("recent scans %v, want admit admit reject already admit (newest first)", got)
	}
	codes, _ := strconv.Atoi(eval[string](b, `document.getElementById('video').dataset.codes || '0'`))
	if codes < 5 {
		t.Errorf("the camera read the code %d times: too few to prove the debounce", codes)
	}
	t.Logf("the camera read Ada's code in %d frames and submitted it once", codes)
	if counts := eval[string](b, `document.getElementById('count-gate').textContent`); counts == "–" {
		t.Errorf("the gate's count was never shown")
	}
}

// checkLedger checks that the browser's scans are in the ledger and returns the report.
func (f *gateFixture) checkLedger(t *testing.T, admitted int64) ledger.CheckInReport {
	t.Helper()
	rep, err := f.st.Gate.CheckIns(f.admin, f.addr)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Admitted != admitted || rep.PerGate["North door"] < 3 {
		t.Errorf("ledger: %d admitted, %v per gate; want %d with at least 3 more at North door", rep.Admitted, rep.PerGate, admitted)
	}
	return rep
}

// checkDashboard opens the dashboard with the organizer key and compares its numbers
// with the ledger's report.
func (b *browser) checkDashboard(t *testing.T, f *gateFixture, rep ledger.CheckInReport) {
	t.Helper()
	b.do("opening the dashboard", chromedp.EmulateViewport(1100, 760), chromedp.Navigate(f.srv.URL+"/dashboard/"+f.addr),
		chromedp.WaitVisible(chromedp.CSS("#setup-key")),
		chromedp.SendKeys(chromedp.CSS("#setup-key"), f.keys[ledger.RoleOrganizer]),
		chromedp.Click(chromedp.CSS("#setup-save")))
	b.poll("the dashboard's counts", `document.getElementById('admitted').textContent !== '–'`)
	type shown struct{ Sold, Admitted, ToCome string }
	got := eval[shown](b, `(() => { const t = (id) => document.getElementById(id).textContent;
		return {Sold: t('sold'), Admitted: t('admitted'), ToCome: t('tocome')}; })()`)
	want := shown{strconv.FormatInt(rep.Sold, 10), strconv.FormatInt(rep.Admitted, 10), strconv.FormatInt(rep.ToCome, 10)}
	if got != want {
		t.Errorf("dashboard shows %+v, ledger says %+v", got, want)
	}
	gates := eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll('#gates tr[data-gate]'),
		(tr) => [tr.dataset.gate, tr.querySelector('.count').textContent]))`)
	for gate, n := range rep.PerGate {
		if gates[gate] != strconv.FormatInt(n, 10) {
			t.Errorf("dashboard gate %q shows %q, ledger says %d", gate, gates[gate], n)
		}
	}
	bars := eval[int](b, `document.querySelectorAll('#chart rect.bar').length`)
	if bars < 3 {
		t.Errorf("the chart has %d bars for admissions spread over an hour", bars)
	}
	b.shot("dashboard")
}

// entryHistory checks tickets in at three gates over the past hour, winding the
// ledger's clock forward to now, and returns how many it admitted.
func (f *gateFixture) entryHistory(t *testing.T) int64 {
	t.Helper()
	is := &issuer.Issuer{Ledger: f.st.Selling}
	gates := []string{"North door", "South door", "South door", "Balcony"}
	var admitted int64
	for i := range 22 {
		seat := ledger.Seat{Number: 2 + i/8, Letter: string(rune('A' + i%8))}
		f.clock.SetBack(time.Duration(58*60-150*i) * time.Second)
		p, err := is.Reserve(f.admin, f.addr, issuer.Request{Seats: []ledger.Seat{seat}, CustomerName: fmt.Sprintf("Guest %d", i+1), Sender: "box office", TicketsPerQR: 1})
		if err != nil {
			t.Fatal(err)
		}
		if i%6 == 5 {
			continue // sold, not yet here
		}
		body, _ := json.Marshal(api.CheckInRequest{QR: p.QR[0], Gate: gates[(i*7)%len(gates)], Nonce: "history-" + strconv.Itoa(i)})
		if status, b := f.do(t, http.MethodPost, api.ContractPath(f.addr, "CheckIn"), ledger.RoleScanner, "application/json", body); status != http.StatusOK {
			t.Fatalf("check-in %d: %d %s", i, status, b)
		}
		admitted++
	}
	f.clock.SetBack(0)
	return admitted
}
