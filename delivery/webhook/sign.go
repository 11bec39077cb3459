package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The headers of a delivery.
const (
	HeaderEvent     = "X-Ticketbooth-Event"
	HeaderDelivery  = "X-Ticketbooth-Delivery"
	HeaderTimestamp = "X-Ticketbooth-Timestamp"
	HeaderSignature = "X-Ticketbooth-Signature"
)

// Sign returns the signature header's value for a body sent at timestamp (unix seconds,
// as the timestamp header carries it): "sha256=" and the hex HMAC-SHA256, keyed by the
// endpoint's secret as AddWebhook showed it, of the timestamp, a dot and the body.
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a received delivery's headers against its body, for a receiver written in
// Go: EUNAUTHORIZED when the signature is not the secret's (compared in constant time) or
// the timestamp is further than tolerance from now (a replayed old delivery).
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	ts := h.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ledger.Errorf(ledger.EUNAUTHORIZED, "The delivery has no valid %s header", HeaderTimestamp)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ledger.Errorf(ledger.EUNAUTHORIZED, "The delivery's timestamp is more than %s away from now", tolerance)
	}
	got := strings.TrimSpace(h.Get(HeaderSignature))
	if !hmac.Equal([]byte(got), []byte(Sign(secret, ts, body))) {
		return ledger.Errorf(ledger.EUNAUTHORIZED, "The delivery's signature does not match its body")
	}
	return nil
}
