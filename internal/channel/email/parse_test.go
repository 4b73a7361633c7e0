package email

import "testing"

// stripQuoted drops a reply's trailing quote and its attribution, wrapped
// or not, and Outlook's original message; it keeps an interleaved answer.
func TestStripQuoted(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Thanks!\r\n\r\nOn Mon, 30 Nov 2026, Support <s@x.test> wrote:\r\n> Shipped.\r\n> \r\n", "Thanks!"},
		{"Thanks!\n\nOn Mon, 30 Nov 2026 at 10:00, Support <s@x.test>\nwrote:\n> Shipped.\n", "Thanks!"},
		{"Yes.\n\n-----Original Message-----\nFrom: Support\nShipped.", "Yes."},
		{"> Which size?\nLarge.\n> Which colour?\nBlue.", "> Which size?\nLarge.\n> Which colour?\nBlue."},
		{"No quote here.\n", "No quote here."},
		{"> only a quote", ""},
	} {
		if got := stripQuoted(tc.in); got != tc.want {
			t.Errorf("stripQuoted(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
