package season

import (
	"encoding/json"
	"testing"
)

// FuzzBuyFields feeds the buy flow's own readers (ticket_print's order_num, a number or a
// list; payment_request's amounts) arbitrary JSON: they answer a number, or a failure of
// the request's (9003, 9004) in words, and never panic.
func FuzzBuyFields(f *testing.F) {
	for _, s := range []string{`7`, `"7"`, `[1,2]`, `["1","2"]`, `[1,1]`, `[]`, `null`, `"12.50"`, `12.5`, `"EUR 1.234"`, `{}`, `-3`, `1e400`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !json.Valid([]byte(raw)) {
			return
		}
		if _, err := orderNums(json.RawMessage(raw)); err != nil {
			checkFailure(t, err)
		}
		if _, err := paidAmount("EUR", []payment{{MopCode: "VI", Amount: json.RawMessage(raw)}}); err != nil {
			checkFailure(t, err)
		}
	})
}

func checkFailure(t *testing.T, err error) {
	t.Helper()
	f, ok := err.(*failure)
	if !ok || (f.result != ResultInvalidField && f.result != ResultMissingField) || f.detail == "" {
		t.Fatalf("%v (%T), want a failure of the request in words", err, err)
	}
}
