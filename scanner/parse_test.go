package scanner

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// qrV10 is the decoded example QR of the Ticketbooth documentation (v1.0: no secretKey).
const qrV10 = `[{"seat":{"number":1,"letter":"A"},"secret":"USfoUzEvP1wf04I","nameKey":"4d38a395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d","nameIV":"7d4984f0bda1d5bbb341edf26553e896"}]`

// qrRC2 is the QR JSON of "Interacting with Contracts" (rc2: with secretKey/secretIV),
// as printed there.
const qrRC2 = `[
    {
        "seat": {
            "number": 1,
            "letter": "A"
        },
        "secret": "1vP-b8JwlL0ae4B",
        "secretKey": "894be55a951fee6c269d91ab77fa2fa7e48c56dd71d1e39c43b5a31ec16f5afe",
        "secretIV": "54b3a9a6743a775b923c90f3fb86d1c6",
        "nameKey": "4d38a395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d",
        "nameIV": "7d4984f0bda1d5bbb341edf26553e896"
    }
]`

const (
	qrKey = "894be55a951fee6c269d91ab77fa2fa7e48c56dd71d1e39c43b5a31ec16f5afe"
	qrIV  = "54b3a9a6743a775b923c90f3fb86d1c6"
)

func TestParseQRReference(t *testing.T) {
	tests := []struct {
		name string
		text string
		want ledger.QRTicket
	}{
		{"V10", qrV10, ledger.QRTicket{
			Seat:    ledger.Seat{Number: 1, Letter: "A"},
			Secret:  "USfoUzEvP1wf04I",
			NameKey: "4d38a395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d",
			NameIV:  "7d4984f0bda1d5bbb341edf26553e896",
		}},
		{"RC2", qrRC2, ledger.QRTicket{
			Seat:      ledger.Seat{Number: 1, Letter: "A"},
			Secret:    "1vP-b8JwlL0ae4B",
			SecretKey: "894be55a951fee6c269d91ab77fa2fa7e48c56dd71d1e39c43b5a31ec16f5afe",
			SecretIV:  "54b3a9a6743a775b923c90f3fb86d1c6",
			NameKey:   "4d38a395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d",
			NameIV:    "7d4984f0bda1d5bbb341edf26553e896",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParseQR(t, tt.text)
			if want := []ledger.QRTicket{tt.want}; !slices.Equal(got, want) {
				t.Fatalf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseQRAccepts(t *testing.T) {
	one := ledger.QRTicket{Seat: ledger.Seat{Number: 1, Letter: "A"}, Secret: "1vP-b8JwlL0ae4B"}
	keyed := one
	keyed.SecretKey, keyed.SecretIV = qrKey, qrIV
	tests := []struct {
		name string
		text string
		want []ledger.QRTicket
	}{
		{"SingleObject", `{"seat":{"number":1,"letter":"A"},"secret":"1vP-b8JwlL0ae4B"}`, []ledger.QRTicket{one}},
		{"BOMAndWhitespace", "\uFEFF \r\n\t" + `[{"seat":{"number":1,"letter":"A"},"secret":"1vP-b8JwlL0ae4B"}]` + "\r\n", []ledger.QRTicket{one}},
		{"MemberCase", `[{"Seat":{"NUMBER":1,"Letter":"A"},"SECRET":"1vP-b8JwlL0ae4B"}]`, []ledger.QRTicket{one}},
		{"UpperHexLowered", `[{"seat":{"number":1,"letter":"A"},"secret":"1vP-b8JwlL0ae4B","secretkey":"` +
			strings.ToUpper(qrKey) + `","SECRETIV":"` + strings.ToUpper(qrIV) + `"}]`, []ledger.QRTicket{keyed}},
		{"MemberOrder", `[{"secret":"1vP-b8JwlL0ae4B","seat":{"letter":"A","number":1}}]`, []ledger.QRTicket{one}},
		{"Section", `[{"seat":{"number":12,"letter":"C","section":"Stalls"},"secret":"1vP-b8JwlL0ae4B"}]`,
			[]ledger.QRTicket{{Seat: ledger.Seat{Number: 12, Letter: "C", Section: "Stalls"}, Secret: "1vP-b8JwlL0ae4B"}}},
		{"NumberOnly", `[{"seat":{"number":5},"secret":"1vP-b8JwlL0ae4B"}]`,
			[]ledger.QRTicket{{Seat: ledger.Seat{Number: 5}, Secret: "1vP-b8JwlL0ae4B"}}},
		{"LetterOnly", `[{"seat":{"number":0,"letter":"C"},"secret":"1vP-b8JwlL0ae4B"}]`,
			[]ledger.QRTicket{{Seat: ledger.Seat{Letter: "C"}, Secret: "1vP-b8JwlL0ae4B"}}},
		{"SameSeatOtherSection", `[{"seat":{"number":1,"letter":"A","section":"X"},"secret":"1vP-b8JwlL0ae4B"},{"seat":{"number":1,"letter":"A"},"secret":"1vP-b8JwlL0ae4B"}]`,
			[]ledger.QRTicket{{Seat: ledger.Seat{Number: 1, Letter: "A", Section: "X"}, Secret: "1vP-b8JwlL0ae4B"}, one}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustParseQR(t, tt.text); !slices.Equal(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
	t.Run("MaxTickets", func(t *testing.T) {
		if got := mustParseQR(t, qrTickets(MaxQRTickets)); len(got) != MaxQRTickets {
			t.Fatalf("got %d tickets, want %d", len(got), MaxQRTickets)
		}
	})
}

func TestParseQRRejects(t *testing.T) {
	seat := `"seat":{"number":1,"letter":"A"}`
	secret := `"secret":"1vP-b8JwlL0ae4B"`
	ticket := func(members ...string) string { return "{" + strings.Join(members, ",") + "}" }
	list := func(tickets ...string) string { return "[" + strings.Join(tickets, ",") + "]" }
	ok := ticket(seat, secret)
	tests := []struct{ name, text, want string }{
		{"Empty", "", "QR text is empty"},
		{"Blank", " \uFEFF\n", "not valid JSON"},
		{"OnlyBOM", "\uFEFF", "QR text is empty"},
		{"EmptyList", "[]", "QR text holds no tickets"},
		{"NotJSON", "hello", "QR text is not valid JSON"},
		{"URL", "https://example.com/t/1", "QR text is not valid JSON"},
		{"String", `"1vP-b8JwlL0ae4B"`, "must be a JSON array of tickets, not a string"},
		{"Number", `42`, "must be a JSON array of tickets, not a number"},
		{"Null", `null`, "must be a JSON array of tickets, not null"},
		{"TrailingGarbage", list(ok) + "x", "QR text has data after the JSON"},
		{"TrailingJSON", list(ok) + list(ok), "QR text has data after the JSON"},
		{"TrailingComma", "[" + ok + ",]", "QR text is not valid JSON"},
		{"CutShort", `[{"seat":{"number":1`, "QR text is cut short"},
		{"CutAfterList", `[` + ok, "QR text is cut short"},
		{"TooMany", qrTickets(MaxQRTickets + 1), "more than 64 tickets"},
		{"TooLong", list(ok) + strings.Repeat(" ", 70000) + "x", "QR text is too long"},
		{"TicketNotObject", list(ok, `"x"`), "ticket 2 must be a JSON object, not a string"},
		{"TicketList", list(`[]`), "ticket 1 must be a JSON object, not a list"},
		{"NoSeat", list(ticket(secret)), "ticket 1: seat is missing"},
		{"NoSecret", list(ticket(seat)), "ticket 1: secret is missing"},
		{"EmptyTicket", list(`{}`), "ticket 1: seat is missing"},
		{"SeatTwice", list(ok, ok), "ticket 2: seat 1A is also on ticket 1"},
		{"SeatTwiceOtherOrder", list(ok, ticket(`"seat":{"letter":"B","number":1}`, secret), ticket(`"seat":{"letter":"A","number":1}`, secret)), "ticket 3: seat 1A is also on ticket 1"},
		{"UnknownMember", list(ticket(seat, secret, `"price":10`)), `ticket 1: unknown member "price"`},
		{"UnknownSeatMember", list(ticket(`"seat":{"number":1,"letter":"A","row":2}`, secret)), `ticket 1: seat: unknown member "row"`},
		{"UnknownNested", list(ticket(seat, secret, `"extra":{"seat":1}`)), `unknown member "extra"`},
		{"UnicodeFold", list(ticket(seat, `"ſecret":"1vP-b8JwlL0ae4B"`)), `unknown member "ſecret"`},
		{"MemberTwice", list(ticket(seat, secret, `"secret":"1vP-b8JwlL0ae4B"`)), "ticket 1: member secret is given twice"},
		{"MemberTwiceCase", list(ticket(seat, secret, `"Secret":"1vP-b8JwlL0ae4B"`)), "member secret is given twice"},
		{"SeatMemberTwice", list(ticket(`"seat":{"number":1,"Number":2}`, secret)), "ticket 1: seat: member number is given twice"},
		{"SeatNull", list(ticket(`"seat":null`, secret)), "ticket 1: seat must be a JSON object, not null"},
		{"SeatString", list(ticket(`"seat":"1A"`, secret)), "ticket 1: seat must be a JSON object, not a string"},
		{"SeatEmpty", list(ticket(`"seat":{}`, secret)), "ticket 1: Invalid seat: a seat needs a number"},
		{"SeatNumberFraction", list(ticket(`"seat":{"number":1.5,"letter":"A"}`, secret)), "seat.number must be a whole number"},
		{"SeatNumberExponent", list(ticket(`"seat":{"number":1e2,"letter":"A"}`, secret)), "seat.number must be a whole number"},
		{"SeatNumberHuge", list(ticket(`"seat":{"number":99999999999999999999,"letter":"A"}`, secret)), "seat.number must be a whole number"},
		{"SeatNumberNegative", list(ticket(`"seat":{"number":-1,"letter":"A"}`, secret)), "ticket 1: Invalid seat"},
		{"SeatNumberTooBig", list(ticket(`"seat":{"number":1000000,"letter":"A"}`, secret)), "number must be between 1 and 999999"},
		{"SeatNumberString", list(ticket(`"seat":{"number":"1","letter":"A"}`, secret)), "seat.number must be a number, not a string"},
		{"SeatLetterNull", list(ticket(`"seat":{"number":1,"letter":null}`, secret)), "seat.letter must be a string, not null"},
		{"SeatLetterDigit", list(ticket(`"seat":{"number":1,"letter":"1"}`, secret)), "letter must be 1 to 3 letters"},
		{"SeatSectionSlash", list(ticket(`"seat":{"number":1,"section":"a/b"}`, secret)), "section must be"},
		{"SecretNull", list(ticket(seat, `"secret":null`)), "ticket 1: secret must be a string, not null"},
		{"SecretNumber", list(ticket(seat, `"secret":123456789012345`)), "secret must be a string, not a number"},
		{"SecretShort", list(ticket(seat, `"secret":"1vP-b8JwlL0ae4"`)), "ticket 1: secret must be 15 characters, got 14"},
		{"SecretLong", list(ticket(seat, `"secret":"1vP-b8JwlL0ae4BB"`)), "secret must be 15 characters, got 16"},
		{"SecretBadChar", list(ticket(seat, `"secret":"1vP+b8JwlL0ae4B"`)), "character 4 is not one of them"},
		{"SecretNonASCII", list(ticket(seat, `"secret":"1vP-b8JwlL0aeäB"`)), "character 14 is not one of them"},
		{"SecretKeyShort", list(ticket(seat, secret, `"secretKey":"`+qrKey[:63]+`"`, `"secretIV":"`+qrIV+`"`)), "ticket 1: secretKey must be 64 hex characters, got 63"},
		{"SecretKeyOdd", list(ok, ticket(`"seat":{"number":2}`, secret, `"nameKey":"`+qrKey[:63]+`"`, `"nameIV":"`+qrIV+`"`)), "ticket 2: nameKey must be 64 hex characters, got 63"},
		{"SecretIVLong", list(ticket(seat, secret, `"secretKey":"`+qrKey+`"`, `"secretIV":"`+qrIV+`00"`)), "secretIV must be 32 hex characters, got 34"},
		{"NameIVNotHex", list(ticket(seat, secret, `"nameKey":"`+qrKey+`"`, `"nameIV":"`+qrIV[:31]+`g"`)), "nameIV must be hex (0-9, a-f), but character 32 is not"},
		{"NameKeyNull", list(ticket(seat, secret, `"nameKey":null`, `"nameIV":"`+qrIV+`"`)), "ticket 1: nameKey must be a string, not null"},
		{"NameKeyNumber", list(ticket(seat, secret, `"nameKey":12`, `"nameIV":"`+qrIV+`"`)), "nameKey must be a string, not a number"},
		{"NameKeyObject", list(ticket(seat, secret, `"nameKey":{}`, `"nameIV":"`+qrIV+`"`)), "nameKey must be a string, not an object"},
		{"NameKeyBool", list(ticket(seat, secret, `"nameKey":true`, `"nameIV":"`+qrIV+`"`)), "nameKey must be a string, not true"},
		{"NameKeyEmpty", list(ticket(seat, secret, `"nameKey":""`, `"nameIV":"`+qrIV+`"`)), "nameKey must be 64 hex characters, got 0"},
		{"SecretKeyAlone", list(ticket(seat, secret, `"secretKey":"`+qrKey+`"`)), "ticket 1: secretKey and secretIV go together, but secretIV is missing"},
		{"SecretIVAlone", list(ticket(seat, secret, `"secretIV":"`+qrIV+`"`)), "but secretKey is missing"},
		{"NameKeyAlone", list(ticket(seat, secret, `"nameKey":"`+qrKey+`"`)), "nameKey and nameIV go together, but nameIV is missing"},
		{"NameIVAlone", list(ticket(seat, secret, `"nameIV":"`+qrIV+`"`)), "but nameKey is missing"},
		{"LongMemberName", list(ticket(seat, secret, `"`+strings.Repeat("x", 500)+`":1`)), `unknown member "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQR(tt.text)
			var e *ledger.Error
			if !errors.As(err, &e) || e.Code != ledger.EINVALID {
				t.Fatalf("got %+v, %v; want an EINVALID *ledger.Error", got, err)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Fatalf("message %q does not contain %q", e.Message, tt.want)
			}
			if got != nil {
				t.Fatalf("got tickets %+v along with the error", got)
			}
		})
	}
}

// TestParseQRMessagesHideSecrets checks that a rejection never repeats the secret or key.
func TestParseQRMessagesHideSecrets(t *testing.T) {
	for _, text := range []string{
		`[{"seat":{"number":1,"letter":"A"},"secret":"1vP-b8JwlL0ae4!"}]`,
		`[{"seat":{"number":1,"letter":"A"},"secret":"1vP-b8JwlL0ae4B","secretKey":"` + qrKey[:62] + `zz"}]`,
		`[{"seat":{"number":1,"letter":"A"},"secret":"1vP-b8JwlL0ae4B","secretKey":"` + qrKey + `"}]`,
	} {
		_, err := ParseQR(text)
		if err == nil {
			t.Fatalf("accepted %s", text)
		}
		for _, s := range []string{"1vP-b8JwlL0ae4", qrKey[:40]} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("message %q repeats input %q", err, s)
			}
		}
	}
}

func FuzzParseQR(f *testing.F) {
	for _, s := range []string{
		qrV10, qrRC2, qrTickets(4), qrTickets(MaxQRTickets + 1),
		`{"Seat":{"NUMBER":1,"letter":"A","section":"Stalls"},"SECRET":"1vP-b8JwlL0ae4B"}`,
		"\uFEFF[]", `[{"seat":{"number":1.5},"secret":null}]`, `[{"nameKey":null}]`, "[" + qrV10,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tickets, err := ParseQR(text)
		if err != nil {
			if ledger.ErrorCode(err) != ledger.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if len(tickets) == 0 || len(tickets) > MaxQRTickets {
			t.Fatalf("accepted %d tickets", len(tickets))
		}
		for _, tk := range tickets {
			if err := tk.Seat.Validate(); err != nil {
				t.Fatalf("accepted an invalid seat: %v", err)
			}
			for _, h := range []string{tk.SecretKey, tk.SecretIV, tk.NameKey, tk.NameIV} {
				if h != strings.ToLower(h) {
					t.Fatalf("hex %q not lower-cased", h)
				}
			}
		}
		data, err := json.Marshal(tickets)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseQR(string(data))
		if err != nil {
			t.Fatalf("re-marshalled tickets rejected: %v\n%s", err, data)
		}
		if !slices.Equal(again, tickets) {
			t.Fatalf("round trip changed the tickets:\n got %+v\nwant %+v", again, tickets)
		}
	})
}

func BenchmarkParseQR(b *testing.B) {
	text := qrTickets(4)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseQR(text); err != nil {
			b.Fatal(err)
		}
	}
}

// qrTickets returns the QR text of n rc2 tickets with names, on seats 1A, 2A, ...
func qrTickets(n int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"seat":{"number":%d,"letter":"A"},"secret":"1vP-b8JwlL0ae4B","secretKey":"%s","secretIV":"%s","nameKey":"%s","nameIV":"%s"}`,
			i+1, qrKey, qrIV, qrKey, qrIV)
	}
	b.WriteByte(']')
	return b.String()
}

func mustParseQR(tb testing.TB, text string) []ledger.QRTicket {
	tb.Helper()
	tickets, err := ParseQR(text)
	if err != nil {
		tb.Fatal(err)
	}
	return tickets
}
