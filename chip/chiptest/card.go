package chiptest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/brainpool"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Card is an issued card: the files of its chip (EF.CardAccess included
// unless the card has no PACE) and the chip's private keys.
type Card struct {
	Files chip.Files
	// AAKey is the chip's private key; DG15 holds its public half.
	AAKey crypto.Signer
	// CAKey is the chip-authentication private key: an *ecdsa.PrivateKey
	// (NIST curves), a private key on a Brainpool curve (a type internal to
	// the SDK, used through the chip's own protocol code), or a
	// *DHPrivateKey; DG14 holds its
	// public half. Nil when the card has no chip authentication.
	CAKey crypto.PrivateKey
}

// Issue builds the data groups for h (EF.COM, DG1, DG2, DG13, DG14,
// DG15) with chip.BuildDataGroups, with a new active-authentication key
// of type opts.AAKeyType (derived from the seed and h's number when the
// issuer has a seed), and signs the EF.SOD.
func (is *Issuer) Issue(h chip.Holder) (*Card, error) {
	aa, err := GenerateKey(is.opts.AAKeyType, is.opts.Seed, "aa "+h.Number.Digits())
	if err != nil {
		return nil, err
	}
	f := fnv.New64a()
	f.Write([]byte(is.opts.Seed))
	f.Write([]byte(h.Number.Digits()))
	acc, err := is.opts.accessProfile()
	if err != nil {
		return nil, err
	}
	var caKey crypto.PrivateKey
	var infos []chip.SecurityInfo
	if acc.ca != nil {
		if caKey, err = acc.generateCAKey(is.opts.Seed, "ca "+h.Number.Digits()); err != nil {
			return nil, err
		}
		if infos, err = acc.dg14Infos(caKey); err != nil {
			return nil, err
		}
	}
	files, err := chip.BuildDataGroups(h, chip.BuildOptions{AAPublicKey: aa.Public(), FaceSeed: f.Sum64(), SecurityInfos: infos})
	if err != nil {
		return nil, err
	}
	if files, err = is.Sign(files); err != nil {
		return nil, err
	}
	if ca, ok := acc.cardAccess(); ok {
		if files[chip.FileCardAccess], err = ca.Encode(); err != nil {
			return nil, err
		}
	}
	return &Card{Files: files, AAKey: aa, CAKey: caKey}, nil
}

// RespondAA answers an active-authentication challenge as the chip would
// (ICAO 9303-11 §6.1): ECDSA keys sign the challenge with the hash DG14
// names (SHA-256, SHA-384 or SHA-512 by curve size) and return plain
// r||s; RSA keys return an ISO/IEC 9796-2 scheme 1 signature with SHA-256
// (trailer 34 CC) over random M1 and the challenge.
func (c *Card) RespondAA(challenge []byte) ([]byte, error) {
	if len(challenge) != chip.ChallengeSize {
		return nil, errors.New("chiptest: challenge must be 8 bytes")
	}
	switch k := c.AAKey.(type) {
	case *rsa.PrivateKey:
		size := (k.N.BitLen() + 7) / 8
		m1 := make([]byte, size-1-crypto.SHA256.Size()-2)
		if _, err := rand.Read(m1); err != nil {
			return nil, err
		}
		return sign9796(k, crypto.SHA256, m1, challenge)
	case *ecdsa.PrivateKey:
		return signPlain(k, k.Curve.Params().BitSize, k.Curve.Params().N, challenge)
	case *brainpool.PrivateKey:
		return signPlain(k, k.Curve.BitSize, k.Curve.N, challenge)
	}
	return nil, fmt.Errorf("chiptest: unsupported AA key %T", c.AAKey)
}

