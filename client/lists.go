package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ListPage reads one page of a list route (path, with the query q) into out, following
// the API's paging convention (see api.ParsePage): limit items at most, after cursor (""
// for the first page). It returns the next page's cursor ("" after the last page) and
// the list's total (-1 when the server sent none).
func (c *Client) ListPage(ctx context.Context, path string, q url.Values, limit int, cursor string, out any) (next string, total int, err error) {
	q = cloneQuery(q)
	q.Set("limit", strconv.Itoa(limit))
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	h, err := c.exchange(ctx, http.MethodGet, path+"?"+q.Encode(), "", nil, out)
	if err != nil {
		return "", 0, err
	}
	return api.NextCursor(h), api.TotalCount(h), nil
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// TicketPages reads the contract's ticket list limit tickets at a time (at most 1,000
// are sensible: the server's chunk), in seat order, following the Link of each page to
// the next. Each page carries the list's Total; its Sale is 0 (the answer does not name
// the sale). The sequence stops after the last page or at the first error, which it
// yields: EINVALID for a malformed address or a limit below 1.
func (c *Client) TicketPages(ctx context.Context, address string, limit int) iter.Seq2[ledger.TicketPage, error] {
	return func(yield func(ledger.TicketPage, error) bool) {
		if err := ledger.ValidateAddress(address); err != nil {
			yield(ledger.TicketPage{}, err)
			return
		}
		if limit < 1 {
			yield(ledger.TicketPage{}, ledger.Errorf(ledger.EINVALID, "A page must hold at least one ticket"))
			return
		}
		path, cursor := api.ContractPath(url.PathEscape(address), "Tickets"), ""
		for {
			var p ledger.TicketPage
			next, total, err := c.ListPage(ctx, path, nil, limit, cursor, &p.Tickets)
			p.Total = total
			if !yield(p, err) || err != nil || next == "" {
				return
			}
			cursor = next
		}
	}
}
