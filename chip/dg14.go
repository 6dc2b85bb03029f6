package chip

import (
	"encoding/asn1"
	"errors"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/sdk/internal/tlv"
)

// Protocol identifiers of SecurityInfos (ICAO 9303-11 section 9.2, BSI
// TR-03110-3 appendix A.1).
var (
	oidAA   = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 5}
	oidBSI  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2} // bsi-de protocols smartcards
	oidPK   = append(oidBSI[:8:8], 1)                         // id-PK
	oidTA   = append(oidBSI[:8:8], 2)                         // id-TA
	oidCA   = append(oidBSI[:8:8], 3)                         // id-CA
	oidPACE = append(oidBSI[:8:8], 4)                         // id-PACE
)

// SecurityInfoKind says which SecurityInfo a protocol identifier names.
type SecurityInfoKind int

// The SecurityInfo kinds DG14 decodes; others are KindUnknown, kept raw.
const (
	KindUnknown                           SecurityInfoKind = iota
	KindActiveAuthentication                               // ActiveAuthenticationInfo, id-AA
	KindChipAuthentication                                 // ChipAuthenticationInfo, id-CA-*-*
	KindChipAuthenticationPublicKey                        // ChipAuthenticationPublicKeyInfo, id-PK-DH or id-PK-ECDH
	KindChipAuthenticationDomainParameter                  // ChipAuthenticationDomainParameterInfo, id-CA-DH or id-CA-ECDH
	KindTerminalAuthentication                             // TerminalAuthenticationInfo, id-TA
	KindPACE                                               // PACEInfo, id-PACE-*-*
	KindPACEDomainParameter                                // PACEDomainParameterInfo, id-PACE-*
)

var kindNames = [...]string{"unknown", "ActiveAuthenticationInfo", "ChipAuthenticationInfo",
	"ChipAuthenticationPublicKeyInfo", "ChipAuthenticationDomainParameterInfo",
	"TerminalAuthenticationInfo", "PACEInfo", "PACEDomainParameterInfo"}

