package server

import (
	"context"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// DecodeWait is how long an image waits for a free decoder before it is answered 503
// with Retry-After.
const DecodeWait = 2 * time.Second

// decodeSlots is a semaphore bounding the images decoded at once: one per CPU, since
// decoding is CPU work and each decode may take up to qrdecode.GateLimits.MaxMemory.
type decodeSlots struct {
	slots chan struct{}
	wait  time.Duration
}

func newDecodeSlots(n int, wait time.Duration) *decodeSlots {
	return &decodeSlots{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// acquire takes a slot, waiting at most d.wait: EUNAVAILABLE when none came free.
func (d *decodeSlots) acquire(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(d.wait)
	defer t.Stop()
	select {
	case d.slots <- struct{}{}:
		return func() { <-d.slots }, nil
	case <-t.C:
		return nil, ledger.Errorf(ledger.EUNAVAILABLE, "The server is busy reading other pictures: send this one again in a moment")
	case <-ctx.Done():
		return nil, ledger.Errorf(ledger.EUNAVAILABLE, "The request ended before a decoder came free")
	}
}

// imageText is the intake of camera frames sent to decode: it reads the QR text from an
// image within qrdecode.GateLimits, with at most one decode per CPU at a time. Whole
// uploads (PDFs, and every picture sent to CheckIn or VerifyTicket) take the same slots
// in uploadCodes.
func (d *decodeSlots) imageText(ctx context.Context, image []byte) (string, error) {
	release, err := d.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return gateread.Image(image)
}
