package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// fakeUploader answers every upload admitted, or fails with err; it counts the batches.
type fakeUploader struct {
	err     error
	batches []int
}

func (f *fakeUploader) CheckInUpload(ctx context.Context, address, device string, uploads []scanner.Upload) ([]scanner.UploadResult, error) {
	if f.err != nil {
		return nil, f.err
	}
	f.batches = append(f.batches, len(uploads))
	out := make([]scanner.UploadResult, len(uploads))
	for i, u := range uploads {
		out[i] = scanner.UploadResult{Nonce: u.Nonce, Results: []ledger.CheckResult{{Status: ledger.StatusAdmitted}}}
	}
	return out, nil
}

func mustQueue(t *testing.T, path string) *scanner.Queue {
	t.Helper()
	q, err := scanner.OpenQueue(path)
	if err != nil {
		t.Fatalf("OpenQueue: %v", err)
	}
	return q
}

// TestQueueSurvivesRestart: admissions added are in the file at once (a queue opened
// anew holds them, a nonce once), stay queued while the server is away, and leave it
// when uploaded, in batches of at most MaxUploadBatch.
func TestQueueSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache", "queue.json")
	q := mustQueue(t, path)
	at := time.Date(2026, 5, 1, 19, 0, 0, 0, time.UTC)
	n := scanner.MaxUploadBatch + 3
	for i := range n {
		if err := q.Add(scanner.Upload{QR: "qr", Gate: "north", Nonce: fmt.Sprint("n", i), At: at}); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	if err := q.Add(scanner.Upload{QR: "qr", Gate: "north", Nonce: "n0", At: at}); err != nil {
		t.Fatalf("Add again: %v", err)
	}
	again := mustQueue(t, path) // a restart
	if got := again.Pending(); len(got) != n || got[0].Nonce != "n0" || !got[0].At.Equal(at) || got[n-1].Nonce != fmt.Sprint("n", n-1) {
		t.Fatalf("after reopening: %d pending (first %+v), want %d in order", len(got), got[0], n)
	}
	away := &fakeUploader{err: ledger.Errorf(ledger.EINTERNAL, "the server did not answer")}
	if _, err := again.Upload(context.Background(), away, "addr", "dev"); err == nil || again.Len() != n {
		t.Fatalf("Upload while away: %v, %d pending; want the error and all %d kept", err, again.Len(), n)
	}
	up := &fakeUploader{}
	res, err := again.Upload(context.Background(), up, "addr", "dev")
	if err != nil || len(res) != n || len(up.batches) != 2 || up.batches[0] != scanner.MaxUploadBatch {
		t.Fatalf("Upload: %d answers, batches %v, %v", len(res), up.batches, err)
	}
	if left := mustQueue(t, path).Len(); left != 0 {
		t.Errorf("%d admissions left in the file after the upload, want none", left)
	}
}

// TestQueueRefusesOtherFiles: a file that is not a queue is refused and left as it was;
// an admission without a nonce is refused.
func TestQueueRefusesOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(path, []byte("my notes"), 0o600)
	if _, err := scanner.OpenQueue(path); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("OpenQueue of a text file: %v, want EINVALID", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "my notes" {
		t.Errorf("the file was changed to %q", data)
	}
	q := mustQueue(t, filepath.Join(t.TempDir(), "q.json"))
	if err := q.Add(scanner.Upload{QR: "qr"}); ledger.ErrorCode(err) != ledger.EINVALID || errors.Is(err, os.ErrNotExist) {
		t.Errorf("Add without a nonce: %v, want EINVALID", err)
	}
}
