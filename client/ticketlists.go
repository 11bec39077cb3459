package client

import (
	"cmp"
	"context"
	"iter"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ ledger.TicketLists = (*Client)(nil)

// ListTickets reads the page of the shop's ticket list q asks for (GET
// /api/v1.0/tickets): its tickets, the list's total and the key of the next page.
func (c *Client) ListTickets(ctx context.Context, q ledger.TicketQuery) (ledger.TicketList, error) {
	q.Limit = cmp.Or(q.Limit, ledger.DefaultTicketLimit)
	v := api.TicketQueryValues(q)
	cursor := v.Get("cursor")
	v.Del("limit")
	v.Del("cursor")
	list := ledger.TicketList{Tickets: []ledger.ListedTicket{}}
	next, total, err := c.ListPage(ctx, api.TicketsPath, v, q.Limit, cursor, &list.Tickets)
	if err != nil {
		return ledger.TicketList{}, err
	}
	list.Total = total
	if next != "" {
		list.Next, err = api.DecodeCursor(api.TicketListName(cmp.Or(q.SortBy, ledger.SortSeat), q.Desc), next)
	}
	return list, err
}

// AllTickets reads every page of the ticket list q asks for, from q.After on, yielding
// each page; it stops after the last page or at the first error, which it yields.
func (c *Client) AllTickets(ctx context.Context, q ledger.TicketQuery) iter.Seq2[ledger.TicketList, error] {
	return func(yield func(ledger.TicketList, error) bool) {
		for {
			page, err := c.ListTickets(ctx, q)
			if !yield(page, err) || err != nil || page.Next == "" {
				return
			}
			q.After = page.Next
		}
	}
}
