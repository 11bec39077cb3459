package server

import (
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// webhooks serve the organizers' webhook endpoints and their deliveries under
// api.WebhooksPath, when the server was given them (Services.Webhooks). Every route needs
// an organizer key or the administrator (the store decides); an endpoint's secret is in
// the answer of its registration only.
type webhooks struct {
	responder
	hooks ledger.Webhooks
}

func (h webhooks) routes(mux *http.ServeMux) {
	if h.hooks == nil {
		return
	}
	one := api.WebhooksPath + "/{id}"
	mux.HandleFunc("POST "+api.WebhooksPath, h.add)
	mux.HandleFunc("GET "+api.WebhooksPath, h.list)
	mux.HandleFunc("DELETE "+one, h.remove)
	mux.HandleFunc("GET "+one+"/deliveries", h.deliveries)
	mux.HandleFunc("POST /api/v1.0/webhook-deliveries/{id}/retry", h.retry)
}

// add answers 201 with the endpoint and its secret, its path in the Location header.
func (h webhooks) add(w http.ResponseWriter, r *http.Request) {
	var body ledger.WebhookRequest
	if err := decodeCustomer(r, &body, "a webhook"); err != nil {
		h.error(w, err)
		return
	}
	hook, err := h.hooks.AddWebhook(r.Context(), body)
	if err == nil {
		w.Header().Set("Location", api.WebhookPath(hook.ID, ""))
	}
	h.reply(w, http.StatusCreated, hook, err)
}

func (h webhooks) list(w http.ResponseWriter, r *http.Request) {
	out, err := h.hooks.Webhooks(r.Context())
	h.reply(w, http.StatusOK, out, err)
}

// remove answers 204.
func (h webhooks) remove(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Webhook")
	if err == nil {
		err = h.hooks.RemoveWebhook(r.Context(), id)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deliveries answers a page of the endpoint's deliveries, newest first, as an array; a
// Link names the next page when the page is full.
func (h webhooks) deliveries(w http.ResponseWriter, r *http.Request) {
	q, err := deliveryQuery(r)
	if err != nil {
		h.error(w, err)
		return
	}
	out, err := h.hooks.WebhookDeliveries(r.Context(), q)
	if err == nil && len(out) == q.Limit {
		w.Header().Set("Link", api.NextLink(r.URL, q.Limit, api.Cursor(api.WebhookDeliveryList, strconv.FormatInt(out[len(out)-1].ID, 10))))
	}
	h.reply(w, http.StatusOK, out, err)
}

// deliveryQuery reads the endpoint's id and ?state=, ?limit=, ?cursor=.
func deliveryQuery(r *http.Request) (ledger.DeliveryQuery, error) {
	id, err := pathID(r, "Webhook")
	if err != nil {
		return ledger.DeliveryQuery{}, err
	}
	q, err := listQuery(r)
	if err != nil {
		return ledger.DeliveryQuery{}, err
	}
	p, err := api.ParsePage(q, api.WebhookDeliveryList, ledger.DefaultDeliveryList, ledger.MaxDeliveryList)
	if err != nil {
		return ledger.DeliveryQuery{}, err
	}
	dq := ledger.DeliveryQuery{Webhook: id, State: q.Get("state"), Limit: p.Limit}
	if p.After != "" {
		if dq.After, err = strconv.ParseInt(p.After, 10, 64); err != nil {
			return ledger.DeliveryQuery{}, ledger.Errorf(ledger.EINVALID, "Parameter cursor is not one this list handed out")
		}
	}
	return dq, nil
}

// retry answers 200 with the delivery, pending again.
func (h webhooks) retry(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Delivery")
	if err != nil {
		h.error(w, err)
		return
	}
	d, err := h.hooks.RetryWebhookDelivery(r.Context(), id)
	h.reply(w, http.StatusOK, d, err)
}

// pathID reads the {id} of the path, a positive whole number: EINVALID naming what.
func pathID(r *http.Request, what string) (int64, error) {
	text := r.PathValue("id")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, ledger.Errorf(ledger.EINVALID, "%s id %q must be a positive whole number", what, clipText(text, 40))
	}
	return id, nil
}
