package token

import "slices"

// SignPayload returns payload followed by its MAC for purpose p, spelled as a
// Signer spells tokens. Tests use it to show that the decoder, and not only
// the MAC, refuses what a Signer never makes.
func (s *Signer) SignPayload(p Purpose, payload []byte) string {
	return encoding().EncodeToString(slices.Concat(payload, mac(s.key(p), payload)))
}

// Reseal returns payload followed by the MAC of token: what someone without
// the key makes by editing a token.
func Reseal(token string, payload []byte) string {
	raw, err := encoding().DecodeString(token)
	if err != nil || len(raw) < macLen {
		panic("Reseal: not a token: " + token)
	}
	return encoding().EncodeToString(slices.Concat(payload, raw[len(raw)-macLen:]))
}
