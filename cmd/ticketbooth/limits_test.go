package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/imagebomb"
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

// TestDecodeRefusesImageBombs: `decode` and `scan` refuse a file whose header declares a
// picture beyond the command line's limits, with a sentence, instead of decoding it.
func TestDecodeRefusesImageBombs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.jpg")
	if err := os.WriteFile(path, imagebomb.ProgressiveJPEG(20000, 20000), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "decode", path)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "larger than a camera frame") {
		t.Errorf("decode of a 20000x20000 bomb: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
