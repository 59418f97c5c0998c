package intrinsic

import (
	"math/big"
	"net/netip"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// Fn::Cidr's limits, from the function's reference.
const (
	maxCidrCount = 256
)

// cidr evaluates Fn::Cidr: [ipBlock, count, cidrBits]. It returns count
// consecutive blocks carved from the start of ipBlock, each with cidrBits
// host bits: ["10.0.0.0/16", 3, 8] is 10.0.0.0/24, 10.0.1.0/24 and
// 10.0.2.0/24. IPv6 blocks work the same way ("cidrBits 64" gives /64s).
func (r *run) cidr(arg, call *template.Node, path string) *template.Node {
	args, ok := r.args("Fn::Cidr", arg, call, path, 3, 3)
	if !ok {
		return invalid
	}
	block, bok := r.str(args[0], "Fn::Cidr's ipBlock", template.IndexPath(path, 0))
	count, cok := r.integer(args[1], "Fn::Cidr's count", template.IndexPath(path, 1))
	bits, sok := r.integer(args[2], "Fn::Cidr's cidrBits", template.IndexPath(path, 2))
	if !bok || !cok || !sok {
		return invalid
	}
	prefix, err := netip.ParsePrefix(block)
	if err != nil {
		return r.errorf(args[0], template.IndexPath(path, 0), "Fn::Cidr's ipBlock %q is not a CIDR block", block)
	}
	prefix = prefix.Masked()
	addrBits := prefix.Addr().BitLen()
	hostBits := addrBits - prefix.Bits()
	if count < 1 || count > maxCidrCount {
		return r.errorf(args[1], template.IndexPath(path, 1), "Fn::Cidr's count must be between 1 and %d, not %d", maxCidrCount, count)
	}
	if bits < 1 || bits > hostBits {
		return r.errorf(args[2], template.IndexPath(path, 2), "Fn::Cidr's cidrBits must be between 1 and %d (the host bits of %s), not %d", hostBits, prefix, bits)
	}
	if avail := hostBits - bits; avail < 9 && count > 1<<avail {
		return r.errorf(call, path, "Fn::Cidr: %s holds only %d blocks of %d host bits, not %d", prefix, 1<<avail, bits, count)
	}
	base := new(big.Int).SetBytes(prefix.Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	out := &template.Node{Kind: template.Sequence, Pos: call.Pos, Items: make([]*template.Node, count)}
	for i := range count {
		n := new(big.Int).Mul(step, big.NewInt(int64(i)))
		n.Add(n, base)
		buf := n.FillBytes(make([]byte, addrBits/8))
		addr, _ := netip.AddrFromSlice(buf) // buf has the address's length
		p := netip.PrefixFrom(addr, addrBits-bits)
		out.Items[i] = &template.Node{Kind: template.String, Pos: call.Pos, Value: p.String()}
	}
	return out
}
