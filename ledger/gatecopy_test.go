package ledger_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func sampleCopy() ledger.GateCopy {
	at := time.UnixMilli(1900000000123).UTC()
	return ledger.GateCopy{Contract: "CUtNvY1Jxpn4V4RD1tgphsUKpQdo4q5i54", Venue: `Hall "tickets":`, Sale: 3, Cursor: "3.17", Full: true,
		Tickets: []ledger.GateTicket{
			{Seat: ledger.Seat{Number: 1, Letter: "A"}},
			{Seat: ledger.Seat{Section: `West "Lower"`, Number: 12, Letter: "C"}, Sold: true, SecretDigest: []byte{1, 2, 3}},
			{Seat: ledger.Seat{Number: 2, Letter: "A"}, Sold: true, SecretDigest: []byte{4}, CheckedInAt: at, Gate: "Nörth\tdoor"},
			{Seat: ledger.Seat{Number: 3, Letter: "A"}, Sold: true, Secure: true, SecretDigest: []byte{5}, NameDigest: []byte{6},
				NameCiphertext: []byte{7}, DeviceKey: []byte{8}, DeviceDigest: []byte{5}},
		}}
}

// TestGateCopyJSON: a copy is written compactly (tickets as arrays, trailing empty
// members left out, strings escaped where they must be) and read back the same, by
// encoding/json as by the hand-written reader; tickets in another form are EINVALID.
func TestGateCopyJSON(t *testing.T) {
	cp := sampleCopy()
	b, err := json.Marshal(cp)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"contract":"CUtNvY1Jxpn4V4RD1tgphsUKpQdo4q5i54","venue":"Hall \"tickets\":","sale":3,"full":true,"cursor":"3.17","gatePolicy":{"offlineAdmission":false,"reentry":false},"tickets":[` +
		`["1A"],["West \"Lower\"/12C","AQID"],["2A","BA==",1900000000123,"Nörth\tdoor"],["3A","BQ==",0,"",1,"Bg==","Bw==","CA==","BQ=="]]}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
	for _, text := range []string{string(b), "  \n" + string(b) + "\n", `{"tickets": [ ["1A"] , ["2A" ,"BA=="] ], "sale":3}`} {
		var back ledger.GateCopy
		if err := json.Unmarshal([]byte(text), &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", text, err)
		}
		if text == string(b) && !reflect.DeepEqual(back, cp) {
			t.Errorf("read back %+v, want %+v", back, cp)
		}
	}
	for _, bad := range []string{`{"tickets":[["1A",]]}`, `{"tickets":[[1]]}`, `{"tickets":[["1A","AQID",-1]]}`,
		`{"tickets":[["1A","AQID",0,"",2]]}`, `{"tickets":[["1A","!!"]]}`, `{"tickets":[["1A"]]`, `{"tickets":[["1A","","","",0,"","","","",""]]}`,
		`{"tickets":[["1A"]] , "sale":1,"tickets":[]}`} {
		var back ledger.GateCopy
		if err := back.UnmarshalJSON([]byte(bad)); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("UnmarshalJSON(%s) = %v, want EINVALID", bad, err)
		}
	}
}

// FuzzGateCopy: the reader never panics, and what it reads is written back to text it
// reads the same.
func FuzzGateCopy(f *testing.F) {
	b, _ := json.Marshal(sampleCopy())
	f.Add(b)
	f.Add([]byte(`{"tickets":null}`))
	f.Add([]byte(`{"tickets":[["1A","AQID",1,"g\u00e9",1]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cp ledger.GateCopy
		if cp.UnmarshalJSON(data) != nil {
			return
		}
		again, err := cp.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back ledger.GateCopy
		if err := back.UnmarshalJSON(again); err != nil || !reflect.DeepEqual(back, cp) {
			t.Fatalf("%s read back as %+v (%v), want %+v", again, back, err, cp)
		}
	})
}
