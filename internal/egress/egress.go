// Package egress guards Parley's outbound connections to addresses its
// users name (webhook URLs, inbound media URLs): with the operator's
// --webhook-deny-private, no connection reaches a loopback, private or
// link-local address, checked on the resolved address so DNS cannot
// smuggle one in.
package egress

import (
	"errors"
	"net"
	"syscall"
)

// ErrDenied refuses a connection to a private or loopback address.
var ErrDenied = errors.New("private and loopback addresses are denied")

// Control is a net.Dialer Control function that refuses private
// addresses when denyPrivate is set (nil otherwise).
func Control(denyPrivate bool) func(network, address string, _ syscall.RawConn) error {
	if !denyPrivate {
		return nil
	}
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
			ip.IsLinkLocalMulticast() || ip.IsUnspecified() {
			return ErrDenied
		}
		return nil
	}
}
