// Package batch issues many seats to one purchaser (a box office, a sponsor) into one PDF,
// as `ticketbooth issue` does, without ever losing a sold ticket's secret.
//
// A Batch sells its seats in chunks of 200, one transaction each. Each chunk is sealed in
// the process (issuer.Prepare), its tickets' QR texts written to the batch file
// (internal/batchfile) and forced to disk, and only then sold (issuer.PreparedSeller);
// a "committed" line follows. One goroutine sells while the caller's draws the chunks
// already sold into the PDF (ticketpdf's stream), so memory holds a couple of chunks;
// SIGINT and SIGTERM stop the batch between two chunks (Interrupted). Resume settles the
// chunks a crash left pending against the public ticket list (sold with this batch's
// secrets, or never sold), prints the tickets issued so far again and issues the rest.
// Progress is drawn as a bar on a terminal, a line every 10% otherwise; a QRFile (the
// --qr-json file) receives every QR text as it is sold.
package batch
