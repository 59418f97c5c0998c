package ssm

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cognatehq/cognate/internal/store"
)

// Patterns of the ssm 2014-11-06 model.
var (
	keyIDRe  = regexp.MustCompile(`^([a-zA-Z0-9:/_-]+)$`)
	tagRe    = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
	typeEnum = []string{TypeSecureString, TypeStringList, TypeString} // the order AWS lists them in [emulator]
	tierEnum = []string{TierStandard, TierAdvanced, TierIntelligentTiering}
)

// maxValueChars is the longest value AWS's front end accepts, before any
// tier limit [obs: "Member must have length less than or equal to 32768"].
const maxValueChars = 32768

// PutParameter creates a parameter (version 1) or, with Overwrite, writes
// its next version, in one store transaction: concurrent puts of a name
// each get their own version, none lost. A parameter keeps its newest
// MaxVersions versions; the put that would drop a labelled version fails.
//
// On an overwrite, members the request leaves out (Type, Description,
// KeyId, AllowedPattern, DataType, Tier) keep the values of the version
// replaced [emulator: moto]; Tags cannot be given with Overwrite.
func (s *Service) PutParameter(ctx context.Context, region string, in PutInput) (PutResult, error) {
	if err := checkPutModel(in); err != nil {
		return PutResult{}, err
	}
	if in.Overwrite && len(in.Tags) > 0 {
		// [emulator: moto, APIGATEWAY.md §6]
		return PutResult{}, errorf(KindValidation, "Invalid request: tags and overwrite can't be used together. "+
			"To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, "+
			"please use AddTagsToResource or RemoveTagsFromResource.")
	}
	name, err := s.checkPutName(region, in.Name)
	if err != nil {
		return PutResult{}, err
	}
	if in.Policies != nil {
		return PutResult{}, errorf(KindUnsupportedOperation,
			"Cognate does not support parameter policies (Expiration, ExpirationNotification, NoChangeNotification) yet")
	}
	switch in.DataType {
	case "", DataTypeText, DataTypeEC2Image, DataTypeIntegration:
		// aws:ec2:image values are not checked against EC2, whose images
		// Cognate does not have; AWS checks them after answering [doc].
	default:
		// [emulator: moto] text.
		return PutResult{}, errorf(KindValidation,
			"The following data type is not supported: %s (Data type names are all lowercase.)", in.DataType)
	}
	if strings.Contains(in.Value, "{{") && strings.Contains(in.Value, "}}") {
		// [doc] "You can't include values wrapped in double brackets {{}}
		// or {{ssm:parameter-name}} in a parameter value." [guess] text.
		return PutResult{}, errorf(KindValidation,
			`Parameter value can't nest another parameter. Do not use "{{}}" in the value.`)
	}

	var out PutResult
	var typ string
	err = s.store.PutParameter(ctx, region, name, MaxVersions, func(newest, oldest *store.Parameter) (store.Parameter, error) {
		rec, err := s.nextVersion(region, name, in, newest, oldest)
		if err != nil {
			return store.Parameter{}, err
		}
		out = PutResult{Version: rec.Version, Tier: rec.Tier}
		typ = rec.Type
		return rec, nil
	})
	if err != nil {
		return PutResult{}, storeErr("put parameter", err)
	}
	s.log.InfoContext(ctx, "parameter put", "region", region, "parameter", name, "version", out.Version, "type", typ)
	return out, nil
}

