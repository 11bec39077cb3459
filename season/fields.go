package season

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// whole is a whole number of a request that partners send as a JSON number (100479) or
// as a string of digits ("100479"); anything else is the wrong type.
type whole int64

// UnmarshalJSON reads a number or a string of digits.
func (n *whole) UnmarshalJSON(data []byte) error {
	text := string(bytes.Trim(data, `"`))
	v, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || len(data) == 0 || data[0] == '"' && len(text) != len(data)-2 {
		return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeFor[int64]()}
	}
	*n = whole(v)
	return nil
}

// names is a list of names that partners send as a JSON list (["E1", "E2"]) or as one
// string separated by commas ("E1, E2"); each name is trimmed and empty ones dropped.
type names []string

// UnmarshalJSON reads a list of strings or a comma-separated string.
func (l *names) UnmarshalJSON(data []byte) error {
	var list []string
	if err := json.Unmarshal(data, &list); err != nil {
		var one string
		if json.Unmarshal(data, &one) != nil {
			return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeFor[[]string]()}
		}
		list = strings.Split(one, ",")
	}
	*l = (*l)[:0]
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// DateLayout is how the command API writes dates: "2026-10-01".
const DateLayout = "2006-01-02"

// parseDate reads a date of the field named field, written YYYY-MM-DD: the day's
// beginning in UTC.
func parseDate(field, text string) (time.Time, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(text))
	if err != nil {
		return t, failf(ResultInvalidField, "command1.%s must be a date written YYYY-MM-DD, such as 2026-10-01.", field)
	}
	return t, nil
}