// String returns the ASN.1 type name of the kind.
func (k SecurityInfoKind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// kindOf classifies a protocol identifier.
func kindOf(oid asn1.ObjectIdentifier) SecurityInfoKind {
	under := func(prefix asn1.ObjectIdentifier, extra int) bool {
		return len(oid) == len(prefix)+extra && oid[:len(prefix)].Equal(prefix)
	}
	switch {
	case oid.Equal(oidAA):
		return KindActiveAuthentication
	case under(oidPK, 1) && (oid[9] == 1 || oid[9] == 2):
		return KindChipAuthenticationPublicKey
	case under(oidCA, 2):
		return KindChipAuthentication
	case under(oidCA, 1):
		return KindChipAuthenticationDomainParameter
	case oid.Equal(oidTA):
		return KindTerminalAuthentication
	case under(oidPACE, 2):
		return KindPACE
	case under(oidPACE, 1):
		return KindPACEDomainParameter
	}
	return KindUnknown
}

// DG14 is data group 14 (ICAO 9303-10 section 4.7.14): the chip's
// SecurityInfos.
type DG14 struct {
	Infos []SecurityInfo
	Raw   []byte // the file as received
}

// SecurityInfo is one SecurityInfo { protocol, requiredData, optionalData }.
// The fields its Kind does not use are zero.
type SecurityInfo struct {
	Protocol asn1.ObjectIdentifier
	Kind     SecurityInfoKind
	// Raw is the SecurityInfo as received; Encode writes it when set.
	Raw []byte
	// Version of ActiveAuthenticationInfo, ChipAuthenticationInfo,
	// TerminalAuthenticationInfo and PACEInfo.
	Version int
	// SignatureAlgorithm of ActiveAuthenticationInfo (ecdsa-with-SHA*).
	SignatureAlgorithm asn1.ObjectIdentifier
	// KeyID of ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo and
	// the domain parameter infos; nil when absent.
	KeyID *big.Int
	// ParameterID of PACEInfo; -1 when absent.
	ParameterID int
	// PublicKey of ChipAuthenticationPublicKeyInfo (ECDH or DH).
	PublicKey *PublicKeyInfo
	// DomainParameters is the AlgorithmIdentifier of a domain parameter
	// info, as received.
	DomainParameters []byte
	// Err says why a SecurityInfo of a known kind could not be decoded; it
	// is kept in Raw. A *ParseError.
	Err error
}

// ParseDG14 decodes DG14: 6E { SET OF SecurityInfo }. A SecurityInfo with
// an unknown protocol is kept raw, one that does not decode is kept with
// Err set; only a malformed TLV structure is an error.
func ParseDG14(b []byte) (*DG14, error) {
	const file = "DG14"
	s, err := unwrapFile(file, dataGroupTags[14], b)
	if err != nil {
		return nil, err
	}
	infos, err := parseSecurityInfos(file, b, s)
	if err != nil {
		return nil, err
	}
	return &DG14{Infos: infos, Raw: b}, nil
}

// parseSecurityInfos decodes SecurityInfos (SET OF SecurityInfo, ICAO
// 9303-11 section 9.2), the whole of s, which lies inside the file b named
// file (offsets in errors count from b's start).
func parseSecurityInfos(file string, b []byte, s tlv.String) ([]SecurityInfo, error) {
	var set tlv.String
	if at := s; !s.ReadTLV(0x31, &set) {
		return nil, elementError(file, "SecurityInfos", b, at)
	}
	if !s.Empty() {
		return nil, &ParseError{File: file, Offset: offsetIn(b, s), Err: ErrTrailingData}
	}
	var infos []SecurityInfo
	for !set.Empty() {
		at := set
		var elem tlv.String
		if !set.ReadElement(0x30, &elem) {
			return nil, elementError(file, "SecurityInfo", b, at)
		}
		infos = append(infos, parseSecurityInfo(file, b, elem))
	}
	return infos, nil
}

// parseSecurityInfo decodes one SecurityInfo element (DER). One that is
// not DER or has no protocol identifier is kept with Kind KindUnknown and
// Err set; one of a known kind whose fields do not decode keeps its Kind,
// with Err set. elem lies inside the file b named name.
func parseSecurityInfo(name string, b, elem []byte) SecurityInfo {
	si := SecurityInfo{Raw: elem, ParameterID: -1}
	s := cryptobyte.String(elem)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1ObjectIdentifier(&si.Protocol) {
		si.Protocol = nil
		si.Err = &ParseError{File: name, Field: "SecurityInfo", Offset: offsetIn(b, elem), Err: ErrMalformed}
		return si
	}
	si.Kind = kindOf(si.Protocol)
	if si.Kind == KindUnknown {
		return si
	}
	if !si.decode(name, b, seq) {
		si.Err = &ParseError{File: name, Field: si.Kind.String(), Offset: offsetIn(b, elem), Err: ErrMalformed}
		si.Version, si.SignatureAlgorithm, si.KeyID, si.ParameterID, si.PublicKey, si.DomainParameters = 0, nil, nil, -1, nil, nil
	}
	return si
}

func (si *SecurityInfo) decode(name string, file []byte, s cryptobyte.String) bool {
	readVersion := func() bool {
		var v int64
		if !s.ReadASN1Int64WithTag(&v, cbasn1.INTEGER) || v < 0 || v > 1<<16 {
			return false
		}
		si.Version = int(v)
		return true
	}
	readKeyID := func() bool {
		if !s.PeekASN1Tag(cbasn1.INTEGER) {
			return true
		}
		si.KeyID = new(big.Int)
		return s.ReadASN1Integer(si.KeyID)
	}
	switch si.Kind {
	case KindActiveAuthentication:
		// ActiveAuthenticationInfo ::= SEQUENCE { protocol, version, signatureAlgorithm }
		var alg asn1.ObjectIdentifier
		if !readVersion() || !s.ReadASN1ObjectIdentifier(&alg) {
			return false
		}
		si.SignatureAlgorithm = alg
	case KindChipAuthentication:
		// ChipAuthenticationInfo ::= SEQUENCE { protocol, version, keyId INTEGER OPTIONAL }
		if !readVersion() || !readKeyID() {
			return false
		}
	case KindChipAuthenticationPublicKey:
		// ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol,
		//   chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }
		var spki cryptobyte.String
		if !s.ReadASN1Element(&spki, cbasn1.SEQUENCE) {
			return false
		}
		k, err := parsePublicKeyInfo(name, file, spki)
		if err != nil || !readKeyID() {
			return false
		}
		si.PublicKey = k
	case KindChipAuthenticationDomainParameter, KindPACEDomainParameter:
		// { protocol, domainParameter AlgorithmIdentifier, parameterId/keyId INTEGER OPTIONAL }
		var alg cryptobyte.String
		if !s.ReadASN1Element(&alg, cbasn1.SEQUENCE) || !readKeyID() {
			return false
		}
		si.DomainParameters = alg
	case KindTerminalAuthentication:
		// TerminalAuthenticationInfo ::= SEQUENCE { protocol, version, efCVCA FileID OPTIONAL }
		if !readVersion() {
			return false
		}
		var fid cryptobyte.String
		if !s.Empty() && !s.ReadASN1Element(&fid, cbasn1.SEQUENCE) {
			return false
		}
	case KindPACE:
		// PACEInfo ::= SEQUENCE { protocol, version, parameterId INTEGER OPTIONAL }
		if !readVersion() {
			return false
		}
		if s.PeekASN1Tag(cbasn1.INTEGER) {
			var p int64
			if !s.ReadASN1Int64WithTag(&p, cbasn1.INTEGER) || p < 0 || p > 1<<16 {
				return false
			}
			si.ParameterID = int(p)
		}
	}
	return s.Empty()
}

// ActiveAuthenticationInfo returns the first ActiveAuthenticationInfo.
func (d *DG14) ActiveAuthenticationInfo() (SecurityInfo, bool) {
	for _, si := range d.Infos {
		if si.Kind == KindActiveAuthentication && si.Err == nil {
			return si, true
		}
	}
	return SecurityInfo{}, false
}

// NewActiveAuthenticationInfo returns an ActiveAuthenticationInfo (version
// 1) naming the ECDSA signature algorithm of active authentication, such
// as ecdsa-with-SHA256 (1.2.840.10045.4.3.2).
func NewActiveAuthenticationInfo(signatureAlgorithm asn1.ObjectIdentifier) SecurityInfo {
	return SecurityInfo{Protocol: oidAA, Kind: KindActiveAuthentication, Version: 1,
		SignatureAlgorithm: signatureAlgorithm, ParameterID: -1}
}

// encode returns si.Raw, or builds ActiveAuthenticationInfo,
// ChipAuthenticationInfo, TerminalAuthenticationInfo and PACEInfo from
// their fields.
func (si *SecurityInfo) encode() ([]byte, error) {
	if len(si.Raw) > 0 {
		return si.Raw, nil
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(si.Protocol)
		switch si.Kind {
		case KindActiveAuthentication:
			b.AddASN1Int64(int64(si.Version))
			b.AddASN1ObjectIdentifier(si.SignatureAlgorithm)
		case KindChipAuthentication:
			b.AddASN1Int64(int64(si.Version))
			if si.KeyID != nil {
				b.AddASN1BigInt(si.KeyID)
			}
		case KindTerminalAuthentication:
			b.AddASN1Int64(int64(si.Version))
		case KindPACE:
			b.AddASN1Int64(int64(si.Version))
			if si.ParameterID >= 0 {
				b.AddASN1Int64(int64(si.ParameterID))
			}
		default:
			b.SetError(errors.New("no raw bytes"))
		}
	})
	out, err := b.Bytes()
	if err != nil || kindOf(si.Protocol) != si.Kind {
		return nil, &ParseError{File: "DG14", Field: si.Kind.String(), Offset: -1, Err: ErrMalformed}
	}
	return out, nil
}

// DataGroupNumber returns 14.
func (d *DG14) DataGroupNumber() int { return 14 }

// Encode returns DG14 with d.Infos in order (Raw when set, else built
// from the fields).
func (d *DG14) Encode() ([]byte, error) {
	infos := make([][]byte, len(d.Infos))
	for i := range d.Infos {
		var err error
		if infos[i], err = d.Infos[i].encode(); err != nil {
			return nil, err
		}
	}
	var b tlv.Builder
	b.AddConstructed(dataGroupTags[14], func(b *tlv.Builder) {
		b.AddConstructed(0x31, func(b *tlv.Builder) {
			for _, in := range infos {
				b.AddRaw(in)
			}
		})
	})
	return b.Bytes()
}
