package main

import (
	"errors"
	"net/http"

	"github.com/cancuoc/sdk/mrz"
)

// mrzResult is the answer of /v1/mrz/parse. Identifying numbers are masked
// unless the service is configured to return them.
type mrzResult struct {
	Valid          bool          `json:"valid"`
	Format         string        `json:"format,omitempty"`
	DocumentCode   string        `json:"document_code,omitempty"`
	Issuer         string        `json:"issuer,omitempty"`
	DocumentNumber string        `json:"document_number,omitempty"`
	Number         string        `json:"number,omitempty"` // the CCCD number of a Vietnamese card
	BirthDate      string        `json:"birth_date,omitempty"`
	ExpiryDate     *string       `json:"expiry_date,omitempty"`
	NoExpiry       bool          `json:"no_expiry,omitempty"`
	Sex            string        `json:"sex,omitempty"`
	Nationality    string        `json:"nationality,omitempty"`
	Surname        string        `json:"surname,omitempty"`
	GivenNames     string        `json:"given_names,omitempty"`
	Errors         []mrzProblem  `json:"errors"`
	Changes        []mrzRepaired `json:"repaired,omitempty"`
}

type mrzProblem struct {
	Field   string `json:"field"`
	Offset  int    `json:"offset"`
	Message string `json:"message"`
}

type mrzRepaired struct {
	Position int    `json:"position"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// parseMRZ answers POST /v1/mrz/parse {"text":"...","repair":bool}. An MRZ
// that fails its checks is a 200 answer with valid false and every problem
// listed; only the request itself can be a 4xx.
func (s *server) parseMRZ(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Text   *string `json:"text"`
		Repair bool    `json:"repair"`
	}
	if e := decodeJSON(r, &req); e != nil {
		writeError(w, e)
		return
	}
	if req.Text == nil {
		writeError(w, errBadRequest("missing_field", "field \"text\" is required"))
		return
	}
	var (
		doc     mrz.Document
		changes []mrz.Change
		err     error
	)
	if req.Repair {
		doc, changes, err = mrz.Repair(*req.Text)
	} else {
		doc, err = mrz.Parse(*req.Text)
	}
	res := mrzResult{Errors: []mrzProblem{}}
	if err != nil {
		s.metrics.verdict("mrz", "invalid")
		var ve *mrz.ValidationError
		if errors.As(err, &ve) {
			for _, fe := range ve.Errors {
				res.Errors = append(res.Errors, mrzProblem{Field: fe.Field, Offset: fe.Offset, Message: fe.Reason()})
			}
		} else {
			res.Errors = append(res.Errors, mrzProblem{Field: "mrz", Offset: -1, Message: err.Error()})
		}
		writeJSON(w, http.StatusOK, res)
		return
	}
	s.metrics.verdict("mrz", "valid")
	res.Valid = true
	res.Format = doc.Layout().String()
	res.DocumentCode = doc.DocumentCode()
	res.Issuer = doc.Issuer()
	res.DocumentNumber = s.maskText(doc.DocumentNumber())
	if n, ok := doc.CCCD(); ok {
		res.Number = s.showNumber(n)
	}
	res.BirthDate = doc.BirthDate().String()
	if exp, ok := doc.ExpiryDate(); ok {
		e := exp.String()
		res.ExpiryDate = &e
	} else {
		res.NoExpiry = true
	}
	res.Sex = doc.Sex().String()
	res.Nationality = doc.Nationality()
	res.Surname = doc.Surname()
	res.GivenNames = doc.GivenNames()
	for _, c := range changes {
		res.Changes = append(res.Changes, mrzRepaired{Position: c.Position, From: string(c.From), To: string(c.To)})
	}
	writeJSON(w, http.StatusOK, res)
}

// maskText keeps the last two characters of an identifying value unless
// the service is configured to return full numbers.
func (s *server) maskText(v string) string {
	if s.cfg.returnNumber || len(v) <= 2 {
		return v
	}
	b := []byte(v)
	for i := range len(b) - 2 {
		b[i] = '*'
	}
	return string(b)
}
