package mrz

import (
	"strconv"
	"time"
)

// Date is a date as an MRZ holds it: any part may be unknown ("<<" in the
// MRZ), and an unknown part is 0.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether every part is unknown.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns the date at midnight UTC; ok is false when a part is unknown.
func (d Date) Time() (t time.Time, ok bool) {
	if d.Year == 0 || d.Month == 0 || d.Day == 0 {
		return time.Time{}, false
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), true
}

// String formats the date as YYYY-MM-DD, with XX (XXXX) for unknown parts.
func (d Date) String() string {
	b := make([]byte, 0, 10)
	if d.Year == 0 {
		b = append(b, "XXXX"...)
	} else {
		b = appendPadded(b, d.Year, 4)
	}
	b = append(b, '-')
	if d.Month == 0 {
		b = append(b, "XX"...)
	} else {
		b = appendPadded(b, int(d.Month), 2)
	}
	b = append(b, '-')
	if d.Day == 0 {
		b = append(b, "XX"...)
	} else {
		b = appendPadded(b, d.Day, 2)
	}
	return string(b)
}

func appendPadded(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// noExpiry is the expiry printed on cards that never expire (Vietnamese
// cards of holders aged 60 and over: Law 26/2023/QH15 on Identification,
// art. 21, as printed on issued cards).
const noExpiry = "991231"

// twoDigits returns the value of two ASCII digits, or ok=false when the pair
// is "<<" (unknown). bad is true for anything else.
func twoDigits(s string) (v int, unknown, bad bool) {
	if s[0] == '<' && s[1] == '<' {
		return 0, true, false
	}
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false, true
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), false, false
}

// parseDate reads a 6-character YYMMDD field. birth selects the century
// rule: the latest century that does not put the date after now (ICAO gives
// no rule; this is the one every reader uses). Otherwise the year is 20YY.
// ok is false when the field is not a calendar date.
func parseDate(s string, birth bool, now time.Time) (d Date, ok bool) {
	yy, yUnknown, bad := twoDigits(s[0:2])
	if bad {
		return Date{}, false
	}
	mm, mUnknown, bad := twoDigits(s[2:4])
	if bad || (!mUnknown && (mm < 1 || mm > 12)) {
		return Date{}, false
	}
	dd, dUnknown, bad := twoDigits(s[4:6])
	if bad || (!dUnknown && dd < 1) {
		return Date{}, false
	}
	if !yUnknown {
		d.Year = 2000 + yy
		if birth {
			ny, nm, nd := now.Date()
			d.Year = ny - ny%100 + yy
			if d.Year > ny || (d.Year == ny && !mUnknown && (time.Month(mm) > nm ||
				(time.Month(mm) == nm && !dUnknown && dd > nd))) {
				d.Year -= 100
			}
		}
	}
	if !mUnknown {
		d.Month = time.Month(mm)
	}
	if !dUnknown {
		if dd > daysIn(d.Year, d.Month) {
			return Date{}, false
		}
		d.Day = dd
	}
	return d, true
}

// daysIn is the largest day of month m in year y; unknown parts allow the
// most days they could have.
func daysIn(y int, m time.Month) int {
	switch m {
	case 0:
		return 31
	case time.February:
		if y == 0 || (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// appendDate appends d as YYMMDD with "<<" for unknown parts.
func appendDate(b []byte, d Date) []byte {
	part := func(v int) {
		if v == 0 {
			b = append(b, '<', '<')
			return
		}
		b = append(b, byte('0'+v/10%10), byte('0'+v%10))
	}
	part(d.Year % 100)
	if d.Year != 0 && d.Year%100 == 0 {
		b[len(b)-2], b[len(b)-1] = '0', '0'
	}
	part(int(d.Month))
	part(d.Day)
	return b
}
