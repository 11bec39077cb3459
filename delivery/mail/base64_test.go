package mail

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// TestBase64Lines: for every length around the line's 57 bytes, base64Lines is the whole
// base64 text cut into lines of 76 characters, each ending in CRLF, the last one shorter.
func TestBase64Lines(t *testing.T) {
	for n := range 300 {
		data := bytes.Repeat([]byte{byte(n), 0xff, 7}, n)[:n]
		enc := base64.StdEncoding.EncodeToString(data)
		var want strings.Builder
		for len(enc) > 76 {
			want.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		want.WriteString(enc + "\r\n")
		if got := string(base64Lines(data)); got != want.String() {
			t.Fatalf("%d bytes: %q, want %q", n, got, want.String())
		}
	}
}
