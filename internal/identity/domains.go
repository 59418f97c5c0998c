package identity

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/cognatehq/cognate/internal/store"
)

// domainSettings is what the store keeps about a domain beyond its name.
type domainSettings struct {
	CertificateArn      string `json:"certificateArn,omitempty"`
	ManagedLoginVersion int    `json:"managedLoginVersion,omitempty"`
}

func validateDomain(domain string, custom bool) error {
	var v validationErrors
	if custom {
		// A custom domain is a fully qualified name; the model's DomainType
		// pattern applies to prefixes only [model].
		v.pattern(domain, "domain", fqdnRe, 1, 253)
		return v.err()
	}
	v.pattern(domain, "domain", domainRe, 1, 63)
	if err := v.err(); err != nil {
		return err
	}
	for _, w := range reservedDomainWords {
		if strings.Contains(domain, w) {
			return errorf(KindInvalidParameter, "Domain cannot contain reserved word: %s", w) // [obs]
		}
	}
	return nil
}

// cloudFrontDomain is the CloudFront name Cognito answers for a custom
// domain. [guess] Real names are d + 13 random characters; Cognate has no
// CDN, so it derives a stable placeholder of the same shape from the domain.
func cloudFrontDomain(domain string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(domain); i++ {
		h ^= uint64(domain[i])
		h *= 1099511628211
	}
	var b [13]byte
	for i := range b {
		b[i] = alnumLower[h%uint64(len(alnumLower))]
		h /= uint64(len(alnumLower))
		if h == 0 {
			h = uint64(len(domain)) * 2654435761
		}
	}
	return "d" + string(b[:]) + ".cloudfront.net"
}

// CreateUserPoolDomain attaches a prefix domain (custom == nil) or a custom
// domain to a pool. It returns the CloudFront domain for a custom domain
// and "" for a prefix domain, as Cognito does.
func (s *Service) CreateUserPoolDomain(ctx context.Context, region, poolID, domain string, custom *CustomDomainConfig, managedLoginVersion int) (string, error) {
	isCustom := custom != nil
	if err := validateDomain(domain, isCustom); err != nil {
		return "", err
	}
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return "", err
	}
	ds := domainSettings{ManagedLoginVersion: managedLoginVersion}
	if isCustom {
		ds.CertificateArn = custom.CertificateArn
	}
	b, _ := json.Marshal(ds)
	err := s.store.CreateDomain(ctx, store.Domain{Domain: domain, PoolID: poolID, Custom: isCustom,
		Settings: b, CreatedAt: s.now().UTC()})
	if errors.Is(err, store.ErrConflict) {
		// Either the name is taken (by any pool) or this pool already has a
		// domain of this kind.
		if d, gerr := s.store.GetDomain(ctx, domain); gerr == nil && d.Domain == domain {
			return "", errorf(KindInvalidParameter, "Domain already associated with another user pool.") // [obs]
		}
		return "", errorf(KindInvalidParameter, "User pool already has a domain configured.") // [guess]
	}
	if err != nil {
		return "", storeErr("create domain", notFoundAs(err, poolNotFound(poolID)))
	}
	s.log.InfoContext(ctx, "user pool domain created", "pool_id", poolID, "domain", domain)
	if isCustom {
		return cloudFrontDomain(domain), nil
	}
	return "", nil
}

// DescribeUserPoolDomain describes a domain. found is false when no pool
// has it: Cognito then answers an empty DomainDescription, not an error.
func (s *Service) DescribeUserPoolDomain(ctx context.Context, region, domain string) (DomainDescription, bool, error) {
	d, err := s.store.GetDomain(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		return DomainDescription{}, false, nil
	}
	if err != nil {
		return DomainDescription{}, false, internal("get domain", err)
	}
	if RegionOfPool(d.PoolID) != region {
		return DomainDescription{}, false, nil
	}
	return s.describeDomain(d), true, nil
}

func (s *Service) describeDomain(d store.Domain) DomainDescription {
	var ds domainSettings
	_ = json.Unmarshal(d.Settings, &ds)
	out := DomainDescription{PoolID: d.PoolID, AccountID: s.accountID, Domain: d.Domain,
		Version: "1", Status: "ACTIVE", ManagedLoginVersion: ds.ManagedLoginVersion}
	if d.Custom {
		out.CloudFrontDistribution = cloudFrontDomain(d.Domain)
		out.CustomDomainConfig = &CustomDomainConfig{CertificateArn: ds.CertificateArn}
	}
	return out
}

// UpdateUserPoolDomain changes a domain's certificate or managed-login
// version.
func (s *Service) UpdateUserPoolDomain(ctx context.Context, region, poolID, domain string, custom *CustomDomainConfig, managedLoginVersion int) (string, error) {
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return "", err
	}
	var isCustom bool
	err := s.store.UpdateDomain(ctx, domain, func(d store.Domain) (store.Domain, error) {
		if d.PoolID != poolID {
			return d, store.ErrNotFound
		}
		isCustom = d.Custom
		var ds domainSettings
		_ = json.Unmarshal(d.Settings, &ds)
		if custom != nil {
			ds.CertificateArn = custom.CertificateArn
		}
		if managedLoginVersion != 0 {
			ds.ManagedLoginVersion = managedLoginVersion
		}
		d.Settings, _ = json.Marshal(ds)
		return d, nil
	})
	if err != nil {
		return "", storeErr("update domain", notFoundAs(err, domainNotFound(domain)))
	}
	if isCustom {
		return cloudFrontDomain(domain), nil
	}
	return "", nil
}

func domainNotFound(domain string) error {
	// [guess] text.
	return errorf(KindInvalidParameter, "No such domain or user pool exists.")
}

// DeleteUserPoolDomain detaches a domain from its pool.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, region, poolID, domain string) error {
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return err
	}
	d, err := s.store.GetDomain(ctx, domain)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.PoolID != poolID) {
		return domainNotFound(domain)
	}
	if err != nil {
		return internal("get domain", err)
	}
	if err := s.store.DeleteDomain(ctx, domain); err != nil {
		return storeErr("delete domain", notFoundAs(err, domainNotFound(domain)))
	}
	s.log.InfoContext(ctx, "user pool domain deleted", "pool_id", poolID, "domain", domain)
	return nil
}

// Endpoints returns what discovery needs for a pool.
func (s *Service) Endpoints(ctx context.Context, poolID string) (PoolEndpoints, error) {
	region := RegionOfPool(poolID)
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return PoolEndpoints{}, err
	}
	domains, err := s.store.ListDomainsByPool(ctx, poolID)
	if err != nil {
		return PoolEndpoints{}, internal("list domains", err)
	}
	ep := PoolEndpoints{PoolID: poolID, Region: region, Issuer: s.Issuer(region, poolID)}
	for _, d := range domains {
		if !d.Custom {
			ep.Domain = d.Domain
		}
	}
	return ep, nil
}
