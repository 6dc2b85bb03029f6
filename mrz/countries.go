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
// so knownCountry can search it; TestCountryTable checks the order.
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

// knownCountry reports whether the 3-character code c is in countryCodes.
func knownCountry(c string) bool {
	if len(c) != 3 {
		return false
	}
	lo, hi := 0, len(countryCodes)/3
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if countryCodes[3*m:3*m+3] < c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(countryCodes)/3 && countryCodes[3*lo:3*lo+3] == c
}
