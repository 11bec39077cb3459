// Package server is the HTTP API of the ledger, with Ticketbooth's routes and bodies.
//
// A request flows: authenticate the bearer key (if any) to a ledger.Actor -> route ->
// decode the body (unknown members ignored) -> the ledger.Service method -> 201 with the
// transaction hash, or an error body whose status comes from the API's one table of error
// answers (api.Status). Reads are public; writes need a key of the right role. Request logs
// carry method, path, status and duration, never bodies, keys or names.
//
// The server serves what its caller hands it in a Services (cmd/ticketbooth wires the
// store, the issuer and the gate into it): it looks for no capability by itself, and the
// routes of a service it was not given are not registered.
package server
