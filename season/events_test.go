package season_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/season"
)

// zurich is the time zone of the tests' shows.
func zurich(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	return loc
}

// events is command1.events of an answer.
func (r reply) events() []map[string]any {
	list, _ := r.Command1["events"].([]any)
	out := make([]map[string]any, len(list))
	for i, e := range list {
		out[i], _ = e.(map[string]any)
	}
	return out
}

// ymd is the date of the month and day ("10-15") in year y: "2027-10-15".
func ymd(y int, monthDay string) string { return strconv.Itoa(y) + "-" + monthDay }

// detail is command1.error_detail.
func (r reply) detail() string { s, _ := r.Command1["error_detail"].(string); return s }

func TestEventSearch(t *testing.T) {
	e := newEnv(t)
	loc := zurich(t)
	y := time.Now().Year() + 1
	key := e.partner("sth-customer", "main")
	late := e.open(theatre("Nabucco", time.Date(y, 11, 20, 19, 30, 0, 0, loc)))
	early := e.open(theatre("Tosca", time.Date(y, 10, 15, 20, 0, 0, 0, loc)))
	e.open(theatre("Aida", time.Date(y+1, 3, 1, 19, 0, 0, 0, loc)))
	search := func(fields map[string]any) reply {
		cmd := map[string]any{"cmd": "event_search", "uid": "u", "dsn": "main"}
		for k, v := range fields {
			cmd[k] = v
		}
		return e.post("sth-customer", "main", key, envelope(cmd))
	}
	t.Run("OK", func(t *testing.T) {
		r := search(map[string]any{"start_date": ymd(y, "10-01"), "end_date": ymd(y, "12-31")})
		if r.status != http.StatusOK || r.result() != 0 {
			t.Fatalf("%d %v", r.status, r.Command1)
		}
		ev := r.events()
		if len(ev) != 2 || ev[0]["event_name"] != early || ev[1]["event_name"] != late {
			t.Fatalf("events = %v, want Tosca then Nabucco", ev)
		}
		want := map[string]any{"event_description": "Tosca", "event_date": ymd(y, "10-15"), "event_time": "20:00",
			"venue_name": "Stadttheater", "availability": float64(5)}
		for k, v := range want {
			if ev[0][k] != v {
				t.Errorf("%s = %v, want %v", k, ev[0][k], v)
			}
		}
		classes, _ := ev[0]["avail_class"].([]any)
		if len(classes) != 3 || classes[0].(map[string]any)["class_name"] != "OPEN" || classes[0].(map[string]any)["num_seats"] != float64(5) {
			t.Errorf("avail_class = %v, want OPEN 5 first", classes)
		}
		if hc, _ := r.Command1["hold_classes"].([]any); len(hc) != 3 {
			t.Errorf("hold_classes = %v, want OPEN, HELD, SOLD", r.Command1["hold_classes"])
		}
	})
	t.Run("Filters", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			fields map[string]any
			want   []string
		}{
			{"venue ignoring case", map[string]any{"start_date": ymd(y, "10-01"), "end_date": ymd(y+1, "12-31"), "venue_name": "STADTTHEATER", "season_name": strconv.Itoa(y)}, []string{early, late}},
			{"season", map[string]any{"start_date": ymd(y, "01-01"), "end_date": ymd(y+1, "12-31"), "season_name": strconv.Itoa(y + 1)}, nil},
			{"end date inclusive", map[string]any{"start_date": ymd(y, "10-15"), "end_date": ymd(y, "10-15")}, []string{early}},
			{"num_seats as a string", map[string]any{"start_date": ymd(y, "10-01"), "end_date": ymd(y, "12-31"), "num_seats": "5", "hold_class": "open"}, []string{early, late}},
		} {
			r := search(c.fields)
			var got []string
			for _, ev := range r.events() {
				got = append(got, ev["event_name"].(string))
			}
			if c.want != nil && strings.Join(got, ",") != strings.Join(c.want, ",") || r.result() != 0 {
				t.Errorf("%s: %v %v, want %v", c.name, r.result(), got, c.want)
			}
		}
	})
	t.Run("ErrNoEvents", func(t *testing.T) {
		for _, fields := range []map[string]any{
			{"start_date": "2016-10-01", "end_date": "2016-12-31"},
			{"start_date": ymd(y, "10-01"), "end_date": ymd(y, "12-31"), "num_seats": 6},
			{"start_date": ymd(y, "10-01"), "end_date": ymd(y, "12-31"), "venue_name": "Opernhaus"},
			{"start_date": ymd(y, "10-01"), "end_date": ymd(y, "12-31"), "hold_class": "HELD"},
		} {
			r := search(fields)
			if r.status != 200 || r.result() != season.ResultNoEvents || !strings.Contains(r.detail(), "No events found") {
				t.Errorf("%v: %d %d %q, want 200 result 5211 in words", fields, r.status, r.result(), r.detail())
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []struct {
			fields map[string]any
			result int
			words  string
		}{
			{map[string]any{"start_date": "01.10.2026"}, season.ResultInvalidField, "YYYY-MM-DD"},
			{map[string]any{"start_date": 20261001}, season.ResultInvalidField, "start_date must be a string"},
			{map[string]any{"start_date": ymd(y, "10-01"), "end_date": ymd(y, "09-01")}, season.ResultInvalidField, "before"},
			{map[string]any{"num_seats": "many"}, season.ResultInvalidField, "num_seats must be a number"},
			{map[string]any{"num_seats": -1}, season.ResultInvalidField, "num_seats"},
			{map[string]any{"hold_class": "KILL"}, season.ResultInvalidField, "hold class"},
			{map[string]any{"acct_id": 100479}, season.ResultNotFound, "no account 100479"},
		} {
			r := search(c.fields)
			if r.status != 200 || r.result() != c.result || !strings.Contains(r.detail(), c.words) {
				t.Errorf("%v: %d %d %q, want result %d mentioning %q", c.fields, r.status, r.result(), r.detail(), c.result, c.words)
			}
		}
	})
}

func TestEventSearchDefaultWindow(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	soon := e.open(theatre("Soon", time.Now().Add(10*24*time.Hour)))
	e.open(theatre("Later", time.Now().Add(100*24*time.Hour)))
	r := e.post("sth-customer", "main", key, envelope(map[string]any{"cmd": "event_search", "uid": "u", "dsn": "main"}))
	ev := r.events()
	if r.result() != 0 || len(ev) != 1 || ev[0]["event_name"] != soon {
		t.Errorf("%d %v, want the show in 10 days alone (today to +90 days)", r.result(), ev)
	}
}

func TestEventDetails(t *testing.T) {
	e := newEnv(t)
	loc := zurich(t)
	y := time.Now().Year() + 1
	key := e.partner("sth-customer", "main")
	a := e.open(theatre("Tosca", time.Date(y, 10, 15, 20, 0, 0, 0, loc)))
	b := e.open(theatre("Nabucco", time.Date(y, 11, 20, 19, 30, 0, 0, loc)))
	c := e.open(theatre("Aida", time.Date(y+1, 3, 1, 19, 0, 0, 0, loc)))
	details := func(fields map[string]any) reply {
		cmd := map[string]any{"cmd": "event_details", "uid": "u", "dsn": "main"}
		for k, v := range fields {
			cmd[k] = v
		}
		return e.post("sth-customer", "main", key, envelope(cmd))
	}
	names := func(r reply) string {
		var got []string
		for _, ev := range r.events() {
			got = append(got, ev["event_name"].(string))
		}
		return strings.Join(got, ",")
	}
	t.Run("OK", func(t *testing.T) {
		r := details(map[string]any{"event_filter": c + ", Event01, " + a, "event_filter_type": "L"})
		if r.result() != 0 || names(r) != c+","+a || r.Command1["more_events"] != "N" {
			t.Fatalf("%d %v, want Aida and Tosca in the list's order, Event01 left out", r.result(), r.Command1)
		}
		ev := r.events()[1]
		want := map[string]any{"event_description": "Tosca", "event_date": ymd(y, "10-15"), "event_time": "20:00", "venue_name": "Stadttheater",
			"season_name": strconv.Itoa(y), "organization": "Theater AG", "performer": "", "major_cat": "", "minor_cat": "", "event_duration": "", "currency": "CHF"}
		for k, v := range want {
			if ev[k] != v {
				t.Errorf("%s = %v, want %v", k, ev[k], v)
			}
		}
		if d, _ := ev["event_onsale_date"].(string); len(d) != len("2026-10-01 10:00") {
			t.Errorf("event_onsale_date = %v, want YYYY-MM-DD HH:MM", ev["event_onsale_date"])
		}
	})
	t.Run("Paging", func(t *testing.T) {
		r := details(map[string]any{"event_filter": []string{a, b, c}, "count": 2})
		if names(r) != a+","+b || r.Command1["more_events"] != "Y" {
			t.Fatalf("first page %v, want a, b and more", r.Command1)
		}
		r = details(map[string]any{"event_filter": []string{a, b, c}, "count": 2, "prev_event_name": b})
		if names(r) != c || r.Command1["more_events"] != "N" {
			t.Errorf("second page %v, want c alone", r.Command1)
		}
	})
	t.Run("Season", func(t *testing.T) {
		r := details(map[string]any{"event_filter": strconv.Itoa(y), "event_filter_type": "S"})
		if r.result() != 0 || names(r) != a+","+b {
			t.Errorf("season 2026: %v, want Tosca, Nabucco", r.Command1)
		}
		r = details(map[string]any{"event_filter": fmt.Sprintf("%d,%d", y, y+1), "event_filter_type": "s", "count": 1, "prev_event_name": b})
		if names(r) != c || r.Command1["more_events"] != "N" {
			t.Errorf("seasons 2026-2027 after Nabucco: %v, want Aida", r.Command1)
		}
	})
	t.Run("ErrNoEvents", func(t *testing.T) {
		r := details(map[string]any{"event_filter": "Event01, Event02", "event_filter_type": "L"})
		if r.status != 200 || r.result() != season.ResultNoEvents || !strings.Contains(r.detail(), "Event01") {
			t.Errorf("%d %d %q, want 5211 naming the filter", r.status, r.result(), r.detail())
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []struct {
			fields map[string]any
			result int
			words  string
		}{
			{map[string]any{}, season.ResultMissingField, "event_filter"},
			{map[string]any{"event_filter": 7}, season.ResultInvalidField, "event_filter must be a list"},
			{map[string]any{"event_filter": a, "event_filter_type": "X"}, season.ResultInvalidField, "L (a list of events) or S"},
			{map[string]any{"event_filter": a, "count": 5000}, season.ResultInvalidField, "count"},
			{map[string]any{"event_filter": a, "prev_event_name": "nope"}, season.ResultInvalidField, "prev_event_name"},
			{map[string]any{"event_filter": "last year", "event_filter_type": "S"}, season.ResultInvalidField, "a season is a year"},
		} {
			r := details(c.fields)
			if r.status != 200 || r.result() != c.result || !strings.Contains(r.detail(), c.words) {
				t.Errorf("%v: %d %d %q, want result %d mentioning %q", c.fields, r.status, r.result(), r.detail(), c.result, c.words)
			}
		}
	})
}

func TestPingSaysHowTheServerIs(t *testing.T) {
	e := newEnv(t)
	key := e.partner("sth-customer", "main")
	r := e.post("sth-customer", "main", key, envelope(map[string]any{"cmd": "ping", "call_reason": "test", "uid": "user99", "dsn": "main"}))
	c := r.Command1
	if r.result() != 0 || c["system_available"] != "Y" || c["db_name"] != "main" {
		t.Fatalf("ping: %v", c)
	}
	if n, _ := c["active_requests"].(float64); n != 1 {
		t.Errorf("active_requests = %v, want 1 (the ping itself)", c["active_requests"])
	}
	if n, _ := c["db_connections"].(float64); n < 1 {
		t.Errorf("db_connections = %v, want at least the connection that answered", c["db_connections"])
	}
	if n, ok := c["cpu_load"].(float64); !ok || n < -1 {
		t.Errorf("cpu_load = %v, want a percentage or -1", c["cpu_load"])
	}
}
