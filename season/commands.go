package season

import (
	"context"
	"encoding/json"
	"errors"
)

// command is a command of the API: the product it belongs to and its function, which
// returns the answer's fields (merged into command1 beside cmd, ref, result, sql_code).
type command struct {
	product Product
	run     func(ctx context.Context, h *Handler, c *call) (map[string]any, error)
}

// commands is the table of the API's commands, by their lower-case name.
func commands() map[string]command {
	return map[string]command{
		"ping":                 {ProductCustomer, ping},
		"seats_hold":           {ProductHold, seatsHold},
		"seats_hold_specific":  {ProductHold, seatsHoldSpecific},
		"shopping_cart":        {ProductHold, shoppingCart},
		"check_out":            {ProductBuy, checkOut},
		"payment_request":      {ProductBuy, paymentRequestCmd},
		"ticket_print":         {ProductBuy, ticketPrint},
		"event_search":         {ProductCustomer, eventSearchCmd},
		"event_details":        {ProductCustomer, eventDetailsCmd},
		"customer_query":       {ProductCustomer, customerQueryCmd},
		"customer_add":         {ProductCustomer, customerAddCmd},
		"customer_update":      {ProductCustomer, customerUpdateCmd},
		"seats_sold":           {ProductCustomer, seatsSoldCmd},
		"get_avail_seats":      {ProductInventory, getAvailSeatsCmd},
		"event_price_info":     {ProductInventory, eventPriceInfoCmd},
		"ats_ext_test_polling": {ProductCustomer, testPolling},
	}
}

// decode reads command1's members into v (a struct with json tags); a member of the
// wrong type is a failure naming it.
func (c *call) decode(v any) error {
	data, err := json.Marshal(c.req.body)
	if err != nil {
		return failf(ResultMalformed, "command1 could not be read.")
	}
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return failf(ResultInvalidField, "command1.%s must be %s.", te.Field, typeWords(te.Type.Kind().String()))
		}
		return failf(ResultInvalidField, "command1 has a member of the wrong type.")
	}
	return nil
}
