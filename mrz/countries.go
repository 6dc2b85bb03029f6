package mrz

// Country codes accepted in the issuing state and nationality fields.
//
// Sources: ISO 3166-1 alpha-3, the 249 officially assigned codes (ISO 3166
// Maintenance Agency, online browsing platform, checked against the list in
// npm mrz v5 src/generated/states); ICAO Doc 9303-3 (8th ed.), section 5,
// for the codes that are not ISO 3166-1 country codes: "D<<" (Germany),
// UTO (Utopia, specimens), the British nationality classes GBD, GBN, GBO,
// GBP, GBS, RKS (Kosovo), the organisations EUE, UNO, UNA, UNK, XBA, XIM,
// XCC, XCE, XCO, XEC, XPO, XES, XOM, XMP, XDC and the nationality statuses
// XXA (stateless), XXB, XXC (refugees) and XXX (unspecified).
// Withdrawn codes (ANT, NTZ) are not accepted.

// countryCodes holds every accepted code, 3 characters each, in byte order
// (TestCountryTable checks the order, which keeps duplicates out).
const countryCodes = "" +
	"ABWAFGAGOAIAALAALBANDAREARGARMASMATAATFATGAUSAUT" +
	"AZEBDIBELBENBESBFABGDBGRBHRBHSBIHBLMBLRBLZBMUBOL" +
	"BRABRBBRNBTNBVTBWACAFCANCCKCHECHLCHNCIVCMRCODCOG" +
	"COKCOLCOMCPVCRICUBCUWCXRCYMCYPCZED<<DEUDJIDMADNK" +
	"DOMDZAECUEGYERIESHESPESTETHEUEFINFJIFLKFRAFROFSM" +
	"GABGBDGBNGBOGBPGBRGBSGEOGGYGHAGIBGINGLPGMBGNBGNQ" +
	"GRCGRDGRLGTMGUFGUMGUYHKGHMDHNDHRVHTIHUNIDNIMNIND" +
	"IOTIRLIRNIRQISLISRITAJAMJEYJORJPNKAZKENKGZKHMKIR" +
	"KNAKORKWTLAOLBNLBRLBYLCALIELKALSOLTULUXLVAMACMAF" +
	"MARMCOMDAMDGMDVMEXMHLMKDMLIMLTMMRMNEMNGMNPMOZMRT" +
	"MSRMTQMUSMWIMYSMYTNAMNCLNERNFKNGANICNIUNLDNORNPL" +
	"NRUNZLOMNPAKPANPCNPERPHLPLWPNGPOLPRIPRKPRTPRYPSE" +
	"PYFQATREURKSROURUSRWASAUSDNSENSGPSGSSHNSJMSLBSLE" +
	"SLVSMRSOMSPMSRBSSDSTPSURSVKSVNSWESWZSXMSYCSYRTCA" +
	"TCDTGOTHATJKTKLTKMTLSTONTTOTUNTURTUVTWNTZAUGAUKR" +
	"UMIUNAUNKUNOURYUSAUTOUZBVATVCTVENVGBVIRVNMVUTWLF" +
	"WSMXBAXCCXCEXCOXDCXECXESXIMXMPXOMXPOXXAXXBXXCXXX" +
	"YEMZAFZMBZWE"

// icaoCodes is the part of countryCodes that is not ISO 3166-1, kept apart
// for the test that counts the ISO codes.
const icaoCodes = "D<<UTOGBDGBNGBOGBPGBSRKSEUEUNOUNAUNKXBAXIMXCCXCEXCOXECXPOXESXOMXMPXDCXXAXXBXXCXXX"

// countrySet has one bit per 3-character code over the 27 symbols A-Z and
// "<", set for the codes of countryCodes. It is filled once and never
// written again; TestCountryTable checks it against the list.
var countrySet = func() (set [27*27*27/64 + 1]uint64) {
	for i := 0; i+3 <= len(countryCodes); i += 3 {
		k, _ := countryKey(countryCodes[i : i+3])
		set[k/64] |= 1 << (k % 64)
	}
	return set
}()

// countryKey numbers a 3-character code of A-Z and "<"; ok is false for
// other input.
func countryKey(c string) (k int, ok bool) {
	if len(c) != 3 {
		return 0, false
	}
	for i := 0; i < 3; i++ {
		var d int
		switch x := c[i]; {
		case x >= 'A' && x <= 'Z':
			d = int(x - 'A')
		case x == '<':
			d = 26
		default:
			return 0, false
		}
		k = k*27 + d
	}
	return k, true
}

// knownCountry reports whether the 3-character code c is in countryCodes.
func knownCountry(c string) bool {
	k, ok := countryKey(c)
	return ok && countrySet[k/64]&(1<<(k%64)) != 0
}
