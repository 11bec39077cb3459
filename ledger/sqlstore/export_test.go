package sqlstore

// NumberPlaceholders lets tests run their own SQL on either engine.
var NumberPlaceholders = numberPlaceholders

// WritesPerCommit returns the mean number of writes in SQLite's group commits (0 on
// PostgreSQL, which commits each write alone).
func WritesPerCommit(s *Store) float64 {
	if s.batch == nil || s.batch.batches.Load() == 0 {
		return 0
	}
	return float64(s.batch.writes.Load()) / float64(s.batch.batches.Load())
}

// Pipelined returns how many reservations PostgreSQL's two-round-trip path committed.
func Pipelined(s *Store) int64 { return s.pipelined.Load() }
