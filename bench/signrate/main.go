// Command signrate measures the bare RS256 signing rate of one goroutine:
// RSA-2048 PKCS#1 v1.5 signatures over the SHA-256 of a JWT signing input
// the size of a Cognito client-credentials access token, with Go's
// crypto/rsa, for a bounded duration.
//
// Run pinned to one core, it gives the single-core signing ceiling that a
// token endpoint on that core is compared with (see docs/PERFORMANCE.md):
//
//	taskset -c 0 go run ./bench/signrate -d 5s
//
// Each operation hashes the signing input and signs the hash, which is the
// whole cryptographic cost of issuing one RS256 token.
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"
)

// maxDuration bounds -d: runs are always bounded.
const maxDuration = 120 * time.Second

// Result is one measurement.
type Result struct {
	Alg          string  `json:"alg"`
	KeyBits      int     `json:"key_bits"`
	PayloadBytes int     `json:"signing_input_bytes"`
	GOMAXPROCS   int     `json:"gomaxprocs"`
	Ops          int     `json:"ops"`
	Elapsed      float64 `json:"elapsed_s"`
	OpsPerSec    float64 `json:"ops_per_s"`
	MicrosPerOp  float64 `json:"us_per_op"`
}

func main() {
	d := flag.Duration("d", 5*time.Second, "measured duration (at most 2m)")
	warmup := flag.Duration("warmup", 500*time.Millisecond, "warm-up duration, not measured")
	asJSON := flag.Bool("json", false, "print the result as JSON")
	flag.Parse()
	if *d <= 0 || *d > maxDuration || *warmup < 0 || *warmup > maxDuration {
		fmt.Fprintf(os.Stderr, "signrate: -d must be in (0, %s] and -warmup in [0, %s]\n", maxDuration, maxDuration)
		os.Exit(2)
	}

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fail(err)
	}
	input := signingInput()
	if err := checkSignature(key, input); err != nil {
		fail(err)
	}
	signFor(key, input, *warmup)
	ops, elapsed := signFor(key, input, *d)

	res := Result{Alg: "RS256", KeyBits: key.N.BitLen(), PayloadBytes: len(input), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Ops: ops, Elapsed: elapsed.Seconds(), OpsPerSec: float64(ops) / elapsed.Seconds(),
		MicrosPerOp: float64(elapsed.Microseconds()) / float64(ops)}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
		return
	}
	fmt.Printf("RS256 (RSA-%d PKCS#1 v1.5, SHA-256) over a %d-byte JWT signing input, one goroutine, GOMAXPROCS %d\n",
		res.KeyBits, res.PayloadBytes, res.GOMAXPROCS)
	fmt.Printf("%d signatures in %.2fs: %.0f signatures/s, %.1f µs each\n", res.Ops, res.Elapsed, res.OpsPerSec, res.MicrosPerOp)
}

// signFor signs input repeatedly until d has passed (checking the clock
// after each signature, which costs far less than one) and returns how many
// signatures it made and the time they took.
func signFor(key *rsa.PrivateKey, input []byte, d time.Duration) (int, time.Duration) {
	start := time.Now()
	deadline := start.Add(d)
	ops := 0
	for {
		sum := sha256.Sum256(input)
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:]); err != nil {
			fail(err)
		}
		ops++
		if now := time.Now(); !now.Before(deadline) {
			return ops, now.Sub(start)
		}
	}
}

// checkSignature signs input once and verifies the signature, so the loop
// is known to measure a correct RS256 signature.
func checkSignature(key *rsa.PrivateKey, input []byte) error {
	sum := sha256.Sum256(input)
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		return err
	}
	return rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], sig)
}

// signingInput returns base64url(header) "." base64url(claims) for a header
// and claims shaped like those of a Cognito client-credentials access token.
func signingInput() []byte {
	now := time.Now().Unix()
	header := `{"kid":"Jq0sOYgfLSHGoKmDSKp3V8kR9mHr0rVRT2I6pnRNQk8=","alg":"RS256"}`
	claims := fmt.Sprintf(`{"sub":"3ja8d1pbk1c3nof7cjtumvbp2b","token_use":"access","scope":"bench/read",`+
		`"auth_time":%d,"iss":"http://127.0.0.1:9229/us-east-1_AbCdEfGhI","exp":%d,"iat":%d,"version":2,`+
		`"jti":"8d9c4f4e-3c1e-4f0e-9a55-0c3b1d6e2f71","client_id":"3ja8d1pbk1c3nof7cjtumvbp2b"}`, now, now+3600, now)
	enc := base64.RawURLEncoding
	return []byte(enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "signrate:", err)
	os.Exit(1)
}
