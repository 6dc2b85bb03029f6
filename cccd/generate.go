package cccd

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// GenerateSpec says what kind of number Generate makes. The zero value
// asks for any province, either sex, and a birth year from 1930 to 2019.
type GenerateSpec struct {
	// Province is a 3-digit code: one of the 63 provinces, or 100-299 for a
	// birth registered abroad. Empty means one of the 63, at random.
	Province string
	// Sex is Male or Female; SexUnknown means either, at random.
	Sex Sex
	// BirthYear is 1900-2399 and not after Now().Year(); 0 means a year
	// from 1930 to 2019 at random (a range fixed so that a seed always gives
	// the same numbers).
	BirthYear int
	// Now is the clock BirthYear is checked against; nil means time.Now.
	Now func() time.Time
}

// Generate returns a random number matching spec, for tests and
// demonstrations. It reads its randomness from random (nil means
// crypto/rand.Reader), so a seeded deterministic reader gives the same
// numbers every time. Every number it returns parses with the zero
// ParseOptions and Now as the clock. A spec it cannot meet is an error
// wrapping ErrProvince or ErrBirthYear that names the GenerateSpec field
// and the values it accepts; otherwise errors are the reader's.
func Generate(random io.Reader, spec GenerateSpec) (Number, error) {
	if random == nil {
		random = rand.Reader
	}
	opts := ParseOptions{Now: spec.Now}
	var prefix uint64
	if spec.Province != "" {
		p, ok := ProvinceByCode(spec.Province)
		if !ok {
			return Number{}, fmt.Errorf("%w: GenerateSpec.Province is not a province code (001-096) or an abroad code (100-299)", ErrProvince)
		}
		prefix = uint64(atoi3(p.Code))
	} else {
		i, err := uniform(random, len(provinceTable))
		if err != nil {
			return Number{}, err
		}
		prefix = uint64(atoi3(provinceTable[i].Code))
	}
	var female uint64
	switch spec.Sex {
	case Male:
	case Female:
		female = 1
	case SexUnknown:
		i, err := uniform(random, 2)
		if err != nil {
			return Number{}, err
		}
		female = uint64(i)
	default:
		return Number{}, errors.New("cccd: GenerateSpec.Sex is not Male, Female or SexUnknown")
	}
	year := spec.BirthYear
	if year == 0 {
		i, err := uniform(random, 2019-1930+1)
		if err != nil {
			return Number{}, err
		}
		year = 1930 + i
	}
	if year < 1900 || year > 2399 {
		return Number{}, fmt.Errorf("%w: GenerateSpec.BirthYear %d is not from 1900 to 2399 (the years a number can encode)", ErrBirthYear, year)
	}
	serial, err := uniform(random, 1e6)
	if err != nil {
		return Number{}, err
	}
	g := uint64(year-1900)/100*2 + female
	v := prefix*1e9 + g*1e8 + uint64(year%100)*1e6 + uint64(serial)
	if pe := opts.check(v); pe != nil {
		if pe.Err == ErrBirthYear {
			return Number{}, fmt.Errorf("%w: GenerateSpec.BirthYear %d is after this year", ErrBirthYear, year)
		}
		return Number{}, pe
	}
	return Number{v: v | validBit}, nil
}

// uniform returns an integer in [0, n) read from r without modulo bias.
func uniform(r io.Reader, n int) (int, error) {
	limit := (1 << 32) / uint64(n) * uint64(n)
	var b [4]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		if x := uint64(binary.BigEndian.Uint32(b[:])); x < limit {
			return int(x % uint64(n)), nil
		}
	}
}