// checkPutModel checks the request against the model's constraints, all at
// once, as AWS's front end does before the service sees it.
func checkPutModel(in PutInput) error {
	var v validationErrors
	v.length(in.Name, "name", 1, 2048)
	switch n := utf8.RuneCountInString(in.Value); {
	case n < 1:
		// [emulator, APIGATEWAY.md §6]; the value is sensitive, so it is
		// not echoed.
		v.addSensitive("value", "Member must have length greater than or equal to 1")
	case n > maxValueChars:
		v.addSensitive("value", "Member must have length less than or equal to 32768")
	}
	v.enum(in.Type, "type", typeEnum...)
	if in.Description != nil {
		v.length(*in.Description, "description", 0, 1024)
	}
	if in.KeyID != nil {
		v.pattern(*in.KeyID, "keyId", keyIDRe, 1, 256)
	}
	if in.AllowedPattern != nil {
		v.length(*in.AllowedPattern, "allowedPattern", 0, 1024)
	}
	if len(in.Tags) > 1000 {
		v.add(len(in.Tags), "tags", "Member must have length less than or equal to 1000")
	}
	for i, t := range in.Tags {
		v.pattern(t.Key, item("tags", i)+".key", tagRe, 1, 128)
		v.pattern(t.Value, item("tags", i)+".value", tagRe, 0, 256)
	}
	v.enum(in.Tier, "tier", tierEnum...)
	if in.Policies != nil {
		v.length(*in.Policies, "policies", 1, 4096)
	}
	v.length(in.DataType, "dataType", 0, 128)
	return v.err()
}

