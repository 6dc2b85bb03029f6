// Package chiptest is a throwaway card issuer for tests, demos and
// integrators: it creates a Country Signing CA (CSCA) and a Document
// Signer (DS), builds a card's data groups from holder data with
// chip.BuildDataGroups, signs the EF.SOD with chip.BuildSOD, and answers
// active-authentication challenges. It also makes the defective variants
// a verifier must reject: an expired DS, a revoked DS (with the CSCA's
// CRL) and cards signed by an untrusted issuer.
//
// A SoftCard (NewSoftCard) is the chip of an issued card answering
// command APDUs in process, as chip/reader's tests and `cancuoc chip read
// -emulate` use it: EF.CardAccess (PACE, by default the CCCD's
// PACE-ECDH-GM-AES-128 on brainpoolP256r1 with the CAN), BAC, secure
// messaging, chip authentication with the key DG14 announces, active
// authentication, SFI/FID/B1 reads, short and extended length, and quirk
// options (SELECT MF refused with 6D00 by default, a maximum Le, no
// extended length, the wrong-password status, removal after N APDUs).
// WriteCard and LoadCard store a card with its private keys, marked as
// test material, in a folder.
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
