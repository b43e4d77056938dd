package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"time"
)

// TLS modes of a Server.
const (
	tlsNone = iota
	tlsStart
	tlsImplicit
)

// WithStartTLS offers STARTTLS with a self-signed certificate for
// 127.0.0.1; URL then asks for tls=starttls and skips verification. It
// cannot be combined with WithoutEnhancedStatusCodes, and HoldReply cannot
// see a client hang up inside TLS begun by STARTTLS.
func WithStartTLS() Option {
	return func(s *Server) { s.tlsMode = tlsStart }
}

// WithImplicitTLS speaks TLS from the first byte (SMTPS, port 465 in real
// life) with a self-signed certificate for 127.0.0.1; URL then is smtps://
// and skips verification.
func WithImplicitTLS() Option {
	return func(s *Server) { s.tlsMode = tlsImplicit }
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, valid for a day.
func selfSigned() (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("smtptest: key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtptest.localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("smtptest: certificate: %w", err)
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
