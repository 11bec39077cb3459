package server

import (
	"bufio"
	"cmp"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/api"
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
// read a chunk at a time, with its length in X-Total-Count. A request may ask for part of
// it (see ticketRangeOf); the answer is then still a JSON array, and names the next part
// in its Link header.
func (h ticketList) tickets(w http.ResponseWriter, r *http.Request) {
	rg, err := ticketRangeOf(r)
	if err != nil {
		h.error(w, err)
		return
	}
	if h.pager == nil {
		h.wholeTickets(w, r, rg)
		return
	}
	h.streamTickets(w, r, h.pager, rg)
}

// wholeTickets answers the range of the list read whole from the ledger.
func (h ticketList) wholeTickets(w http.ResponseWriter, r *http.Request, rg ticketRange) {
	c, err := h.ledger.Contract(r.Context(), r.PathValue("address"))
	if err != nil {
		h.error(w, err)
		return
	}
	t, err := h.ledger.Tickets(r.Context(), c.Address)
	sale := int64(0)
	if c.Sale != nil && c.Sale.Active {
		sale = c.Sale.Number
	}
	if err == nil {
		err = rg.check(sale)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	rg.headers(w, r, len(t), sale)
	writeJSON(w, http.StatusOK, t[min(rg.offset, len(t)):min(rg.offset+rg.limit, len(t))])
}

// ticketCursors names the ticket list in its cursors (see api.Cursor); their key is the
// number of the sale listed and the seat index of a page's last ticket, written
// "sale/index", so that a page asked for after the sale changed is refused rather than
// joined to pages of another sale.
const ticketCursors = "tickets"

// ticketRange is the part of the ticket list a request asks for: the tickets of seat
// indexes offset to offset+limit-1; paged when the request named offset, limit or cursor;
// sale is the sale its cursor named, -1 without a cursor.
type ticketRange struct {
	offset, limit int
	paged         bool
	sale          int64
}

// ticketRangeOf reads the part of the list a request asks for: the whole list by default;
// ?offset=N&limit=M the tickets of seat indexes N to N+M-1; ?cursor=C&limit=M (limit
// 1,000 when not given) the M tickets after the page whose Link named C. EINVALID for
// a bad bound, a cursor that is not the ticket list's, or both offset and cursor.
func ticketRangeOf(r *http.Request) (ticketRange, error) {
	q, err := listQuery(r)
	if err != nil {
		return ticketRange{}, err
	}
	offset, limit, err := listRange(q)
	rg := ticketRange{offset: offset, limit: limit, paged: q.Has("offset") || q.Has("limit") || q.Has("cursor"), sale: -1}
	if err != nil || !q.Has("cursor") {
		return rg, err
	}
	if q.Has("offset") {
		return rg, ledger.Errorf(ledger.EINVALID, "Give either offset or cursor, not both")
	}
	key, err := api.DecodeCursor(ticketCursors, q.Get("cursor"))
	if err != nil {
		return rg, err
	}
	saleKey, indexKey, _ := strings.Cut(key, "/")
	sale, err1 := api.ParseIndexKey(saleKey, math.MaxInt32)
	last, err := api.ParseIndexKey(indexKey, ledger.MaxContractSeats)
	rg.offset, rg.sale = last+1, int64(sale)
	if !q.Has("limit") {
		rg.limit = ticketChunk
	}
	return rg, cmp.Or(err1, err)
}

// check refuses a page asked for by a cursor of another sale than the one listed now:
// ECONFLICT, the list must be read again from its start.
func (rg ticketRange) check(sale int64) error {
	if rg.sale >= 0 && rg.sale != sale {
		return ledger.Errorf(ledger.ECONFLICT, "The sale changed since the page before was read: read the ticket list again from its start")
	}
	return nil
}

// headers sets the paging headers of the answer to the range, in a list of total
// tickets of the sale: the total always, the next page's Link when paged and tickets
// follow.
func (rg ticketRange) headers(w http.ResponseWriter, r *http.Request, total int, sale int64) {
	next := ""
	if end := rg.offset + rg.limit; rg.paged && rg.limit > 0 && end < total {
		next = api.Cursor(ticketCursors, api.IndexKey(int(sale))+"/"+api.IndexKey(end-1))
	}
	pageHeaders(w, r, total, rg.limit, next)
}

// streamTickets sends the list read from pager a chunk at a time. An error before the
// first chunk is answered as usual; one after it (or a sale that changed between chunks)
// cuts the connection, so the client sees a broken list rather than a wrong one.
func (h ticketList) streamTickets(w http.ResponseWriter, r *http.Request, pager ledger.TicketPager, rg ticketRange) {
	address, offset, limit := r.PathValue("address"), rg.offset, rg.limit
	first, err := pager.TicketsPage(r.Context(), address, offset, min(limit, ticketChunk))
	if err == nil {
		err = rg.check(first.Sale)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	rg.headers(w, r, first.Total, first.Sale)
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
func listRange(q url.Values) (offset, limit int, err error) {
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
