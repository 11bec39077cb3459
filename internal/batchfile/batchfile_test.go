package batchfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadTornLastLine: a last line cut by a crash is left out of what Read returns, and
// Append cuts it off, so the next line starts on a line of its own.
func TestReadTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.qr.jsonl")
	whole := `{"format":"ticketbooth-batch/1","contract":"C","sender":"s","layout":"a6","pdf":"t.pdf","seats":[]}` + "\n" +
		`{"chunk":0,"state":"pending","tickets":[{"seat":{"number":1,"letter":"A"},"qr":"[]"}]}` + "\n"
	if err := os.WriteFile(path, []byte(whole+`{"chunk":1,"state":"pend`), 0o600); err != nil {
		t.Fatal(err)
	}
	bf, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(bf.Chunks) != 1 || bf.Chunks[0].State != Pending || len(bf.Chunks[0].Written) != 1 {
		t.Fatalf("chunks %+v, want chunk 0 pending with its one ticket", bf.Chunks)
	}
	log, err := Append(path, bf)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Settle(Record{Chunk: 0, State: Dropped}); err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := whole + `{"chunk":0,"state":"dropped"}` + "\n"; string(got) != want {
		t.Errorf("file after Append and Settle:\n%s\nwant:\n%s", got, want)
	}
	if bf, err = Read(path); err != nil || bf.Chunks[0].State != Dropped {
		t.Errorf("read back: %v, %+v", err, bf)
	}
}

// TestReadRefuses: a file that is not a batch file, and one whose chunks are out of
// order, are refused, never half read.
func TestReadRefuses(t *testing.T) {
	header := `{"format":"ticketbooth-batch/1","contract":"C","sender":"s","layout":"a6","pdf":"t.pdf","seats":[]}` + "\n"
	for name, c := range map[string]struct{ data, want string }{
		"NotABatchFile": {"tickets nobody else has\n", "not a ticketbooth batch file"},
		"Empty":         {"", "has no batch header"},
		"OutOfOrder":    {header + `{"chunk":3,"state":"committed"}` + "\n", "chunk 3 committed out of order"},
		"Damaged":       {header + "{\n" + `{"chunk":0,"state":"pending"}` + "\n", "line 2: damaged"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.qr.jsonl")
			if err := os.WriteFile(path, []byte(c.data), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Read(path); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Read: %v, want an error saying %q", err, c.want)
			}
		})
	}
}

// FuzzRead reads arbitrary files as batch files: an error or a batch, never a
// panic.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"format":"ticketbooth-batch/1","contract":"C","sender":"s","layout":"a6","pdf":"t.pdf","seats":[]}` + "\n" +
		`{"chunk":0,"state":"pending","tickets":[{"seat":{"number":1,"letter":"A"},"qr":"[]"}]}` + "\n" + `{"chunk":0,"state":"committed","prices":[1]}` + "\n"))
	f.Add([]byte("{}\n{\"chunk\":5,\"state\":\"dropped\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.qr.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		bf, err := Read(path)
		if err == nil && bf.size > int64(len(data)) {
			t.Fatalf("size %d beyond the file's %d bytes", bf.size, len(data))
		}
	})
}
