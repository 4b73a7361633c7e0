package clock

import (
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads an ISO 8601 duration of weeks, days, hours, minutes
// and seconds (P1W, P1D, PT10M, P1DT2H30S), the form Twilio's timers take.
// Years and months are refused: their length depends on the date.
func ParseDuration(s string) (time.Duration, bool) {
	if !strings.HasPrefix(s, "P") || len(s) < 3 || strings.HasSuffix(s, "T") {
		return 0, false
	}
	var total time.Duration
	inTime, num := false, ""
	units := map[bool]map[byte]time.Duration{
		false: {'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour},
		true:  {'H': time.Hour, 'M': time.Minute, 'S': time.Second},
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'T' && !inTime && num == "":
			inTime = true
		case c >= '0' && c <= '9':
			num += string(c)
		default:
			unit, ok := units[inTime][c]
			if !ok || num == "" {
				return 0, false
			}
			n, err := strconv.ParseInt(num, 10, 32)
			if err != nil {
				return 0, false
			}
			total += time.Duration(n) * unit
			num = ""
		}
	}
	return total, num == "" && total > 0
}
