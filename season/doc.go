// Package season is the season-ticketing command API of seed 004 (Archtics, as partner
// systems drive it): one JSON command API behind
//
//	POST /{product}/ticketing_services.aspx?dsn={dsn}&apikey={apikey}
//
// A request is an envelope {header, command1:{cmd, uid, dsn, ref?, ...}}; the answer is
// {command1:{cmd, ref, result, sql_code, ...}, header:{...the request's, ats_version,
// result}}. A command that fails is HTTP 200 with a non-zero result and error_detail in
// words; the HTTP statuses are the seed's: 200, 202 (polling), 401 (no, wrong or
// insufficient key), 404 (unknown product or DSN), 429 (over a limit, Retry-After), 503
// (the ledger unavailable).
//
// A call flows: the product of the path -> the partner key of the query
// (ledger.PartnerKeys) and its grant (product, DSN) -> a poll (cookies CID and QTKN of a
// job of this key, with the job's body) is answered here from the job store and not
// counted -> the call meter (ledger.CallMeter) -> the envelope -> the command of the table
// (commands.go), which must belong to the path's product -> the command's run, with the
// partner acting on the ledger as a box-office key, under the polling deadline
// (Polling.Deadline): its answer when done in time, else 202 and the cookies of a job
// that goes on in the background on this server (poll.go, poll_answer.go,
// ledger.CommandJobs). Each command is its own function in a file of its kind
// (events, customers, the buy flow); they share the envelope, the failures (failure.go)
// and the services (Services).
//
// The query carries the key: the server logs paths, never queries, and this package logs
// no key, name or e-mail.
package season
