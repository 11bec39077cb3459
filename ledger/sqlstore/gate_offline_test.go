package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// offlineHistory sells 1A, 1B and 1C to ann and admits 1A online at east; it returns the
// contract and its owner's context.
func offlineHistory(t *testing.T, e *env) (ledger.Contract, context.Context) {
	t.Helper()
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	seats := []string{"1A", "1B", "1C"}
	c := e.create(t, org, seats...)
	_, err := e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, seats...), 100), e.details(t, 50))
	mustNil(t, err, "BeginSale")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "ann", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "secret-1A"), secretTicket(t, "1B", "secret-1B"), secretTicket(t, "1C", "secret-1C")}})
	mustNil(t, err, "Reserve ann")
	mustAdmit(t, e, org, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{qrOf(t, "1A")}, Gate: "east", Nonce: "n1"})
	e.clock.AdvanceBlocks(1)
	return c, org
}

func qrOf(t *testing.T, seat string) ledger.QRTicket {
	return ledger.QRTicket{Seat: parseSeats(t, seat)[0], Secret: "secret-" + seat}
}

// upload checks one offline admission in as the scanner would upload it.
func upload(t *testing.T, e *env, address, seat, gate, nonce string, at time.Time) ledger.CheckResult {
	t.Helper()
	ctx := e.actor(t, ledger.RoleScanner, "gate device "+nonce)
	res, err := e.store.Gate.CheckIn(ctx, address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{qrOf(t, seat)},
		Gate: gate, Nonce: nonce, Offline: true, At: at, Device: "phone " + gate})
	mustNil(t, err, "CheckIn offline "+seat)
	return res[0]
}

// TestOfflineAdmission: an uploaded offline admission of a ticket not yet admitted is
// admitted as of its own time; one of a ticket admitted elsewhere (online at east, or
// offline at north) is a double entry answering with the first admission, the same
// answer when uploaded again; CheckIns and GateCounts count and list them (the gates'
// counts without seats), the journal keeps both times, and Verify replays it all.
func TestOfflineAdmission(t *testing.T) {
	e := openEnv(t)
	c, org := offlineHistory(t, e)
	at := e.clock.Now().Add(-3 * time.Minute).UTC()
	res := upload(t, e, c.Address, "1B", "north", "o1", at)
	if res.Status != ledger.StatusAdmitted || res.CheckedInAt == nil || !res.CheckedInAt.Equal(at) {
		t.Fatalf("offline 1B = %+v, want admitted as of %s", res, at)
	}
	double := upload(t, e, c.Address, "1A", "north", "o2", at.Add(time.Second))
	if double.Status != ledger.StatusDoubleEntry || double.Gate != "east" || double.CheckedInAt == nil {
		t.Fatalf("offline 1A after east = %+v, want a double entry naming east", double)
	}
	if again := upload(t, e, c.Address, "1A", "north", "o2", at.Add(time.Second)); again.Status != double.Status || !again.CheckedInAt.Equal(*double.CheckedInAt) {
		t.Errorf("the same upload again = %+v, want %+v", again, double)
	}
	if res := upload(t, e, c.Address, "1B", "south", "o3", at.Add(2*time.Second)); res.Status != ledger.StatusDoubleEntry || res.Gate != "north" {
		t.Errorf("offline 1B at south after north's offline = %+v, want a double entry naming north", res)
	}
	if res := upload(t, e, c.Address, "1B", "north", "o1", at); res.Status != ledger.StatusAdmitted {
		t.Errorf("north's upload of 1B again = %+v, want admitted (the same answer)", res)
	}
	wantDoubleReports(t, e, org, c.Address, at)
	wantJournalTimes(t, e, c.Address, at)
	if rep := mustVerify(t, e); !rep.OK {
		t.Fatalf("Verify = %+v", rep)
	}
}

func wantDoubleReports(t *testing.T, e *env, org context.Context, address string, at time.Time) {
	t.Helper()
	rep, err := e.store.Gate.CheckIns(org, address)
	mustNil(t, err, "CheckIns")
	if rep.Admitted != 2 || rep.DoubleEntries != 2 || len(rep.Doubles) != 2 {
		t.Fatalf("CheckIns = %+v, want 2 admitted and 2 double entries", rep)
	}
	d := rep.Doubles[0]
	if d.Seat != parseSeats(t, "1A")[0] || d.Gate != "north" || d.FirstGate != "east" || !d.At.Equal(at.Add(time.Second)) ||
		d.Device != "phone north" || d.UploadedAt.Before(d.At) {
		t.Errorf("first double entry = %+v", d)
	}
	if d := rep.Doubles[1]; d.Gate != "south" || d.FirstGate != "north" || !d.FirstAt.Equal(at) {
		t.Errorf("second double entry = %+v", d)
	}
	g, err := e.store.Gate.GateCounts(e.actor(t, ledger.RoleScanner, "a gate"), address)
	mustNil(t, err, "GateCounts")
	if g.DoubleEntries != 2 || len(g.Doubles) != 2 || g.Doubles[0].Seat != (ledger.Seat{}) || g.Doubles[0].FirstGate != "east" {
		t.Errorf("GateCounts = %+v, want 2 double entries by gate and time, without seats", g)
	}
}

