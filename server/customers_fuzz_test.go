package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// FuzzCustomerBody sends arbitrary bodies to the routes that create and change a
// customer, with keys of every role: the answer is never a 5xx, every 4xx carries a
// JSON error, and a created customer reads back as the ledger's checks allow.
func FuzzCustomerBody(f *testing.F) {
	for _, seed := range []string{
		seedPersonBody, `{"lastName":"A"}`, `{"email":"a@b.ch","address":{"country":"ch"}}`,
		`{"lastName":"\u202eA"}`, `{"address":null}`, `{"address":{"zip":7}}`, `{"phone":"+41 (0) 31"}`,
		`{"locale":"de_CH","lastName":"` + strings.Repeat("x", 101) + `"}`, `[]`, `null`, `"`, "\x00\xff", `{"id":1}`,
	} {
		f.Add(uint8(0), seed)
	}
	url, _, keys := fuzzServer(f)
	resp := sendBody(f, "POST", url+api.CustomersPath, keys[1], `{"lastName":"Fuzz"}`)
	var c ledger.Customer
	if err := json.Unmarshal(resp, &c); err != nil || c.ID == 0 {
		f.Fatalf("creating the customer to change: %s", resp)
	}
	f.Fuzz(func(t *testing.T, pick uint8, body string) {
		method, path := "POST", api.CustomersPath
		if pick%2 == 1 {
			method, path = "PATCH", api.CustomerPath(c.ID, "")
		}
		data := sendBody(t, method, url+path, keys[int(pick/2)%len(keys)], body)
		var got ledger.Customer
		if json.Unmarshal(data, &got) == nil && got.ID != 0 {
			if err := ledger.CheckCustomer(got); err != nil {
				t.Fatalf("%s %q stored a customer the ledger refuses: %v", method, body, err)
			}
		}
	})
}

// sendBody sends body with the key and returns the answer, failing on a 5xx or on an error
// status without a JSON error.
func sendBody(tb testing.TB, method, url, key, body string) []byte {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 || resp.StatusCode >= 400 && !strings.Contains(string(data), `"error"`) {
		tb.Fatalf("%s %s with %q: %d %s", method, url, body, resp.StatusCode, data)
	}
	return data
}
