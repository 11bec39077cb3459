// Package crypto holds the cryptography of tickets, and nothing else: no I/O, no storage,
// only the standard library, so every other package may use it.
//
// # How a ticket's secrets flow
//
// On reservation the issuer calls [NewSecret] for a 15-character secret over the URL-safe
// [SecretAlphabet] (90 bits from crypto/rand), [NewKey] and [NewIV] for a fresh AES-256 key
// and CBC IV, and [Encrypt] to store the secret as an AES-256-CBC ciphertext with PKCS#7
// padding, as Ticketbooth rc2 did. The ledger also stores [SecretDigest] (SHA3-224, as
// Ticketbooth v1.0 did). Under the identity policy the purchaser's name is encrypted the
// same way under its own key and IV, and [NameDigest] (HMAC-SHA256 keyed by the name key)
// is stored beside it. Keys and IVs go to the customer once, inside the QR code, as hex
// ([EncodeHex]); the ledger never keeps them.
//
// At the gate the scanner reads the hex back with [DecodeHex], and accepts a secret only
// when its digest matches the stored one, compared with [Equal] in constant time. A
// ciphertext alone proves nothing, because with CBC anyone can choose a key and IV that
// decrypt a one-block ciphertext to any secret; [Decrypt] is still needed to show the name,
// which is shown only when its keyed digest matches too.
//
// API keys of organizers, box offices and scanners are made by [NewAPIKey] and stored as
// [HashAPIKey]; they are high-entropy, so a fast hash is the right one.
//
// # Errors
//
// Functions that can fail return an error wrapping one of the sentinel errors [ErrKeySize],
// [ErrIVSize], [ErrCiphertext], [ErrPadding], [ErrHex] or [ErrRandom], so callers test them
// with errors.Is; the message adds the detail (the size received, the bad character and
// where it is). Bad input yields an error, never a panic.
package crypto
