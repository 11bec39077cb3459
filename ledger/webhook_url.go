package ledger

import (
	"net/netip"
	"net/url"
	"strings"
)

// Where webhooks may be sent. A server that posts to any URL an organizer names could be
// made to reach what only it can reach (SSRF): its own network's services, a cloud's
// metadata address. So an endpoint is https, or http on loopback (for tests and a
// receiver on the same machine); and an address that is private, link-local or shared
// (carrier-grade NAT) is refused unless the server allows private addresses. The check
// runs when an endpoint is registered (on an address written in the URL) and again
// when each attempt connects (on the address the name resolved to), so a name that
// resolves somewhere else later is refused too.

// cgnat is the shared address space of RFC 6598, which Go does not count as private.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// CheckWebhookURL checks an endpoint's URL: EINVALID when it is not an absolute http(s)
// URL without credentials or fragment, EREFUSED for http off loopback or an address the
// server may not reach (CheckWebhookAddress).
func CheckWebhookURL(raw string, allowPrivate bool) (*url.URL, error) {
	if len(raw) > MaxWebhookURL {
		return nil, Errorf(EINVALID, "A webhook URL has at most %d characters", MaxWebhookURL)
	}
	if err := CheckText("The webhook URL", raw); err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.Opaque != "" {
		return nil, Errorf(EINVALID, "The webhook URL %q is not an https:// URL", clip(raw, 80))
	}
	if u.User != nil || u.Fragment != "" {
		return nil, Errorf(EINVALID, "A webhook URL may not carry a user, password or #fragment")
	}
	host := u.Hostname()
	ip, err := netip.ParseAddr(host)
	switch {
	case err == nil:
		return u, CheckWebhookAddress(u.Scheme, ip, allowPrivate)
	case strings.EqualFold(host, "localhost"):
		return u, nil
	case u.Scheme == "http":
		return nil, Errorf(EREFUSED, "A webhook is sent by https; http only to this machine (loopback)")
	}
	return u, nil
}

// CheckWebhookAddress checks the address an attempt connects to: EREFUSED for an
// unspecified, multicast or broadcast address, for http anywhere but loopback, and for a
// private, link-local or shared address unless allowPrivate. Loopback is allowed.
func CheckWebhookAddress(scheme string, ip netip.Addr, allowPrivate bool) error {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return nil
	case !ip.IsValid() || ip.IsUnspecified() || ip.IsMulticast() || ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return Errorf(EREFUSED, "A webhook cannot be sent to %s: not an address of one host", ip)
	case scheme == "http":
		return Errorf(EREFUSED, "A webhook is sent by https; http only to this machine (loopback), not %s", ip)
	case !allowPrivate && (ip.IsPrivate() || ip.IsLinkLocalUnicast() || cgnat.Contains(ip)):
		return Errorf(EREFUSED, "A webhook may not be sent to the private or link-local address %s (the server allows it only with serve --webhook-allow-private)", ip)
	}
	return nil
}
