package main

import (
	"strings"
	"testing"
)

// TestServeTimeoutFlags: a zero or negative timeout is a usage error named by its flag.
func TestServeTimeoutFlags(t *testing.T) {
	for _, flag := range []string{"--read-timeout", "--write-timeout", "--idle-timeout"} {
		r := runCLI(t, "", "serve", "--db", t.TempDir()+"/x.db", flag, "0s")
		if r.code != exitUsage || !strings.Contains(r.stderr, flag) {
			t.Errorf("serve %s 0s: exit %d, stderr %q; want %d naming the flag", flag, r.code, r.stderr, exitUsage)
		}
	}
}
