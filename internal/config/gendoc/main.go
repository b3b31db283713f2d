// Command gendoc writes the configuration reference (docs/configuration.md)
// from the config package's settings. Run it through `go generate
// ./internal/config`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/kms-lab/kms-lab/internal/config"
)

func main() {
	out := flag.String("o", "", "write the reference to this `file` (default: standard output)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendoc:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	var b bytes.Buffer
	if err := config.WriteReference(&b); err != nil {
		return fmt.Errorf("rendering the reference: %w", err)
	}
	if out == "" {
		_, err := os.Stdout.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the reference: %w", err)
	}
	return nil
}
