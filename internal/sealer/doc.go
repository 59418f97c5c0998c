// Package sealer encrypts secrets at rest (client secrets, signing keys,
// SecureString parameters) with AES-256-GCM under one master key.
//
// A sealed value is: version byte (1) || 12-byte random nonce || ciphertext
// with its 16-byte GCM tag. The additional data binds a sealed value to the
// record it belongs to (for example "client:<id>"), so a sealed value copied
// into another row does not open.
//
// sealer is a leaf: it imports nothing from Cognate.
package sealer
