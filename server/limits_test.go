package server_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// shortTimeouts cut slow clients off within a second or two.
var shortTimeouts = server.Timeouts{ReadHeader: time.Second, Read: time.Second, Write: time.Second, Idle: time.Second}

// dialRaw opens a plain TCP connection to srv's address.
func dialRaw(t *testing.T, url string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readAnswer reads one HTTP answer from conn, waiting at most wait (a generous bound:
// the point is that it comes without the rest of the body).
func readAnswer(t *testing.T, conn net.Conn, wait time.Duration) *http.Response {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(wait))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer within %s while the body is still being sent: %v", wait, err)
	}
	return resp
}

// waitClosed fails unless the server closes conn within wait, reading (and dropping)
// whatever it still sends.
func waitClosed(t *testing.T, conn net.Conn, wait time.Duration) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(wait))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open for more than %s", wait)
	}
}

// TestWriteWithoutKeyAnsweredBeforeBody: a write without a key, or with a wrong one, is
// answered 401 at once, though its body is still on its way a byte at a time, and the
// connection is closed rather than read to the end.
func TestWriteWithoutKeyAnsweredBeforeBody(t *testing.T) {
	e := newEnv(t)
	srv := serveWith(t, server.New(e.store, e.store, nil), server.Timeouts{ReadHeader: time.Minute, Read: time.Hour, Write: time.Hour, Idle: time.Hour})
	for name, auth := range map[string]string{"NoKey": "", "WrongKey": "Authorization: Bearer not-a-key\r\n"} {
		t.Run(name, func(t *testing.T) {
			conn := dialRaw(t, srv.URL)
			head := "POST " + api.Base + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth + "Content-Length: 1000\r\n\r\n{\"ve"
			if _, err := io.WriteString(conn, head); err != nil {
				t.Fatal(err)
			}
			resp := readAnswer(t, conn, 20*time.Second)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", resp.StatusCode)
			}
			if !resp.Close {
				t.Errorf("the answer keeps the connection open; it must close it rather than wait for the body")
			}
		})
	}
}

// TestSlowClientsCutOff: a body sent a byte at a time and an idle kept-alive connection
// are closed by the server's timeouts.
func TestSlowClientsCutOff(t *testing.T) {
	e := newEnv(t)
	srv := serveWith(t, server.New(e.store, e.store, nil), shortTimeouts)
	t.Run("SlowBody", func(t *testing.T) {
		conn := dialRaw(t, srv.URL)
		io.WriteString(conn, "POST "+api.Base+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+e.alice+"\r\nContent-Length: 1000\r\n\r\n{")
		waitClosed(t, conn, 20*time.Second)
	})
	t.Run("Idle", func(t *testing.T) {
		conn := dialRaw(t, srv.URL)
		io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if resp := readAnswer(t, conn, 20*time.Second); resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("status %d, close %v: want a kept-alive 200", resp.StatusCode, resp.Close)
		}
		waitClosed(t, conn, 20*time.Second)
	})
	t.Run("Silent", func(t *testing.T) {
		waitClosed(t, dialRaw(t, srv.URL), 20*time.Second)
	})
}

var _ = ledger.EINVALID
