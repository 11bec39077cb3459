package sqlstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// concurrentLookups runs n lookups of one hash at once with load, which is held until the
// n have had time to queue behind the first, and returns what each got.
func concurrentLookups(c *keyCache, n int, load func(context.Context) (ledger.Actor, error)) ([]ledger.Actor, []error) {
	release := make(chan struct{})
	held := func(ctx context.Context) (ledger.Actor, error) {
		<-release
		return load(ctx)
	}
	actors, errs := make([]ledger.Actor, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			actors[i], errs[i] = c.lookup(context.Background(), "hash", held)
		}()
	}
	time.Sleep(50 * time.Millisecond) // not a timing assertion: only lets them queue
	close(release)
	wg.Wait()
	return actors, errs
}

// TestKeyLookupShared: requests that miss the cache for one key at once share one read of
// it; when that read fails, each waiter reads for itself.
func TestKeyLookupShared(t *testing.T) {
	const n = 32
	want := ledger.Actor{KeyID: 7, Name: "shop", Role: ledger.RoleBoxOffice}
	var c keyCache
	var loads atomic.Int64
	actors, errs := concurrentLookups(&c, n, func(context.Context) (ledger.Actor, error) {
		loads.Add(1)
		return want, nil
	})
	if loads.Load() >= n/2 {
		t.Errorf("%d reads for %d requests of one key at once, want them shared", loads.Load(), n)
	}
	for i := range n {
		if actors[i] != want || errs[i] != nil {
			t.Fatalf("request %d got %+v, %v; want %+v", i, actors[i], errs[i], want)
		}
	}

	var tries atomic.Int64
	actors, errs = concurrentLookups(&c, n, func(context.Context) (ledger.Actor, error) {
		if tries.Add(1) == 1 {
			return ledger.Actor{}, errors.New("the first read failed")
		}
		return want, nil
	})
	failed := 0
	for i := range n {
		switch {
		case errs[i] != nil:
			failed++
		case actors[i] != want:
			t.Errorf("request %d got %+v", i, actors[i])
		}
	}
	if failed != 1 || tries.Load() < 2 {
		t.Errorf("%d requests failed after %d reads; want only the first to fail and the others to read again", failed, tries.Load())
	}
}
