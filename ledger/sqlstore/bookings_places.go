package sqlstore

import "sync"

// maxBookingPlaces bounds the bookings whose contract bookingPlaces remembers; past it,
// it forgets them all and starts again (a few bytes each: 65,536 is about 6 MB at most).
const maxBookingPlaces = 1 << 16

// bookingPlaces remembers which contract each booking is on, so that a write on a booking
// (hold, free, confirm, cancel) can lock its contract without first reading the booking's
// row. A booking's contract never changes and booking ids are never reused, so what it
// remembers stays true; it only ever remembers bookings that exist (read, or committed).
// The zero value is ready to use.
type bookingPlaces struct {
	mu        sync.RWMutex
	contracts map[int64]string
}

// lookup returns the contract of the booking, if remembered.
func (p *bookingPlaces) lookup(id int64) (string, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	address, ok := p.contracts[id]
	return address, ok
}

// remember notes that the booking is on the contract at address.
func (p *bookingPlaces) remember(id int64, address string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.contracts == nil || len(p.contracts) >= maxBookingPlaces {
		p.contracts = make(map[int64]string)
	}
	p.contracts[id] = address
}
