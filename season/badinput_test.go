package season_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/season"
)

// wantEnvelope fails the test unless r is the envelope: command1 with cmd, ref, result
// and sql_code, the header with ats_version and result, and error_detail in words when
// result is not 0.
func wantEnvelope(t *testing.T, what string, r reply) {
	t.Helper()
	if r.status >= 500 {
		t.Errorf("%s: status %d: bad input must never be a 5xx", what, r.status)
	}
	for _, k := range []string{"cmd", "ref", "result", "sql_code"} {
		if _, ok := r.Command1[k]; !ok {
			t.Errorf("%s: command1 lacks %s: %v", what, k, r.Command1)
		}
	}
	if r.Header == nil || r.Header["ats_version"] != season.ATSVersion || r.Header["result"] != r.Command1["result"] {
		t.Errorf("%s: header %v, want ats_version and the result", what, r.Header)
	}
	if r.result() != 0 && len(r.detail()) < 10 {
		t.Errorf("%s: result %d with error_detail %q, want a sentence", what, r.result(), r.detail())
	}
}

func TestBadEnvelopesAnsweredInTheEnvelope(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-inventory", "main")
	header := `"header":{"ver":1,"src_sys_type":2,"src_sys_name":"testing","archtics_version":"V999"}`
	for _, c := range []struct {
		name, body string
		result     int
		words      string
	}{
		{"empty body", ``, season.ResultMalformed, "not valid JSON"},
		{"null", `null`, season.ResultMalformed, "header object and a command1 object"},
		{"a list", `[]`, season.ResultMalformed, "JSON object"},
		{"trailing garbage", `{` + header + `,"command1":{"cmd":"ping","dsn":"main"}} x`, season.ResultMalformed, "not valid JSON"},
		{"header a string", `{"header":"h","command1":{"cmd":"ping","dsn":"main"}}`, season.ResultMalformed, "header must be an object"},
		{"command1 a list", `{` + header + `,"command1":[]}`, season.ResultMalformed, "command1 must be an object"},
		{"invalid UTF-8", "{" + header + ",\"command1\":{\"cmd\":\"ping\xff\",\"dsn\":\"main\"}}", season.ResultUnknownCommand, "no command"},
		{"cmd empty", `{` + header + `,"command1":{"cmd":"","dsn":"main"}}`, season.ResultUnknownCommand, "no command"},
		{"cmd null", `{` + header + `,"command1":{"cmd":null,"dsn":"main"}}`, season.ResultMissingField, "needs cmd"},
		{"dsn a number", `{` + header + `,"command1":{"cmd":"ping","dsn":7}}`, season.ResultInvalidField, "dsn must be a string"},
		{"uid an object", `{` + header + `,"command1":{"cmd":"ping","dsn":"main","uid":{}}}`, season.ResultInvalidField, "uid must be a string"},
		{"too large", `{` + header + `,"command1":{"cmd":"ping","dsn":"main","x":"` + strings.Repeat("a", season.MaxBodyBytes) + `"}}`, season.ResultMalformed, "larger than"},
		{"unknown command", `{` + header + `,"command1":{"cmd":"seats_release","dsn":"main"}}`, season.ResultUnknownCommand, "seats_release"},
		{"command of a higher product", `{` + header + `,"command1":{"cmd":"seats_hold","dsn":"main"}}`, season.ResultNotInProduct, "sth-hold"},
		{"field of the wrong type", `{` + header + `,"command1":{"cmd":"event_search","dsn":"main","start_date":["2026-10-01"]}}`, season.ResultInvalidField, "start_date must be a string"},
		{"acct_id a fraction", `{` + header + `,"command1":{"cmd":"seats_sold","dsn":"main","acct_id":1.5}}`, season.ResultInvalidField, "acct_id must be a number"},
		{"acct_id too large", `{` + header + `,"command1":{"cmd":"seats_sold","dsn":"main","acct_id":1e40}}`, season.ResultInvalidField, "acct_id must be a number"},
		{"customer a string", `{` + header + `,"command1":{"cmd":"customer_add","dsn":"main","customer":"Ada"}}`, season.ResultInvalidField, "customer must be an object"},
		{"missing field", `{` + header + `,"command1":{"cmd":"get_avail_seats","dsn":"main"}}`, season.ResultMissingField, "event_name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.post("sth-inventory", "main", key, c.body)
			wantEnvelope(t, c.name, r)
			if r.status != 200 || r.result() != c.result || !strings.Contains(r.detail(), c.words) {
				t.Errorf("%d result %d %q, want 200 result %d mentioning %q", r.status, r.result(), r.detail(), c.result, c.words)
			}
		})
	}
	t.Run("ref echoed as sent", func(t *testing.T) {
		r := e.post("sth-inventory", "main", key, `{`+header+`,"command1":{"cmd":"ping","dsn":"main","ref":{"n":7}}}`)
		if ref, _ := r.Command1["ref"].(map[string]any); r.result() != 0 || ref["n"] != float64(7) {
			t.Errorf("ref = %v, want the object sent", r.Command1["ref"])
		}
	})
	t.Run("unknown members ignored", func(t *testing.T) {
		r := e.post("sth-inventory", "main", key, `{`+header+`,"command1":{"cmd":"ping","dsn":"main","call_reason":"test","shoe_size":44}}`)
		if r.result() != 0 {
			t.Errorf("%d %q, want the ping answered", r.result(), r.detail())
		}
	})
}
