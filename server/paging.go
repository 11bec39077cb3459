package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// listQuery returns the parameters of a list request: EINVALID in words when the query
// string is malformed (r.URL.Query would drop the bad part, a cursor with it, and answer
// the first page as if none had been asked for).
func listQuery(r *http.Request) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The query string is malformed: escape %% as %%25 and & in a value as %%26")
	}
	return q, nil
}

// pageHeaders sets the paging headers of a list's answer (see api.ParsePage): the list's
// total in X-Total-Count and, when next is not "" (more items follow), the Link to the
// next page of limit items. Call it before the answer's status is written.
func pageHeaders(w http.ResponseWriter, r *http.Request, total, limit int, next string) {
	w.Header().Set(api.TotalCountHeader, strconv.Itoa(total))
	if next != "" {
		w.Header().Set("Link", api.NextLink(r.URL, limit, next))
	}
}
