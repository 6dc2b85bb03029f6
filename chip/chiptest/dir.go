package chiptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/bounded"
	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/kex"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Key files WriteCard writes next to the chip files. They hold the chip's
// private keys so a software card can be rebuilt from the folder; they are
// test material and say so in their PEM headers.
const (
	AAKeyFile = "aa-key.pem" // active-authentication private key
	CAKeyFile = "ca-key.pem" // chip-authentication private key
)

const (
	keyPEMType = "CHIPTEST PRIVATE KEY"
	keyWarning = "test material for chiptest software cards, never a real chip's key"
)

// cardFileNames are the chip files a folder may hold.
func cardFileNames() []string {
	names := []string{chip.FileCardAccess, chip.FileCOM, chip.FileSOD}
	for i := 1; i <= 16; i++ {
		names = append(names, "DG"+strconv.Itoa(i))
	}
	return names
}

// WriteCard writes the card's chip files (raw bytes, named EF.CardAccess,
// EF.COM, EF.SOD, DG1...) and its private keys (AAKeyFile, CAKeyFile,
// PEM blocks of type "CHIPTEST PRIVATE KEY" marked as test material) into
// dir, which must exist. It returns the names written.
func WriteCard(dir string, c *Card) ([]string, error) {
	var names []string
	for _, n := range cardFileNames() {
		b, ok := c.Files[n]
		if !ok {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			return names, err
		}
		names = append(names, n)
	}
	for _, k := range []struct {
		name string
		key  crypto.PrivateKey
	}{{AAKeyFile, c.AAKey}, {CAKeyFile, c.CAKey}} {
		if k.key == nil {
			continue
		}
		b, err := encodeKey(k.key)
		if err != nil {
			return names, err
		}
		// A key file is created afresh, so that it is 0600 even where an
		// older, looser file was.
		path := filepath.Join(dir, k.name)
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return names, err
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return names, err
		}
		names = append(names, k.name)
	}
	return names, nil
}

// LoadCard reads a card that WriteCard (or `cancuoc chip issue -out DIR`)
// wrote: every chip file present, and the key files when present. Use
// NewSoftCard to serve it.
func LoadCard(dir string) (*Card, error) {
	c := &Card{Files: chip.Files{}}
	for _, n := range cardFileNames() {
		b, err := bounded.ReadFile(filepath.Join(dir, n), bounded.ChipFile)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		c.Files[n] = b
	}
	if _, ok := c.Files[chip.FileCOM]; !ok {
		return nil, fmt.Errorf("chiptest: %s has no EF.COM", dir)
	}
	for _, name := range []string{AAKeyFile, CAKeyFile} {
		b, err := bounded.ReadFile(filepath.Join(dir, name), bounded.KeyFile)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		k, err := decodeKey(b)
		if err != nil {
			return nil, fmt.Errorf("chiptest: %s: %w", name, err)
		}
		if name == CAKeyFile {
			c.CAKey = k
			continue
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("chiptest: %s: not a signing key", name)
		}
		c.AAKey = s
	}
	return c, nil
}

// encodeKey writes RSA keys as PKCS #1 and EC keys as their raw scalar,
// with the key type in a header.
func encodeKey(k crypto.PrivateKey) ([]byte, error) {
	blk := &pem.Block{Type: keyPEMType, Headers: map[string]string{"Warning": keyWarning}}
	switch k := k.(type) {
	case *DHPrivateKey:
		blk.Headers["Key-Type"] = "DH"
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, v := range []*big.Int{k.P, k.G, k.Q, k.X} {
				b.AddASN1BigInt(v)
			}
		})
		der, err := b.Bytes()
		if err != nil {
			return nil, err
		}
		blk.Bytes = der
	case *rsa.PrivateKey:
		blk.Headers["Key-Type"] = "RSA"
		blk.Bytes = x509.MarshalPKCS1PrivateKey(k)
	case *ecdsa.PrivateKey:
		blk.Headers["Key-Type"] = k.Curve.Params().Name
		b, err := k.Bytes()
		if err != nil {
			return nil, err
		}
		blk.Bytes = b
	case *brainpool.PrivateKey:
		blk.Headers["Key-Type"] = k.Curve.Name
		blk.Bytes = k.D.FillBytes(make([]byte, (k.Curve.N.BitLen()+7)/8))
	default:
		return nil, fmt.Errorf("chiptest: cannot store a %T", k)
	}
	return pem.EncodeToMemory(blk), nil
}

func decodeKey(b []byte) (crypto.PrivateKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != keyPEMType {
		return nil, errors.New("not a " + keyPEMType + " PEM block")
	}
	kt := blk.Headers["Key-Type"]
	switch kt {
	case "DH":
		s := cryptobyte.String(blk.Bytes)
		var seq cryptobyte.String
		k := &DHPrivateKey{P: new(big.Int), G: new(big.Int), Q: new(big.Int), X: new(big.Int)}
		if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() || !seq.ReadASN1Integer(k.P) || !seq.ReadASN1Integer(k.G) ||
			!seq.ReadASN1Integer(k.Q) || !seq.ReadASN1Integer(k.X) || !seq.Empty() {
			return nil, errors.New("malformed DH key")
		}
		if _, err := kex.NewDH(k.P, k.G, k.Q); err != nil || k.X.Sign() <= 0 || k.X.Cmp(k.Q) >= 0 {
			return nil, errors.New("DH key outside its group")
		}
		k.Y = new(big.Int).Exp(k.G, k.X, k.P)
		return k, nil
	case "RSA":
		return x509.ParsePKCS1PrivateKey(blk.Bytes)
	case "P-256", "P-384", "P-521":
		c := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[kt]
		return ecdsa.ParseRawPrivateKey(c, blk.Bytes)
	}
	c := brainpool.CurveByName(kt)
	if c == nil {
		return nil, fmt.Errorf("unknown Key-Type %q", kt)
	}
	d := new(big.Int).SetBytes(blk.Bytes)
	if d.Sign() == 0 || d.Cmp(c.N) >= 0 || len(blk.Bytes) != (c.N.BitLen()+7)/8 {
		return nil, errors.New("brainpool scalar out of range")
	}
	pub, err := c.ScalarBaseMult(blk.Bytes)
	if err != nil {
		return nil, err
	}
	pk, err := brainpool.ParsePublicKey(c, pub)
	if err != nil {
		return nil, err
	}
	return &brainpool.PrivateKey{PublicKey: *pk, D: d}, nil
}