func signPlain(k crypto.Signer, bits int, n *big.Int, challenge []byte) ([]byte, error) {
	h := crypto.SHA512
	switch {
	case bits <= 256:
		h = crypto.SHA256
	case bits <= 384:
		h = crypto.SHA384
	}
	d := h.New()
	d.Write(challenge)
	der, err := k.Sign(rand.Reader, d.Sum(nil), h)
	if err != nil {
		return nil, err
	}
	// DER ECDSA-Sig-Value to r||s, each as long as the order.
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	r, ss := new(big.Int), new(big.Int)
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1Integer(r) || !seq.ReadASN1Integer(ss) {
		return nil, errors.New("chiptest: bad ECDSA signature encoding")
	}
	size := (n.BitLen() + 7) / 8
	out := make([]byte, 2*size)
	r.FillBytes(out[:size])
	ss.FillBytes(out[size:])
	return out, nil
}

// hashIDs are the ISO/IEC 10118 hash identifiers of a 9796-2 trailer.
var hashIDs = map[crypto.Hash]byte{crypto.SHA1: 0x33, crypto.SHA256: 0x34, crypto.SHA512: 0x35, crypto.SHA384: 0x36, crypto.SHA224: 0x38}

// sign9796 is ISO/IEC 9796-2 scheme 1 with partial message recovery:
// (6A || M1 || H(M1 || challenge) || trailer)^d mod n. SHA-1 uses the
// one-byte trailer BC, other hashes their identifier followed by CC.
func sign9796(priv *rsa.PrivateKey, h crypto.Hash, m1, challenge []byte) ([]byte, error) {
	size := (priv.N.BitLen() + 7) / 8
	trailer := []byte{hashIDs[h], 0xCC}
	if h == crypto.SHA1 {
		trailer = []byte{0xBC}
	}
	if len(m1) != size-1-h.Size()-len(trailer) || priv.N.BitLen()%8 != 0 {
		return nil, errors.New("chiptest: M1 length does not fit the key")
	}
	d := h.New()
	d.Write(m1)
	d.Write(challenge)
	f := bytes.Join([][]byte{{0x6A}, m1, d.Sum(nil), trailer}, nil)
	sig := new(big.Int).Exp(new(big.Int).SetBytes(f), priv.D, priv.N)
	return sig.FillBytes(make([]byte, size)), nil
}

// DefaultHolder returns the synthetic holder the tour and tests use: a
// fictitious person with a valid CCCD number (Hà Nội, born 1990).
func DefaultHolder() chip.Holder {
	n, err := cccd.Parse("001090012345")
	if err != nil {
		panic("chiptest: default number invalid: " + err.Error()) // a constant: cannot happen
	}
	return chip.Holder{
		Number:           n,
		Name:             "Nguyễn Văn Thử",
		BirthDate:        time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC),
		Sex:              cccd.Male,
		ExpiryDate:       time.Date(2030, 5, 17, 0, 0, 0, 0, time.UTC),
		IssueDate:        time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC),
		Nationality:      "Việt Nam",
		Ethnicity:        "Kinh",
		Religion:         "Không",
		PlaceOfOrigin:    "Xã Thử Nghiệm, Huyện Mẫu, Hà Nội",
		PlaceOfResidence: "Số 1 Phố Ví Dụ, Phường Mẫu, Quận Thử, Hà Nội",
		IdentifyingMarks: "Nốt ruồi cách 2 cm dưới đuôi mắt trái",
		FatherName:       "Nguyễn Văn Cha",
		MotherName:       "Trần Thị Mẹ",
	}
}

// String lists the files and their sizes, never their content: a card
// holds personal data (even synthetic cards are printed this way).
func (c *Card) String() string {
	names := slices.Sorted(maps.Keys(c.Files))
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s:%dB", n, len(c.Files[n])))
	}
	return "chiptest.Card{" + strings.Join(parts, " ") + ", content masked}"
}

// GoString is String, for %#v.
func (c *Card) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Card) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// LogValue logs the file names and sizes only.
func (c *Card) LogValue() slog.Value { return slog.StringValue(c.String()) }
