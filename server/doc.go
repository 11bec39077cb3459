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
//
// # One handler type per area
//
// Each area of the API is its own small handler type, in its own file, holding only the
// services of Services it uses: contracts (contracts and their rules), ticketList,
// selling, gate (check-in), pages (the web pages, their assets, decode and gate counts),
// journal (ledger info, receipts, verify), customers, bookings, ticketLists (the shop's
// ticket list, GET /api/v1.0/tickets), ticketpark
// (the Ticketpark-compatible API under /ticketpark/, over the customers and bookings),
// bam (the /bam/ facade of seed 002's wallet platform, bam*.go), wallets (the wallet
// page and its API, wallet.go) with walletDevices (the phones of SECURE tickets under
// the wallet's routes, wallet_device.go) and webhooks (the
// organizers' webhook endpoints and their deliveries, /api/v1.0/webhooks). Each embeds the one responder (error,
// answer, reply: the status and code of every error come from api.Status) and has a
// routes(mux) method that registers its routes, and New builds it from Services and calls
// it. *Server itself keeps only what every request shares: ServeHTTP (authentication,
// logging, recovery, the body limit) and the not-found answer.
//
// A new area (customers, bookings, a compatible API under its own prefix) is a new
// handler type in its own file, built the same way:
//
//	type customers struct {
//		responder
//		customers ledger.Customers // its field in Services, filled by internal/wiring
//	}
//
//	func (h customers) routes(mux *http.ServeMux) { mux.HandleFunc("POST /api/v1.0/customers", h.create) }
//
// registered by one line in New, not more methods on *Server.
//
// # Idempotent writes
//
// In front of every route sits the replayer (idempotency.go), when Services.Replays is
// set: a write (POST, PUT, PATCH, DELETE) with an Idempotency-Key header is claimed in
// the store before its route runs, and its answer kept (sealed under a key derived from
// the Idempotency-Key) for a retry to get again, marked Idempotent-Replayed. A new area's
// writes get it by being writes; they need nothing of their own.
package server
