// Package batchfile reads and writes the batch file of `ticketbooth issue`: the batch's own
// record (OUT.qr.jsonl beside its PDF), kept so that no sold ticket's secret is ever lost.
//
// The file is one JSON object a line: a Header naming the contract, purchaser, layout and
// every seat asked for, then for each chunk of seats a Pending line with its tickets' QR
// texts, written and fsync'ed before the chunk is sold, and a Committed line with the
// sale's transaction once it is. A chunk left pending by a crash is settled on --resume
// against the ticket list: Recovered when the ledger holds its tickets' ciphertexts,
// Dropped when not (Log.Settle).
//
// Create never writes over an existing file, which may hold the only copy of sold
// tickets. Read leaves out a last line cut by a crash (nothing of it was sold) and
// Append cuts it off before appending; a damaged line in the middle is an EINVALID error.
package batchfile