// wantJournalTimes: the offline check-ins' journal records carry the device's time.
func wantJournalTimes(t *testing.T, e *env, address string, at time.Time) {
	t.Helper()
	var n int
	rows, err := e.rawDB(t).Query(`SELECT body FROM journal WHERE contract = ? AND kind = ?`, address, ledger.TxCheckIn)
	mustNil(t, err, "reading the journal")
	defer rows.Close()
	for rows.Next() {
		var body string
		mustNil(t, rows.Scan(&body), "scanning the journal")
		if strings.Contains(body, `"offline":true`) && strings.Contains(body, `"at":`) {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d offline check-ins journaled with their time, want 5", n)
	}
}

// TestOfflineAdmissionChecks: an offline upload needs a nonce; a device clock ahead of
// the ledger's is recorded as now, never in the future.
func TestOfflineAdmissionChecks(t *testing.T) {
	e := openEnv(t)
	c, _ := offlineHistory(t, e)
	ctx := e.actor(t, ledger.RoleScanner, "gate")
	_, err := e.store.Gate.CheckIn(ctx, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{qrOf(t, "1B")}, Offline: true})
	wantCode(t, err, ledger.EINVALID)
	res := upload(t, e, c.Address, "1B", "north", "o1", e.clock.Now().Add(time.Hour))
	if res.Status != ledger.StatusAdmitted || res.CheckedInAt.After(e.clock.Now()) {
		t.Errorf("offline 1B from a clock an hour ahead = %+v, want admitted no later than now (%s)", res, e.clock.Now())
	}
}

// TestVerifyDoubleEntriesTampered: a double entry altered, added or deleted behind the
// store's back is reported by Verify.
func TestVerifyDoubleEntriesTampered(t *testing.T) {
	tests := map[string]struct {
		sql  string
		want []string
	}{
		"At":      {`UPDATE double_entries SET at = at + 1 WHERE contract = ?`, []string{"double entry", "at"}},
		"Gate":    {`UPDATE double_entries SET gate = 'west' WHERE contract = ?`, []string{"double entry", "gate"}},
		"Deleted": {`DELETE FROM double_entries WHERE contract = ?`, []string{"double entry", "missing"}},
		"Added": {`INSERT INTO double_entries (contract, sale, idx, nonce, gate, at, uploaded_at) VALUES (?, 1, 2, 'x', 'west', 1, 1)`,
			[]string{"double entry", "not in the journal"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := openEnv(t)
			c, _ := offlineHistory(t, e)
			upload(t, e, c.Address, "1A", "north", "o1", e.clock.Now().Add(-time.Minute))
			e.clock.AdvanceBlocks(1)
			wantRows(t, mustExec(t, e.rawDB(t), tt.sql, c.Address))
			rep := mustVerify(t, e)
			if rep.OK || !anyProblem(rep, append([]string{c.Address}, tt.want...)) {
				t.Errorf("Verify after tampering = %+v, want a problem naming %q", rep, tt.want)
			}
		})
	}
}

// TestOfflineAgainstPolicy: when the sale's gate policy forbids offline admission, an
// uploaded offline admission is still recorded (it happened), flagged against the
// policy in its answer, the journal and the double entries; Verify replays it.
func TestOfflineAgainstPolicy(t *testing.T) {
	e := openEnv(t)
	c, org := offlineHistory(t, e)
	no := false
	_, err := e.store.Door.SetGatePolicy(org, c.Address, ledger.GatePolicyChange{OfflineAdmission: &no})
	mustNil(t, err, "SetGatePolicy")
	at := e.clock.Now().Add(-time.Minute)
	if res := upload(t, e, c.Address, "1B", "north", "o1", at); res.Status != ledger.StatusAdmitted || !res.AgainstPolicy {
		t.Errorf("offline 1B against the policy = %+v, want admitted and flagged", res)
	}
	if res := upload(t, e, c.Address, "1A", "north", "o2", at); res.Status != ledger.StatusDoubleEntry || !res.AgainstPolicy {
		t.Errorf("offline 1A against the policy = %+v, want a double entry flagged", res)
	}
	rep, err := e.store.Gate.CheckIns(org, c.Address)
	mustNil(t, err, "CheckIns")
	if len(rep.Doubles) != 1 || !rep.Doubles[0].AgainstPolicy {
		t.Errorf("CheckIns doubles = %+v, want the double entry flagged against the policy", rep.Doubles)
	}
	e.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, e); !rep.OK {
		t.Fatalf("Verify = %+v", rep)
	}
}
