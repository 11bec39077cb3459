package server

import "time"

// OccupyDecoders takes every decoder slot of s and makes an image wait at most wait for
// one; the function it returns frees them.
func OccupyDecoders(s *Server, wait time.Duration) (free func()) {
	s.decode.wait = wait
	for range cap(s.decode.slots) {
		s.decode.slots <- struct{}{}
	}
	return func() {
		for range cap(s.decode.slots) {
			<-s.decode.slots
		}
	}
}
