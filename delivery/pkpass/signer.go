package pkpass

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// LoadPEM reads a Signer from files: the pass certificate (PEM, or DER as Apple's
// download pass.cer is), its private key (PEM: PKCS #8, PKCS #1 or SEC 1) and the WWDR
// intermediate certificate (PEM, or DER as Apple's AppleWWDRCAG4.cer is). Each problem is
// one EINVALID sentence naming the file (by its base name): unreadable, not a certificate
// or key, a key that does not match the certificate, a certificate the intermediate did
// not issue.
func LoadPEM(certFile, keyFile, wwdrFile string) (Signer, error) {
	cert, err := loadCert(certFile, "pass certificate")
	if err != nil {
		return Signer{}, err
	}
	key, err := loadKey(keyFile)
	if err != nil {
		return Signer{}, err
	}
	return signer(cert, key, wwdrFile)
}

// LoadP12 reads a Signer from a PKCS #12 file (.p12, as Keychain Access exports the pass
// certificate with its key) opened with password, and the WWDR intermediate (PEM or DER).
func LoadP12(p12File, password, wwdrFile string) (Signer, error) {
	data, err := os.ReadFile(p12File)
	if err != nil {
		return Signer{}, fileError("pass certificate (.p12)", p12File, "cannot be read")
	}
	key, cert, _, err := pkcs12.DecodeChain(data, password)
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return Signer{}, ledger.Errorf(ledger.EINVALID, "The password of the .p12 file %s is wrong.", filepath.Base(p12File))
	}
	if err != nil {
		return Signer{}, fileError("pass certificate (.p12)", p12File, "is not a PKCS #12 file with one certificate and its key")
	}
	return signer(cert, key, wwdrFile)
}

// signer checks that the key belongs to the certificate and the intermediate issued it.
func signer(cert *x509.Certificate, key crypto.PrivateKey, wwdrFile string) (Signer, error) {
	if wwdrFile == "" {
		return Signer{}, ledger.ErrorOf(ledger.EINVALID,
			"A pass needs Apple's WWDR intermediate certificate beside the pass certificate (AppleWWDRCAG4.cer).")
	}
	wwdr, err := loadCert(wwdrFile, "WWDR intermediate certificate")
	if err != nil {
		return Signer{}, err
	}
	if !matches(cert, key) {
		return Signer{}, ledger.ErrorOf(ledger.EINVALID, "The pass key does not match the pass certificate.")
	}
	if cert.CheckSignatureFrom(wwdr) != nil {
		return Signer{}, ledger.Errorf(ledger.EINVALID,
			"The pass certificate was not issued by the WWDR intermediate in %s (Apple issues pass certificates under WWDR G4).", filepath.Base(wwdrFile))
	}
	return Signer{Cert: cert, Key: key, Intermediate: wwdr}, nil
}

// matches reports whether key is the private half of the certificate's public key.
func matches(cert *x509.Certificate, key crypto.PrivateKey) bool {
	type public interface{ Equal(crypto.PublicKey) bool }
	var pub crypto.PublicKey
	switch k := key.(type) {
	case *rsa.PrivateKey:
		pub = &k.PublicKey
	case *ecdsa.PrivateKey:
		pub = &k.PublicKey
	case ed25519.PrivateKey:
		pub = k.Public()
	default:
		return false
	}
	p, ok := pub.(public)
	return ok && p.Equal(cert.PublicKey)
}

// loadCert reads the first certificate of a PEM file, or a DER certificate.
func loadCert(path, what string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError(what, path, "cannot be read")
	}
	der := data
	if b, _ := pem.Decode(data); b != nil {
		if b.Type != "CERTIFICATE" {
			return nil, fileError(what, path, "holds a "+b.Type+", not a CERTIFICATE")
		}
		der = b.Bytes
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fileError(what, path, "is not a PEM or DER certificate")
	}
	return cert, nil
}

// loadKey reads a PEM private key: PKCS #8, PKCS #1 (RSA) or SEC 1 (EC).
func loadKey(path string) (crypto.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError("pass key", path, "cannot be read")
	}
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, fileError("pass key", path, "is not a PEM file")
	}
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	return nil, fileError("pass key", path, "holds no unencrypted private key (PKCS #8, PKCS #1 or EC)")
}

func fileError(what, path, problem string) error {
	return ledger.Errorf(ledger.EINVALID, "The %s file %s %s.", what, filepath.Base(path), problem)
}
