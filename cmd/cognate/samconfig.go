package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v4"
)

// samConfig is the part of a samconfig.toml or samconfig.yaml that
// `cognate deploy` reads: [ENV.deploy.parameters], over
// [ENV.global.parameters].
type samConfig struct {
	StackName          string
	TemplateFile       string
	Region             string
	ParameterOverrides []string
	Capabilities       []string
}

// readSAMConfig reads file (TOML, or YAML when it ends in .yaml or .yml)
// as `sam deploy --config-file file --config-env env` does.
func readSAMConfig(file, env string) (samConfig, error) {
	var cfg samConfig
	src, err := os.ReadFile(file)
	if err != nil {
		return cfg, fmt.Errorf("--config-file: %w", err)
	}
	doc := map[string]any{}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".yaml", ".yml":
		err = yaml.Unmarshal(src, &doc)
	default:
		err = toml.Unmarshal(src, &doc)
	}
	if err != nil {
		return cfg, fmt.Errorf("%s: %w", file, err)
	}
	envDoc, ok := doc[env].(map[string]any)
	if !ok {
		return cfg, fmt.Errorf("%s has no environment %q (a [%s.deploy.parameters] table); check --config-env", file, env, env)
	}
	params := map[string]any{}
	for _, cmd := range []string{"global", "deploy"} {
		section, _ := envDoc[cmd].(map[string]any)
		p, _ := section["parameters"].(map[string]any)
		for k, v := range p {
			params[k] = v
		}
	}
	str := func(k string) (string, error) {
		switch v := params[k].(type) {
		case nil:
			return "", nil
		case string:
			return v, nil
		default:
			return "", fmt.Errorf("%s: %s.deploy.parameters.%s: want a string, not %T", file, env, k, v)
		}
	}
	list := func(k string) ([]string, error) {
		switch v := params[k].(type) {
		case nil:
			return nil, nil
		case string:
			return []string{v}, nil
		case []any:
			var out []string
			for _, it := range v {
				s, ok := it.(string)
				if !ok {
					return nil, fmt.Errorf("%s: %s.deploy.parameters.%s: want strings, not %T", file, env, k, it)
				}
				out = append(out, s)
			}
			return out, nil
		default:
			return nil, fmt.Errorf("%s: %s.deploy.parameters.%s: want a string or a list of strings, not %T", file, env, k, v)
		}
	}
	if cfg.StackName, err = str("stack_name"); err != nil {
		return cfg, err
	}
	if cfg.TemplateFile, err = str("template_file"); err != nil {
		return cfg, err
	}
	if cfg.TemplateFile == "" {
		if cfg.TemplateFile, err = str("template"); err != nil {
			return cfg, err
		}
	}
	if cfg.TemplateFile != "" && !filepath.IsAbs(cfg.TemplateFile) {
		// sam resolves it against the config file's directory.
		cfg.TemplateFile = filepath.Join(filepath.Dir(file), cfg.TemplateFile)
	}
	if cfg.Region, err = str("region"); err != nil {
		return cfg, err
	}
	if cfg.ParameterOverrides, err = list("parameter_overrides"); err != nil {
		return cfg, err
	}
	if cfg.Capabilities, err = list("capabilities"); err != nil {
		return cfg, err
	}
	var caps []string
	for _, c := range cfg.Capabilities {
		caps = append(caps, strings.Fields(c)...)
	}
	cfg.Capabilities = caps
	return cfg, nil
}

// parseParameterOverrides reads sam deploy's --parameter-overrides: each
// argument holds one or more pairs separated by spaces, K=V or
// ParameterKey=K,ParameterValue=V, with values optionally in quotes.
func parseParameterOverrides(args []string) ([][2]string, error) {
	var out [][2]string
	for _, arg := range args {
		words, err := splitWords(arg)
		if err != nil {
			return nil, fmt.Errorf("--parameter-overrides %q: %w", arg, err)
		}
		for _, w := range words {
			if rest, ok := strings.CutPrefix(w, "ParameterKey="); ok {
				k, v, ok := strings.Cut(rest, ",ParameterValue=")
				if !ok || k == "" {
					return nil, fmt.Errorf("--parameter-overrides %q: want ParameterKey=K,ParameterValue=V", w)
				}
				out = append(out, [2]string{k, v})
				continue
			}
			k, v, ok := strings.Cut(w, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("--parameter-overrides %q: want Key=Value", w)
			}
			out = append(out, [2]string{k, v})
		}
	}
	return out, nil
}

// splitWords splits s at unquoted spaces and removes the quotes, as sam
// reads a parameter_overrides string: K=V K2="v w" K3='x'.
func splitWords(s string) ([]string, error) {
	var words []string
	var b strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				b.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if inWord {
		words = append(words, b.String())
	}
	return words, nil
}

// defaultSAMConfig returns the samconfig file of the working directory
// that sam deploy would read (samconfig.toml, then .yaml, then .yml), or
// "" when there is none. A samconfig without the default environment is
// skipped unless --config-env was given, so an unrelated file does not
// break a plain deploy.
func defaultSAMConfig(envGiven bool) string {
	for _, name := range []string{"samconfig.toml", "samconfig.yaml", "samconfig.yml"} {
		if _, err := os.Stat(name); err != nil {
			continue
		}
		if !envGiven {
			if _, err := readSAMConfig(name, "default"); err != nil {
				return ""
			}
		}
		return name
	}
	return ""
}
