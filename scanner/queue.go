package scanner

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Queue is a gate device's offline admissions waiting to be uploaded, kept in a file so
// that they survive a restart: each Add writes the whole queue to a temporary file beside
// it, synced, and renames it over the old one, so a crash leaves the old queue or the new,
// never half of one. Upload empties it. It is safe for concurrent use in one process;
// two processes must not share a file.
type Queue struct {
	path  string
	mu    sync.Mutex
	items []Upload
}

// OpenQueue opens the queue kept in the file at path, empty when there is none yet; the
// directory is made if needed. A file that is not a queue is EINVALID: it is never
// overwritten, since it may hold admissions.
func OpenQueue(path string) (*Queue, error) {
	q := &Queue{path: path, items: []Upload{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return q, os.MkdirAll(filepath.Dir(path), 0o700)
	}
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The queue file %s cannot be read: %v", path, osReason(err))
	}
	if err := json.Unmarshal(data, &q.items); err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The file %s is not a queue of offline admissions; give another file", path)
	}
	return q, nil
}

// Add queues an admission (its Nonce required) and writes the queue to its file before
// returning; one already queued under the same nonce is not queued twice.
func (q *Queue) Add(u Upload) error {
	if u.Nonce == "" {
		return ledger.Errorf(ledger.EINVALID, "An offline admission needs the nonce made when it was scanned")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, it := range q.items {
		if it.Nonce == u.Nonce {
			return nil
		}
	}
	q.items = append(q.items, u)
	return q.save()
}

// Pending returns the queued admissions, oldest first.
func (q *Queue) Pending() []Upload {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]Upload(nil), q.items...)
}

// Len is how many admissions wait to be uploaded.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Upload sends the queued admissions to up, oldest first, at most MaxUploadBatch at a
// time, and removes each one answered (admitted, a double entry, any other verdict, or an
// item the server could not read: sending it again would be answered the same). It
// returns the answers; on an error (the server away, a key refused) the admissions not
// answered stay queued for the next call.
func (q *Queue) Upload(ctx context.Context, up Uploader, address, device string) ([]UploadResult, error) {
	var answered []UploadResult
	for {
		batch := q.Pending()
		if len(batch) == 0 {
			return answered, nil
		}
		batch = batch[:min(len(batch), MaxUploadBatch)]
		res, err := up.CheckInUpload(ctx, address, device, batch)
		if err != nil {
			return answered, err
		}
		if err := q.remove(res); err != nil {
			return answered, err
		}
		answered = append(answered, res...)
	}
}

// remove drops the answered admissions and writes the queue.
func (q *Queue) remove(res []UploadResult) error {
	done := map[string]bool{}
	for _, r := range res {
		done[r.Nonce] = true
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	kept := q.items[:0]
	for _, it := range q.items {
		if !done[it.Nonce] {
			kept = append(kept, it)
		}
	}
	q.items = kept
	return q.save()
}

// save writes the queue to a temporary file, syncs it and renames it over the queue.
func (q *Queue) save() error {
	data, err := json.Marshal(q.items)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(q.path), filepath.Base(q.path)+".*")
	if err != nil {
		return ledger.Errorf(ledger.EINVALID, "The queue file %s cannot be written: %v", q.path, osReason(err))
	}
	defer os.Remove(tmp.Name())
	if _, err = tmp.Write(data); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), q.path)
	}
	if err != nil {
		return ledger.Errorf(ledger.EINVALID, "The queue file %s cannot be written: %v", q.path, osReason(err))
	}
	return nil
}

// osReason is the system's reason for a file error, without the Go operation's words.
func osReason(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
