package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCardResultJSON checks appendCardResult against encoding/json (the
// oracle, as writeJSON used it) on the demo card's real answers and on
// results holding every kind of text: HTML characters, quotes, control
// characters, Vietnamese, invalid UTF-8, U+2028, and random strings.
func TestCardResultJSON(t *testing.T) {
	d, err := demo(t)
	require.NoError(t, err)
	files := cardFiles(t, d)
	s := &server{cfg: d.cfg}
	number, err := cccd.ParseLenient("001095012345")
	require.NoError(t, err)
	results := []*cardResult{
		s.checkCard(files, cccd.Number{}, time.Time{}),
		s.checkCard(files, number, time.Date(1995, 3, 17, 0, 0, 0, 0, time.UTC)),
		s.checkCard(files, number, time.Date(1995, 3, 18, 0, 0, 0, 0, time.UTC)),
		{Reason: "signature"},
		{Valid: true, DataGroups: map[string]string{}, Checks: map[string]string{}, Holder: &cardHolder{}},
		{
			Reason:     `a"b\c<d>e&f` + "\x00\x1f\x7f\u2028\u2029\xff",
			DataGroups: map[string]string{"DG2": "ok", "DG10": "<", "DG1": "Nguyễn Văn Đức"},
			Checks:     map[string]string{"z": "", "a": "\t", "": "x"},
			Holder:     &cardHolder{Number: "****2345", Name: "Nguyễn Văn Đức", Sex: "male"},
		},
	}
	rng := rand.New(rand.NewPCG(17, 2))
	alphabet := []rune("aZ09 <>&\"\\/\x00\x01\n\u00e9\u1ec5\u2028\ufffd\U0001F600")
	text := func() string {
		r := make([]rune, rng.IntN(8))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if rng.IntN(8) == 0 {
			return string(r) + "\xc3" // cut UTF-8
		}
		return string(r)
	}
	for range 200 {
		res := &cardResult{Valid: rng.IntN(2) == 0, Reason: text(), DataGroups: map[string]string{}, Checks: map[string]string{}}
		for range rng.IntN(5) {
			res.DataGroups[text()] = text()
			res.Checks[text()] = text()
		}
		if rng.IntN(2) == 0 {
			res.Holder = &cardHolder{Number: text(), Name: text(), BirthDate: text(), Sex: text(), ExpiryDate: text()}
		}
		results = append(results, res)
	}
	require.True(t, results[0].Valid, "the demo card verifies")
	require.NotNil(t, results[0].Holder)
	for i, res := range results {
		var want bytes.Buffer
		require.NoError(t, json.NewEncoder(&want).Encode(res))
		assert.Equal(t, want.String(), string(appendCardResult(nil, res))+"\n", "result %d", i)
	}
}
