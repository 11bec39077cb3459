package server_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
)

// FuzzResaleBodies sends arbitrary bodies to the resale and transfer routes (and an
// arbitrary offer id in the path), with keys of every role: the answer is never a 5xx,
// and every 4xx carries a JSON error.
func FuzzResaleBodies(f *testing.F) {
	for _, seed := range []string{
		`{"capPercent":120,"feePercent":10}`, `{"capPercent":-1}`, `{"capAmount":1,"capPercent":1}`, `{"feePercent":101}`,
		`{"seat":{"number":1,"letter":"A"},"price":5}`, `{"seat":{"number":1,"letter":"A"},"price":-5}`, `{"price":1}`,
		`{"seat":{"number":1,"letter":"A"},"to":{"email":"a@example.com","lastName":"A"}}`, `{"to":{"customer":-1}}`,
		`{"seat":{"number":1,"letter":"A"},"to":{"email":"not-an-address"}}`, `{"customer":1}`, `{"customer":"x"}`,
		`[]`, `null`, `"`, "\x00\xff", `{"seat":{"number":1e99}}`,
	} {
		f.Add(uint8(0), "1", seed)
	}
	url, address, keys := fuzzServer(f)
	f.Fuzz(func(t *testing.T, pick uint8, offer, body string) {
		id := urlSafe(offer)
		path := []string{api.ContractPath(address, "ResaleTerms"), api.ContractPath(address, "ResaleOffers"),
			api.ContractPath(address, "TransferTicket"), api.ResalePath + "/" + id + "/buy", api.ResalePath + "/" + id + "/withdraw",
		}[int(pick)%5]
		sendBody(t, "POST", url+path, keys[int(pick/8)%len(keys)], body)
	})
}

// urlSafe keeps the path segment's letters and digits, so the fuzzed id stays one segment.
func urlSafe(s string) string {
	out := []byte{}
	for i := 0; i < len(s) && len(out) < 30; i++ {
		if c := s[i]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return "0"
	}
	return string(out)
}
