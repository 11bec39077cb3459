package server

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ticketChunk is how many tickets the list reads and sends at a time: about 200 KB,
// so that a slow reader of a stadium's 9 MB list holds no more than that of the server's
// memory while the write timeout runs.
const ticketChunk = 1000

// ticketList serves a contract's ticket list, streamed a chunk at a time from pager, or
// read whole from the ledger without one.
type ticketList struct {
	responder
	ledger ledger.Service
	pager  ledger.TicketPager // nil: the list is read whole
}

func (h ticketList) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+contractPath+"/Tickets", h.tickets)
}

// tickets answers the ticket list as a JSON array, as Ticketbooth does, encoded as it is
// read a chunk at a time. ?offset=N&limit=M answer part of it: the tickets of seat
// indexes N to N+M-1 (fewer at the end).
func (h ticketList) tickets(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := listRange(r)
	if err != nil {
		h.error(w, err)
		return
	}
	pager := h.pager
	if pager == nil {
		t, err := h.ledger.Tickets(r.Context(), r.PathValue("address"))
		if err != nil {
			h.error(w, err)
			return
		}
		writeJSON(w, http.StatusOK, t[min(offset, len(t)):min(offset+limit, len(t))])
		return
	}
	h.streamTickets(w, r, pager, offset, limit)
}

// streamTickets sends the list read from pager a chunk at a time. An error before the
// first chunk is answered as usual; one after it (or a sale that changed between chunks)
// cuts the connection, so the client sees a broken list rather than a wrong one.
func (h ticketList) streamTickets(w http.ResponseWriter, r *http.Request, pager ledger.TicketPager, offset, limit int) {
	address := r.PathValue("address")
	first, err := pager.TicketsPage(r.Context(), address, offset, min(limit, ticketChunk))
	if err != nil {
		h.error(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	out := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(out)
	out.WriteByte('[')
	page, sent := first, 0
	for {
		for _, t := range page.Tickets {
			if sent > 0 {
				out.WriteByte(',')
			}
			enc.Encode(t)
			sent++
		}
		if len(page.Tickets) < ticketChunk || sent >= limit {
			break
		}
		if out.Flush() != nil {
			return // the client is gone or too slow: the write timeout cut it off
		}
		next, err := pager.TicketsPage(r.Context(), address, offset+sent, min(limit-sent, ticketChunk))
		if err != nil || next.Sale != first.Sale {
			if err != nil && ledger.ErrorCode(err) == ledger.EINTERNAL {
				h.log.Error("internal error", "err", err)
			}
			panic(http.ErrAbortHandler)
		}
		page = next
	}
	out.WriteString("]\n")
	out.Flush()
}

// listRange reads ?offset= and ?limit= of a list: 0 and the whole list by default.
func listRange(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	offset, limit = 0, ledger.MaxContractSeats
	for name, v := range map[string]*int{"offset": &offset, "limit": &limit} {
		if text := q.Get(name); text != "" {
			n, err := strconv.Atoi(text)
			if err != nil || n < 0 || n > ledger.MaxContractSeats {
				return 0, 0, ledger.Errorf(ledger.EINVALID, "Parameter %s must be a whole number from 0 to %d", name, ledger.MaxContractSeats)
			}
			*v = n
		}
	}
	return offset, limit, nil
}
