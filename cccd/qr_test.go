package cccd

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// synthQR is a synthetic QR text in the layout of the card's front QR code
// described in qr.go; the person does not exist.
const synthQR = "079303004567|123456789|Nguyễn Thị An|05042003|Nữ|Số 1 Lê Lợi, Bến Nghé, Quận 1, TP. Hồ Chí Minh|10052021"

func TestParseQR(t *testing.T) {
	q, err := ParseQR(synthQR)
	if err != nil {
		t.Fatal(err)
	}
	if q.Number.Digits() != "079303004567" || q.OldNumber != "123456789" || q.Name != "Nguyễn Thị An" ||
		!q.BirthDate.Equal(time.Date(2003, 4, 5, 0, 0, 0, 0, time.UTC)) || q.Sex != Female ||
		q.Address != "Số 1 Lê Lợi, Bến Nghé, Quận 1, TP. Hồ Chí Minh" ||
		!q.IssueDate.Equal(time.Date(2021, 5, 10, 0, 0, 0, 0, time.UTC)) || q.Extra != nil {
		t.Errorf("ParseQR = %#v", q)
	}
	if q.Text() != synthQR {
		t.Errorf("Text() = %q", q.Text())
	}

	// Later generations append fields: keep them. Empty old number is fine.
	ext := "001095012345||Trần Văn Bình|31121995|Nam|Hà Nội|01072024|extra1||extra3\r\n"
	q, err = ParseQR(ext)
	if err != nil {
		t.Fatal(err)
	}
	if q.OldNumber != "" || q.Sex != Male || len(q.Extra) != 3 || q.Extra[0] != "extra1" || q.Extra[2] != "extra3" {
		t.Errorf("ParseQR(extended) = %q %v %q", q.OldNumber, q.Sex, q.Extra)
	}
	if q.Text() != strings.TrimSuffix(ext, "\r\n") {
		t.Errorf("Text() = %q", q.Text())
	}
	// NFD "Nữ".
	if q, err := ParseQR(strings.Replace(synthQR, "Nữ", "Nu\u0303", 1)); err != nil || q.Sex != Female {
		t.Errorf("NFD sex: %v %v", q.Sex, err)
	}
}

func TestParseQRErrors(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC) }
	fields := strings.Split(synthQR, "|")
	with := func(i int, v string) string {
		f := append([]string(nil), fields...)
		f[i] = v
		return strings.Join(f, "|")
	}
	off := func(i int) int { return len(strings.Join(fields[:i], "|")) + 1 }
	tests := []struct {
		in     string
		err    error
		field  string
		offset int
	}{
		{"", ErrQRFormat, "qr", 0},
		{strings.Join(fields[:6], "|"), ErrQRFormat, "qr", len(strings.Join(fields[:6], "|"))},
		{strings.Repeat("|", 5000), ErrQRFormat, "qr", 4096},
		{"079303004567|\xff|x|05042003|Nữ|a|10052021", ErrQRFormat, "qr", 13},
		{with(0, "079303004"), ErrLegacyNumber, "number", 0},
		{with(0, "003303004567"), ErrProvince, "province", 0},
		{with(0, "07930300456x"), ErrDigit, "number", 11},
		{with(1, "12345678"), ErrLength, "old_number", off(1)},
		{with(1, "12345678x"), ErrDigit, "old_number", off(1)},
		{with(2, " "), ErrQRFormat, "name", off(2)},
		{with(3, "31022003"), ErrDate, "birth_date", off(3)},
		{with(3, "0504203"), ErrDate, "birth_date", off(3)},
		{with(3, "05-04-03"), ErrDate, "birth_date", off(3)},
		{with(3, "05041899"), ErrDate, "birth_date", off(3)},
		{with(4, "Nu"), ErrSex, "sex", off(4)},
		{with(4, "F"), ErrSex, "sex", off(4)},
		{with(4, "Nam"), ErrMismatch, "sex", off(4)},
		{with(3, "05042004"), ErrMismatch, "birth_date", off(3)},
		{with(6, "00012021"), ErrDate, "issue_date", off(6)},
		{with(6, "04042003"), ErrDate, "issue_date", off(6)}, // before birth
		{with(6, "17062026"), ErrDate, "issue_date", off(6)}, // future
	}
	for _, tt := range tests {
		q, err := ParseOptions{Now: now}.ParseQR(tt.in)
		var pe *ParseError
		if !errors.Is(err, tt.err) || !errors.As(err, &pe) || pe.Field != tt.field || pe.Offset != tt.offset {
			t.Errorf("ParseQR(%.40q) = %v, want %v field %s offset %d", tt.in, err, tt.err, tt.field, tt.offset)
		}
		if !q.Number.IsZero() || q.Name != "" || q.Extra != nil {
			t.Errorf("ParseQR(%.40q) returned data with an error", tt.in)
		}
	}
	// Issued on "tomorrow" in UTC is still today in Vietnam.
	if _, err := (ParseOptions{Now: now}).ParseQR(with(6, "16062026")); err != nil {
		t.Errorf("issue date today in Vietnam: %v", err)
	}
}

func TestQRMasked(t *testing.T) {
	q, err := ParseQR(synthQR)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("scan", "qr", q)
	outs := []string{
		fmt.Sprint(q), fmt.Sprintf("%v|%+v|%#v|%s|%q", q, q, q, q, q), q.String(), q.GoString(),
		fmt.Sprintf("%v", &q), fmt.Sprintf("%+v", struct{ Q QR }{q}), buf.String(),
	}
	for _, out := range outs {
		if !strings.Contains(out, "079*******67") {
			t.Errorf("output lacks the masked number: %q", out)
		}
		for _, secret := range []string{"303004567", "123456789", "Nguyễn", "An", "Lê Lợi", "2003", "05042003", "Nữ"} {
			if strings.Contains(out, secret) {
				t.Errorf("output %q leaks %q", out, secret)
			}
		}
	}
}
