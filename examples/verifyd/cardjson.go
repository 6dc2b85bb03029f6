package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
)

// writeCardResult answers with res as writeJSON would, byte for byte
// (TestCardResultJSON compares the two), but without encoding/json's
// reflection and map-key sorting, which cost some 20 allocations per card
// answer (issue 17).
func writeCardResult(w http.ResponseWriter, res *cardResult) {
	writeJSONBytes(w, append(appendCardResult(make([]byte, 0, 512), res), '\n'))
}

// writeJSONBytes answers 200 with body, JSON already encoded, and its
// Content-Length.
func writeJSONBytes(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// appendCardResult appends res as json.Marshal writes it (HTML characters
// escaped, map keys sorted); encoding/json's Encoder adds a newline.
func appendCardResult(b []byte, res *cardResult) []byte {
	b = append(b, `{"valid":`...)
	b = strconv.AppendBool(b, res.Valid)
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, res.Reason)
	b = append(b, `,"data_groups":`...)
	b = appendStringMap(b, res.DataGroups)
	b = append(b, `,"checks":`...)
	b = appendStringMap(b, res.Checks)
	if h := res.Holder; h != nil {
		b = append(b, `,"holder":{"number":`...)
		b = appendJSONString(b, h.Number)
		for _, f := range [...]struct{ key, v string }{
			{`,"name":`, h.Name},
			{`,"birth_date":`, h.BirthDate},
			{`,"sex":`, h.Sex},
			{`,"expiry_date":`, h.ExpiryDate},
		} {
			if f.v != "" { // omitempty
				b = append(b, f.key...)
				b = appendJSONString(b, f.v)
			}
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendStringMap appends m with its keys sorted, null when m is nil.
func appendStringMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var space [24]string
	keys := space[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	return append(b, '}')
}

// appendJSONString appends s quoted as encoding/json does: printable ASCII
// other than '"', '\\', '<', '>' and '&' as it is, anything else through
// json.Marshal (DG13's Vietnamese name, for one).
func appendJSONString(b []byte, s string) []byte {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
