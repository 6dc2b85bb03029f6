package main

import (
	"errors"
	"net/http"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

// numberResult is the answer of /v1/numbers/validate and the number part of
// the other answers. Number is masked unless the service is configured to
// return it.
type numberResult struct {
	Valid        bool   `json:"valid"`
	Number       string `json:"number,omitempty"`
	ProvinceCode string `json:"province_code,omitempty"`
	Province     string `json:"province,omitempty"`
	Province2025 string `json:"province_2025,omitempty"`
	Abroad       bool   `json:"abroad,omitempty"`
	Sex          string `json:"sex,omitempty"`
	BirthYear    int    `json:"birth_year,omitempty"`
	Error        string `json:"error,omitempty"`
	Code         string `json:"code,omitempty"`
}

// showNumber returns the number as the configuration allows it to leave
// the service.
func (s *server) showNumber(n cccd.Number) string {
	if s.cfg.returnNumber {
		return n.Digits()
	}
	return n.String()
}

func (s *server) describeNumber(n cccd.Number) numberResult {
	p := n.Province()
	return numberResult{
		Valid:        true,
		Number:       s.showNumber(n),
		ProvinceCode: p.Code,
		Province:     p.Name,
		Province2025: p.Name2025,
		Abroad:       p.Abroad,
		Sex:          sexWord(n.Sex()),
		BirthYear:    n.BirthYear(),
	}
}

func sexWord(s cccd.Sex) string {
	switch s {
	case cccd.Male:
		return "male"
	case cccd.Female:
		return "female"
	}
	return ""
}

// numberErrorCode maps a cccd error to a stable code for clients.
func numberErrorCode(err error) string {
	for _, c := range []struct {
		err  error
		code string
	}{
		{cccd.ErrLegacyNumber, "legacy_number"},
		{cccd.ErrLength, "length"},
		{cccd.ErrDigit, "digit"},
		{cccd.ErrProvince, "province"},
		{cccd.ErrBirthYear, "birth_year"},
		{cccd.ErrMismatch, "mismatch"},
		{cccd.ErrDate, "date"},
		{cccd.ErrSex, "sex"},
		{cccd.ErrQRFormat, "qr_format"},
	} {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "invalid"
}

// validateNumber answers POST /v1/numbers/validate {"number":"..."}. An
// invalid number is a 200 answer with valid false: the request was fine.
func (s *server) validateNumber(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Number *string `json:"number"`
	}
	if e := decodeJSON(r, &req); e != nil {
		writeError(w, e)
		return
	}
	if req.Number == nil {
		writeError(w, errBadRequest("missing_field", "field \"number\" is required"))
		return
	}
	n, err := cccd.ParseLenient(*req.Number)
	if err != nil {
		s.metrics.verdict("number", "invalid")
		writeJSON(w, http.StatusOK, numberResult{Error: err.Error(), Code: numberErrorCode(err)})
		return
	}
	s.metrics.verdict("number", "valid")
	writeJSON(w, http.StatusOK, s.describeNumber(n))
}

// qrResult is the answer of /v1/qr/parse.
type qrResult struct {
	Valid  bool      `json:"valid"`
	Error  string    `json:"error,omitempty"`
	Code   string    `json:"code,omitempty"`
	Holder *qrHolder `json:"holder,omitempty"`
}

type qrHolder struct {
	Number    string `json:"number"`
	OldNumber string `json:"old_number,omitempty"`
	Name      string `json:"name"`
	BirthDate string `json:"birth_date"`
	Sex       string `json:"sex"`
	Address   string `json:"address"`
	IssueDate string `json:"issue_date"`
}

// parseQR answers POST /v1/qr/parse {"text":"..."} with the fields of the
// front QR code, after checking they agree with each other.
func (s *server) parseQR(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Text *string `json:"text"`
	}
	if e := decodeJSON(r, &req); e != nil {
		writeError(w, e)
		return
	}
	if req.Text == nil {
		writeError(w, errBadRequest("missing_field", "field \"text\" is required"))
		return
	}
	q, err := cccd.ParseQR(*req.Text)
	if err != nil {
		s.metrics.verdict("qr", "invalid")
		writeJSON(w, http.StatusOK, qrResult{Error: err.Error(), Code: numberErrorCode(err)})
		return
	}
	s.metrics.verdict("qr", "valid")
	old := q.OldNumber
	if !s.cfg.returnNumber && old != "" {
		old = "(present)"
	}
	writeJSON(w, http.StatusOK, qrResult{Valid: true, Holder: &qrHolder{
		Number:    s.showNumber(q.Number),
		OldNumber: old,
		Name:      q.Name,
		BirthDate: q.BirthDate.Format(time.DateOnly),
		Sex:       sexWord(q.Sex),
		Address:   q.Address,
		IssueDate: q.IssueDate.Format(time.DateOnly),
	}})
}
