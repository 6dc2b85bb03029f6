// Package cms parses the parts of CMS SignedData (RFC 5652) and X.509
// certificates (RFC 5280) that ICAO 9303 passive authentication needs, and
// verifies their signatures, without depending on crypto/x509 accepting the
// file.
//
// Real issuers produce certificates and SODs that crypto/x509 refuses:
// explicit EC domain parameters, negative serial numbers, RSA keys without
// NULL parameters, RSASSA-PSS, ecdsa-with-SHA* identifiers carrying NULL,
// BER indefinite lengths. This package reads them with
// golang.org/x/crypto/cryptobyte after converting BER lengths to DER
// lengths ([Normalize]), keeps the raw TBS and attribute bytes for hashing,
// maps explicit curves to the named NIST and brainpool curves, and verifies
// RSA PKCS#1 v1.5, RSA-PSS and ECDSA (NIST and brainpool) signatures.
//
// # Security
//
// Every length is bounded by the bytes that remain and nesting is capped at
// [MaxDepth]; no function panics on malformed input. Parsing a certificate
// says nothing about its trust: callers verify signatures, validity and
// revocation themselves. Explicit EC parameters are accepted only when they
// equal a known named curve exactly (including the base point and order);
// any other curve is reported as unsupported.
package cms