// nextVersion builds the version a put writes, given the parameter's
// newest and oldest kept versions (nil for a new parameter). It runs inside
// the store's transaction.
func (s *Service) nextVersion(region, name string, in PutInput, newest, oldest *store.Parameter) (store.Parameter, error) {
	rec := store.Parameter{Region: region, Name: name, Version: 1, Type: in.Type, ModifiedAt: s.now().UTC(),
		DataType: in.DataType, Tier: in.Tier}
	if newest == nil {
		if in.Type == "" {
			// [emulator, APIGATEWAY.md §6]
			return rec, errorf(KindValidation, "A parameter type is required when you create a parameter.")
		}
		if len(in.Tags) > 0 {
			rec.Tags = make(map[string]string, len(in.Tags))
			for _, t := range in.Tags {
				rec.Tags[t.Key] = t.Value
			}
		}
	} else {
		if !in.Overwrite {
			// [obs/emulator, APIGATEWAY.md §6]
			return rec, errorf(KindParameterAlreadyExists,
				"The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
		}
		if rec.Type == "" {
			rec.Type = newest.Type
		} else if rec.Type != newest.Type {
			// [doc] the exception and its documented meaning; [guess] text,
			// after the model's documentation of the exception.
			return rec, errorf(KindHierarchyTypeMismatch,
				"Parameter Store doesn't support changing a parameter type in a hierarchy. You can't change the type of %s from %s to %s. You must create a new, unique parameter.",
				name, newest.Type, rec.Type)
		}
		if count := newest.Version - oldest.Version + 1; count >= MaxVersions && len(oldest.Labels) > 0 {
			// [doc] text, from the exception's documentation.
			return rec, errorf(KindParameterMaxVersionLimitExceeded,
				"You attempted to create a new version of %s by calling the PutParameter API with the overwrite flag. "+
					"Version %d, the oldest version, can't be deleted because it has a label associated with it. "+
					"Move the label to another version of the parameter, and try again.", name, oldest.Version)
		}
		rec.Version = newest.Version + 1
		rec.Tags = newest.Tags
		rec.Description = newest.Description
		rec.AllowedPattern = newest.AllowedPattern
		if rec.DataType == "" {
			rec.DataType = newest.DataType
		}
	}
	if rec.DataType == "" {
		rec.DataType = DataTypeText
	}
	if in.Description != nil {
		rec.Description = *in.Description
	}
	if in.AllowedPattern != nil {
		rec.AllowedPattern = *in.AllowedPattern
	}
	if err := s.setKeyID(&rec, in, newest); err != nil {
		return rec, err
	}
	tier, err := resolveTier(in.Tier, newest, in.Value)
	if err != nil {
		return rec, err
	}
	rec.Tier = tier
	if err := checkAllowedPattern(rec.AllowedPattern, in.Value); err != nil {
		return rec, err
	}
	if rec.Type == TypeSecureString {
		rec.Value = s.sealer.Seal([]byte(in.Value), secureAAD(region, name, rec.Version))
	} else {
		// StringList values are stored as given. [guess] AWS returns them
		// "with no spaces between commas" because it rejects none and
		// rewrites none: clients send them that way.
		rec.Value = []byte(in.Value)
	}
	return rec, nil
}

// setKeyID sets the KMS key of a version: the request's, else (on an
// overwrite) the replaced version's, else the default key; only a
// SecureString has one. Cognate has no KMS: any key id of the model's form
// is accepted and recorded, and the value is sealed under the master key.
func (s *Service) setKeyID(rec *store.Parameter, in PutInput, newest *store.Parameter) error {
	if rec.Type != TypeSecureString {
		if in.KeyID != nil {
			// [guess] AWS refuses a KeyId for a parameter KMS does not
			// encrypt; the exact answer is not recorded.
			return errorf(KindValidation, "KeyId can be given only for a SecureString parameter; %s is a %s.", rec.Name, rec.Type)
		}
		return nil
	}
	switch {
	case in.KeyID != nil:
		rec.KeyID = *in.KeyID
	case newest != nil && newest.KeyID != "":
		rec.KeyID = newest.KeyID
	default:
		rec.KeyID = DefaultKeyID
	}
	return nil
}

// resolveTier returns the tier a version gets and checks the value's size
// against it [doc]:
//
//   - no tier keeps an existing parameter's, else Standard (the default
//     tier setting, which Cognate does not let callers change);
//   - Intelligent-Tiering is Advanced when the value needs it (over 4 KB),
//     else Standard; [doc] though users report AWS answering such puts as
//     Standard ones (terraform-provider-aws #18521), Cognate follows the
//     documentation;
//   - an Advanced parameter never goes back to Standard: an explicit
//     Standard is refused, and an absent tier or Intelligent-Tiering keep
//     Advanced [doc].
func resolveTier(asked string, newest *store.Parameter, value string) (string, error) {
	wasAdvanced := newest != nil && newest.Tier == TierAdvanced
	tier := asked
	switch asked {
	case "":
		tier = TierStandard
		if newest != nil {
			tier = newest.Tier
		}
	case TierIntelligentTiering:
		tier = TierStandard
		if len(value) > MaxStandardValueBytes || wasAdvanced {
			tier = TierAdvanced
		}
	case TierStandard:
		if wasAdvanced {
			// [guess] text.
			return "", errorf(KindValidation, "This parameter uses the advanced-parameter tier. You can't downgrade a "+
				"parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can "+
				"delete the advanced parameter and recreate it as a standard parameter.")
		}
	}
	switch {
	case tier == TierStandard && len(value) > MaxStandardValueBytes:
		// [obs: terraform-provider-aws #18521, terraform-aws-github-runner #3815]
		return "", errorf(KindValidation, "Standard tier parameters support a maximum parameter value of 4096 characters. "+
			"To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more "+
			"information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	case tier == TierAdvanced && len(value) > MaxAdvancedValueBytes:
		// [guess] text, after the Standard one.
		return "", errorf(KindValidation, "Advanced tier parameters support a maximum parameter value of 8192 characters.")
	}
	return tier, nil
}

// checkAllowedPattern checks a value against a parameter's AllowedPattern,
// which must match the whole value. [guess] SSM, a Java service, matches
// with Java's Pattern.matches (the whole value); the documented example
// ^\d+$ anchors itself either way. Go's regexp is RE2: a Java pattern it
// cannot compile (lookaround, backreferences) is refused as invalid.
func checkAllowedPattern(pattern, value string) error {
	if pattern == "" {
		return nil
	}
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		// [doc] the model's documentation of the exception; the reason
		// is Cognate's.
		return errorf(KindInvalidAllowedPattern,
			"The request doesn't meet the regular expression requirement: AllowedPattern %s is not a regular expression Cognate can use (%v)",
			pattern, err)
	}
	if !re.MatchString(value) {
		// [guess] text; it names the pattern, never the value.
		return errorf(KindParameterPatternMismatch, "Parameter value, cannot be validated against allowedPattern: %s", pattern)
	}
	return nil
}
