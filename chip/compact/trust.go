package compact

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cancuoc/sdk/internal/ed25519z"
)

// KeyID returns the default kid of an issuer key: the first 8 bytes of
// SHA-256 over the 32-byte public key.
func KeyID(pub ed25519.PublicKey) []byte {
	d := sha256.Sum256(pub)
	return d[:8]
}

// TrustStore holds the issuer keys a verifier accepts, by kid, and the
// certificates that anchor x5chain objects. The zero value is an empty
// store, ready for AddKey; NewTrustStore(keys...) is the same as adding
// each key to a zero store under its KeyID (the shape of chip.TrustStore
// and chip.NewTrustStore). Add keys before sharing the store between
// goroutines; lookups are then safe for concurrent use.
type TrustStore struct {
	keys  map[string]ed25519.PublicKey
	roots []*x509.Certificate
}

// NewTrustStore returns a store trusting each of keys under its KeyID: a
// zero TrustStore to which AddKey(nil, key) was applied for each. It fails
// with the first key AddKey refuses (ErrUntrustedKey).
func NewTrustStore(keys ...ed25519.PublicKey) (*TrustStore, error) {
	s := &TrustStore{}
	for i, k := range keys {
		if err := s.AddKey(nil, k); err != nil {
			return nil, fmt.Errorf("key %d: %w", i, err)
		}
	}
	return s, nil
}

// AddKey trusts pub under kid (nil kid: KeyID(pub)). It refuses keys that
// are not canonical encodings of points of prime order (ZIP-215 accepts
// such keys in the equation; an issuer must not have one), and a kid
// already bound to a different key.
func (s *TrustStore) AddKey(kid []byte, pub ed25519.PublicKey) error {
	if err := ed25519z.CheckPublicKey(pub); err != nil {
		return fmt.Errorf("%w: %w", ErrUntrustedKey, err)
	}
	if kid == nil {
		kid = KeyID(pub)
	}
	if len(kid) == 0 {
		return fmt.Errorf("%w: empty kid", ErrUntrustedKey)
	}
	if s.keys == nil {
		s.keys = map[string]ed25519.PublicKey{}
	}
	if old, ok := s.keys[string(kid)]; ok && !old.Equal(pub) {
		return fmt.Errorf("%w: kid already names another key", ErrUntrustedKey)
	}
	s.keys[string(kid)] = append(ed25519.PublicKey(nil), pub...)
	return nil
}

// AddCertificate trusts cert as an anchor for objects that carry an
// x5chain: the chain's leaf must be cert itself or chain to it, and hold an
// acceptable Ed25519 key.
func (s *TrustStore) AddCertificate(cert *x509.Certificate) error {
	if cert == nil {
		return fmt.Errorf("%w: nil certificate", ErrUntrustedKey)
	}
	s.roots = append(s.roots, cert)
	return nil
}

// Len returns the number of trusted keys and certificates.
func (s *TrustStore) Len() int {
	if s == nil {
		return 0
	}
	return len(s.keys) + len(s.roots)
}

// lookup resolves the issuer key of a message. With an x5chain the leaf
// must chain to a trusted certificate at now, and a kid, if also present,
// must be KeyID of the leaf key; otherwise the kid must name a trusted key.
func (s *TrustStore) lookup(kid []byte, chain [][]byte, now time.Time) (ed25519.PublicKey, error) {
	if s == nil {
		return nil, fail(ErrNoTrust, errors.New("VerifyOptions.Trust is nil"))
	}
	if len(chain) > 0 {
		pub, err := s.verifyChain(chain, now)
		if err != nil {
			return nil, err
		}
		if kid != nil && string(kid) != string(KeyID(pub)) {
			return nil, fail(ErrUnknownKey, errors.New("kid does not match the x5chain key"))
		}
		return pub, nil
	}
	if kid == nil {
		return nil, fail(ErrUnknownKey, errors.New("object has neither kid nor x5chain"))
	}
	pub, ok := s.keys[string(kid)]
	if !ok {
		return nil, fail(ErrUnknownKey, nil)
	}
	return pub, nil
}

func (s *TrustStore) verifyChain(chain [][]byte, now time.Time) (ed25519.PublicKey, error) {
	certs := make([]*x509.Certificate, len(chain))
	for i, der := range chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fail(ErrUntrustedKey, err)
		}
		certs[i] = c
	}
	leaf := certs[0]
	roots := x509.NewCertPool()
	for _, r := range s.roots {
		roots.AddCert(r)
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, fail(ErrUntrustedKey, err)
	}
	// Every certificate sent must be on the verified path, in order
	// (RFC 9360 section 2): an unused extra certificate is not ignored.
	if !slices.ContainsFunc(chains, func(path []*x509.Certificate) bool {
		if len(path) < len(certs) {
			return false
		}
		for i, c := range certs {
			if !path[i].Equal(c) {
				return false
			}
		}
		return true
	}) {
		return nil, fail(ErrUntrustedKey, errors.New("x5chain is not the verified path"))
	}
	pub, ok := leaf.PublicKey.(ed25519.PublicKey)
	if !ok {
		return nil, fail(ErrAlgorithm, errors.New("x5chain leaf key is not Ed25519"))
	}
	if err := ed25519z.CheckPublicKey(pub); err != nil {
		return nil, fail(ErrUntrustedKey, err)
	}
	return pub, nil
}
