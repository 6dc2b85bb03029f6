// Package chiptest is a throwaway card issuer for tests, demos and
// integrators: it creates a Country Signing CA (CSCA) and a Document
// Signer (DS), builds a card's data groups from holder data with
// chip.BuildDataGroups, signs the EF.SOD with chip.BuildSOD, and answers
// active-authentication challenges. It also makes the defective variants
// a verifier must reject: an expired DS, a revoked DS (with the CSCA's
// CRL) and cards signed by an untrusted issuer.
//
// ServeVPCD attaches a VirtualCard (a SoftCard) to the vsmartcard virtual
// reader of pcscd, so that any PC/SC application, chip/reader/pcsc among
// them, reads it as a card in a reader.
//
// Keys are ECDSA P-256 with SHA-256 by default; RSA and brainpool keys
// are options, and any crypto.Signer (an HSM) can replace the generated
// keys. With a seed, EC keys, certificates' contents and data groups are
// deterministic; ECDSA signatures are not (Go 1.26 crypto/ecdsa always
// draws fresh randomness; tests that need fixed bytes use
// testing/cryptotest.SetGlobalRandom).
//
// # Security
//
// Everything here is for testing. Keys derived from a seed are as secret
// as the seed, brainpool signing is not constant-time, and the default
// validity dates are fixed. Never use an Issuer to sign real documents.
package chiptest
