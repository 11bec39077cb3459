package api

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The paging convention of every list of the API. A client asks for a page with
// ?limit=N (how many items at most) and ?cursor=C (where the page starts: the cursor
// handed out with the page before; none for the first page). The answer carries the
// number of items of the whole list in the X-Total-Count header and, when more items
// follow, a Link header naming the next page: Link: <…?limit=N&cursor=C2>; rel="next".
// The body is the page's items as the list answers them unpaged (a bare JSON array for
// the Ticketbooth routes). A cursor is opaque to clients: the base64url of the list's
// name and the key of the page's last item, so a list reads on by its key (a range scan,
// never OFFSET) and a cursor of one list is refused by another.
const (
	// TotalCountHeader names the header with the number of items in the whole list.
	TotalCountHeader = "X-Total-Count"
	// DefaultPageLimit is the page size when a cursor is given without a limit.
	DefaultPageLimit = 100
	// MaxPageLimit is the largest limit a list takes unless it declares its own.
	MaxPageLimit = 1000
)

// PageRequest is a page asked for: at most Limit items after the item whose key is
// After ("" for the first page).
type PageRequest struct {
	Limit int
	After string
	// Asked is whether the request named limit or cursor: a list answers its whole,
	// unpaged form when it did not.
	Asked bool
}

// ParsePage reads ?limit= and ?cursor= of a request for the list named list: limit
// between 1 and max (def when absent), the cursor decoded to the key of the last item
// seen. EINVALID in words for a limit out of range or a cursor that is not one of this
// list's.
func ParsePage(q url.Values, list string, def, max int) (PageRequest, error) {
	p := PageRequest{Limit: def, Asked: q.Has("limit") || q.Has("cursor")}
	if text := q.Get("limit"); q.Has("limit") {
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 || n > max {
			return PageRequest{}, ledger.Errorf(ledger.EINVALID, "Parameter limit must be a whole number from 1 to %d", max)
		}
		p.Limit = n
	}
	if q.Has("cursor") {
		key, err := DecodeCursor(list, q.Get("cursor"))
		if err != nil {
			return PageRequest{}, err
		}
		p.After = key
	}
	return p, nil
}

// Cursor returns the cursor of the page after the item of key in the list named list.
func Cursor(list, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + ":" + key))
}

// DecodeCursor returns the key a cursor of the list named list holds: EINVALID in words
// when it is not a cursor this API handed out for that list.
func DecodeCursor(list, cursor string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	key, ok := strings.CutPrefix(string(raw), list+":")
	if err != nil || !ok || key == "" || len(cursor) > 200 {
		return "", ledger.Errorf(ledger.EINVALID, "Parameter cursor is not a cursor of this list: pass the cursor of the Link header of the page before unchanged")
	}
	return key, nil
}

// IndexKey and ParseIndexKey write and read a list's key that is an index (a seat's):
// ParseIndexKey returns EINVALID for a key that is not a whole number from 0 to max.
func IndexKey(i int) string { return strconv.Itoa(i) }

// ParseIndexKey reads a key written by IndexKey; see there.
func ParseIndexKey(key string, max int) (int, error) {
	n, err := strconv.Atoi(key)
	if err != nil || n < 0 || n > max || key != strconv.Itoa(n) {
		return 0, ledger.Errorf(ledger.EINVALID, "Parameter cursor is not a cursor of this list: pass the cursor of the Link header of the page before unchanged")
	}
	return n, nil
}

// NextLink returns the Link header value naming the page after this one: the request's
// URL with its cursor set to next and its limit to limit, every other parameter kept.
func NextLink(u *url.URL, limit int, next string) string {
	q := u.Query()
	q.Del("offset")
	q.Set("limit", strconv.Itoa(limit))
	q.Set("cursor", next)
	return "<" + (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String() + `>; rel="next"`
}

// NextCursor returns the cursor of the next page named by an answer's Link header, ""
// when it names none (the list's last page).
func NextCursor(h http.Header) string {
	for _, link := range h.Values("Link") {
		for _, part := range strings.Split(link, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
			if !ok || !strings.Contains(params, `rel="next"`) {
				continue
			}
			u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
			if err == nil {
				return u.Query().Get("cursor")
			}
		}
	}
	return ""
}

// TotalCount reads an answer's X-Total-Count header: -1 when there is none or it is not
// a count.
func TotalCount(h http.Header) int {
	n, err := strconv.Atoi(h.Get(TotalCountHeader))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
