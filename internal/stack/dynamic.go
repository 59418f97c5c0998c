package stack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"sort"

	"github.com/cognatehq/cognate/internal/stack/template"
)

// dynamicRe matches a dynamic reference {{resolve:service:name}}.
var dynamicRe = regexp.MustCompile(`\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]+)\}\}`)

// resolveDynamic replaces the {{resolve:ssm:...}} references in the
// strings of n with the parameters' values. While validating it only
// checks that they exist (and records them as read).
func (e *Engine) resolveDynamic(ctx context.Context, p *plan, n *template.Node, path string, validating bool) (*template.Node, template.ErrorList) {
	var errs template.ErrorList
	var walk func(n *template.Node, path string) *template.Node
	walk = func(n *template.Node, path string) *template.Node {
		if n == nil {
			return nil
		}
		switch n.Kind {
		case template.String:
			if !dynamicRe.MatchString(n.Value) {
				return n
			}
			out := dynamicRe.ReplaceAllStringFunc(n.Value, func(m string) string {
				sub := dynamicRe.FindStringSubmatch(m)
				if sub[1] == "secretsmanager" {
					errs.Add(n.Pos, path, "dynamic reference %s: Secrets Manager is not emulated", m)
					return m
				}
				if e.cfg.SSM == nil {
					errs.Add(n.Pos, path, "dynamic reference %s needs SSM, which this engine was built without", m)
					return m
				}
				v, err := e.cfg.SSM.ParameterValue(ctx, p.region, sub[2], sub[1] == "ssm-secure")
				if errors.Is(err, ErrParameterNotFound) {
					errs.Add(n.Pos, path, "Unable to fetch parameters [%s] from parameter store for this account.", sub[2])
					return m
				}
				if err != nil {
					errs.Add(n.Pos, path, "dynamic reference %s: %v", m, err)
					return m
				}
				if validating {
					p.ssmReads = append(p.ssmReads, stripSelector(sub[2]))
				}
				return v
			})
			c := *n
			c.Value = out
			return &c
		case template.Sequence:
			c := *n
			c.Items = make([]*template.Node, len(n.Items))
			for i, it := range n.Items {
				c.Items[i] = walk(it, template.IndexPath(path, i))
			}
			return &c
		case template.Mapping:
			c := *n
			c.Fields = make([]template.Field, len(n.Fields))
			for i, f := range n.Fields {
				c.Fields[i] = template.Field{Key: f.Key, KeyPos: f.KeyPos, Value: walk(f.Value, template.JoinPath(path, f.Key))}
			}
			return &c
		}
		return n
	}
	out := walk(n, path)
	return out, errs
}

// stripSelector removes a ":version" or ":label" suffix from a parameter
// name.
func stripSelector(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == ':' {
			return name[:i]
		}
		if name[i] == '/' {
			break
		}
	}
	return name
}

// hashParams fingerprints the parameter values given.
func hashParams(given map[string]string) string {
	keys := make([]string, 0, len(given))
	for k := range given {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(given[k]))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
