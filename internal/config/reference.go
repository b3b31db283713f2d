package config

import (
	"fmt"
	"io"
	"strings"
)

// ReferencePath is where the configuration reference is committed,
// relative to the repository root.
const ReferencePath = "docs/configuration.md"

//go:generate go run ./gendoc -o ../../docs/configuration.md

// WriteReference writes docs/configuration.md from Settings and
// ProviderKeys, so the reference cannot drift from what Load accepts; a test
// compares the committed file with this output.
func WriteReference(w io.Writer) error {
	var b strings.Builder
	b.WriteString(`<!-- Generated from internal/config (Settings, ProviderKeys) by ` + "`go generate ./internal/config`" + `. Do not edit. -->
# Configuration

Set with ` + "`pulumi config set kms-lab:<key> <value>`" + ` (lists and maps with ` + "`--path`" + ` or by editing
` + "`Pulumi.<stack>.yaml`" + `). ` + "`Pulumi.yaml`" + ` declares every key with its type, description and default;
` + "`internal/config`" + ` is the one place that reads and validates them. Every key has a default, since
the Pulumi CLI refuses to run a program while a typed key without a default is unset.

| key | type | default | rule |
|---|---|---|---|
`)
	for _, s := range Settings() {
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", s.Key, typeName(s), defaultText(s.Default), cell(s.Rule))
	}
	b.WriteString(`
## What each key sets

`)
	for _, s := range Settings() {
		fmt.Fprintf(&b, "- `%s`: %s\n", s.Key, s.Description)
	}
	b.WriteString(`
## Problems are reported together

` + "`labplan`" + ` and ` + "`labctl preflight`" + ` read a stack file the same way and stop before anything is
created, listing every problem of the file in one run, sorted, one line each (` + "`pulumi up`" + ` applies
the value rules too, through the program, but not the key checks):

- ` + "`kms-lab:<key> = \"<value>\": <rule>`" + ` for a value a rule above refuses;
- ` + "`kms-lab:<key> = <value>: must be ...`" + ` for a value of the wrong type;
- ` + "`kms-lab:<key>: not a setting of this project; did you mean kms-lab:<setting>?`" + ` for a key
  Pulumi.yaml does not declare (the program would never read it);
- ` + "`aws:<key>: not a setting of the AWS provider, ...; did you mean aws:<key>?`" + ` for a key the
  AWS provider does not know (it would refuse it at ` + "`pulumi up`" + `), and the same for a misspelt
  namespace such as ` + "`kms-labs:`" + `.

Keys of other namespaces (` + "`pulumi:tags`" + `, keys kept for other tools) are left alone. Before the
account is known, ` + "`deployer`" + ` is accepted and principals are held to the partition of the
stack's ` + "`aws:region`" + ` when it sets one; ` + "`labctl preflight`" + ` and ` + "`pulumi up`" + ` then check the real
deployer and partition.

## AWS provider keys

The provider's own keys a stack may set (pulumi-aws v6): ` + "`aws:region`" + ` (required by
` + "`labplan`" + ` unless ` + "`--region`" + ` is given), and for class accounts ` + "`aws:assumeRole`" + `, ` + "`aws:profile`" + ` and
` + "`aws:allowedAccountIds`" + `. labplan and ` + "`labctl preflight`" + ` hold these to the rules ` + "`labctl class" + `
status` + "`" + ` applies, before anything asks AWS: ` + "`aws:region`" + ` is a plain region name of a known
partition (` + "`us-west-2`" + `, not ` + "`[us-west-2]`" + ` or ` + "`mars-1`" + `); ` + "`aws:allowedAccountIds`" + ` lists quoted
12-digit IDs; ` + "`aws:profile`" + ` and ` + "`aws:assumeRole`" + ` are not set together; the role is in the one
allowed account. A top-level key of the stack file other than Pulumi's own (` + "`config`" + `,
` + "`environment`" + `, ` + "`secretsprovider`" + `, ` + "`encryptedkey`" + `, ` + "`encryptionsalt`" + `) is named, with the key it
likely stands for (` + "`confg:`" + `). A test holds the list below to the pinned pulumi-aws SDK's config
package. The full list, against which a misspelt key is named:

`)
	keys := ProviderKeys()
	for i, k := range keys {
		sep := ", "
		if i == len(keys)-1 {
			sep = ".\n"
		}
		fmt.Fprintf(&b, "`%s:%s`%s", ProviderNamespace, k, sep)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func typeName(s Setting) string {
	switch s.Type {
	case TypeArray:
		return "list of " + string(s.ItemType) + "s"
	case TypeObject:
		return "map of strings"
	}
	return string(s.Type)
}

func defaultText(v any) string {
	if v == "" {
		return `""`
	}
	return EncodeDefault(v)
}

// cell keeps a table cell on one row: a pipe would end it.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
