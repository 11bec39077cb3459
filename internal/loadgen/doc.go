// Package loadgen rushes a running sale through the HTTP API, as `ticketbooth loadtest`
// does: many concurrent buyers, spread over one or more servers, reserve (and, when asked,
// release) seats of one contract, one request at a time each, until a duration or a
// request count is reached.
//
// Every answer is recorded in a seat book (book.go): what the buyers were told about each
// seat. Buyers only try seats the book has free, so a second 201 for a held seat with no
// release under way is an oversell, counted the moment it arrives. After the run the
// book is reconciled with the ledger's public ticket list: every seat the book gives a
// buyer must be that buyer's, and no seat it has free may belong to one. Latencies go in
// a log-linear histogram; Run returns the Report, which prints itself as text or JSON.
package loadgen
