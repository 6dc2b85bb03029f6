package apdu

import "fmt"

// Status words an eMRTD reader meets (ISO/IEC 7816-4 section 5.6,
// ICAO 9303-11 sections 4 and 9.8).
const (
	SWOK                     uint16 = 0x9000 // normal processing
	SWEndOfFile              uint16 = 0x6282 // end of file reached before Ne bytes
	SWVerificationFailed     uint16 = 0x6300 // authentication failed (wrong password)
	SWWrongLength            uint16 = 0x6700 // wrong length (Lc or Le)
	SWSecurityNotSatisfied   uint16 = 0x6982 // security status not satisfied
	SWAuthBlocked            uint16 = 0x6983 // authentication method blocked
	SWConditionsNotSatisfied uint16 = 0x6985 // conditions of use not satisfied
	SWCommandNotAllowed      uint16 = 0x6986 // command not allowed (no current EF)
	SWSMObjectsMissing       uint16 = 0x6987 // expected secure-messaging data objects missing
	SWSMObjectsIncorrect     uint16 = 0x6988 // incorrect secure-messaging data objects
	SWWrongData              uint16 = 0x6A80 // incorrect parameters in the data field
	SWFunctionNotSupported   uint16 = 0x6A81 // function not supported
	SWFileNotFound           uint16 = 0x6A82 // file or application not found
	SWWrongP1P2              uint16 = 0x6A86 // incorrect parameters P1-P2
	SWLcInconsistent         uint16 = 0x6A87 // Nc inconsistent with P1-P2
	SWReferenceNotFound      uint16 = 0x6A88 // referenced data not found
	SWWrongOffset            uint16 = 0x6B00 // wrong parameters P1-P2 (offset outside the EF)
	SWINSNotSupported        uint16 = 0x6D00 // instruction code not supported
	SWCLANotSupported        uint16 = 0x6E00 // class not supported
)

// IsWrongLe reports a status word that asks for another Le: 6700 (wrong
// length) or 6Cxx (wrong Le; xx is the exact length), and 6282 when the
// card returned fewer bytes than asked for.
func IsWrongLe(sw uint16) bool { return sw == SWWrongLength || sw>>8 == 0x6C }

// SWString returns the status word as four hex digits with a short meaning.
func SWString(sw uint16) string {
	name := ""
	switch {
	case sw == SWOK:
		name = "ok"
	case sw == SWEndOfFile:
		name = "end of file"
	case sw == SWVerificationFailed, sw>>4 == 0x63C:
		name = "verification failed"
	case sw == SWWrongLength:
		name = "wrong length"
	case sw == SWSecurityNotSatisfied:
		name = "security status not satisfied"
	case sw == SWAuthBlocked:
		name = "authentication blocked"
	case sw == SWConditionsNotSatisfied:
		name = "conditions not satisfied"
	case sw == SWCommandNotAllowed:
		name = "command not allowed"
	case sw == SWSMObjectsMissing:
		name = "secure messaging objects missing"
	case sw == SWSMObjectsIncorrect:
		name = "secure messaging objects incorrect"
	case sw == SWWrongData:
		name = "wrong data"
	case sw == SWFunctionNotSupported:
		name = "function not supported"
	case sw == SWFileNotFound:
		name = "file not found"
	case sw == SWWrongP1P2:
		name = "wrong P1-P2"
	case sw == SWLcInconsistent:
		name = "Lc inconsistent"
	case sw == SWReferenceNotFound:
		name = "reference not found"
	case sw == SWWrongOffset:
		name = "wrong offset"
	case sw>>8 == 0x6C:
		name = "wrong Le"
	case sw == SWINSNotSupported:
		name = "instruction not supported"
	case sw == SWCLANotSupported:
		name = "class not supported"
	}
	if name == "" {
		return fmt.Sprintf("%04X", sw)
	}
	return fmt.Sprintf("%04X (%s)", sw, name)
}
