package plan

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
)

// RenderAtRef renders a stack's plan from the Pulumi.yaml, stack file and
// image as they are at a git ref, with the program as it is now: a PR review
// sees what its config change does. A stack file missing at ref gives an
// empty plan, so a new lab account shows as all added.
func RenderAtRef(repoDir, ref, stackFile string, opts Options) (*Plan, error) {
	rel, err := repoRelative(repoDir, stackFile)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "labplan-ref-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)

	stackBytes, found, err := gitShow(repoDir, ref, rel)
	if err != nil {
		return nil, err
	}
	stack, err := stackconfig.StackName(stackFile)
	if err != nil {
		return nil, err
	}
	if !found {
		return &Plan{Stack: stack, Project: "", Resources: []Resource{}, Outputs: map[string]any{}}, nil
	}
	projDir := filepath.Dir(rel)
	projBytes, found, err := gitShow(repoDir, ref, filepath.ToSlash(filepath.Join(projDir, "Pulumi.yaml")))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%s: no Pulumi.yaml next to %s", ref, rel)
	}
	if err := writeFile(filepath.Join(tmp, "Pulumi.yaml"), projBytes); err != nil {
		return nil, err
	}
	tmpStack := filepath.Join(tmp, filepath.Base(rel))
	if err := writeFile(tmpStack, stackBytes); err != nil {
		return nil, err
	}
	sc, err := stackconfig.Read(tmp, tmpStack)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	// The image is part of the plan (its hash), so it comes from the ref too.
	if img := sc.Values[config.Namespace+":"+config.ImagePath]; img != "" && !filepath.IsAbs(img) {
		b, found, err := gitShow(repoDir, ref, filepath.ToSlash(filepath.Join(projDir, img)))
		if err != nil {
			return nil, err
		}
		dst := filepath.Join(tmp, img)
		if rel, err := filepath.Rel(tmp, dst); err != nil || strings.HasPrefix(rel, "..") {
			return nil, fmt.Errorf("%s: %s:%s = %q points outside the project; labplan diff by git ref needs the image inside it", ref, config.Namespace, config.ImagePath, img)
		}
		if found {
			if err := writeFile(dst, b); err != nil {
				return nil, err
			}
		}
	}
	p, err := Render(sc, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return p, nil
}

func repoRelative(repoDir, path string) (string, error) {
	top, err := exec.Command("git", "-C", repoDir, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", fmt.Errorf("%s is not in a git repository: %w", repoDir, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	root, err := filepath.EvalSymlinks(strings.TrimSpace(string(top)))
	if err != nil {
		return "", err
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(dir, filepath.Base(abs))
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is outside the git repository", path)
	}
	return filepath.ToSlash(rel), nil
}

// gitShow reads a file at a ref; found is false when the ref lacks it.
func gitShow(repoDir, ref, path string) ([]byte, bool, error) {
	if err := exec.Command("git", "-C", repoDir, "rev-parse", "--verify", "--quiet", ref+"^{commit}").Run(); err != nil {
		return nil, false, fmt.Errorf("git ref %q does not name a commit", ref)
	}
	cmd := exec.Command("git", "-C", repoDir, "show", ref+":"+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := stderr.String()
		if strings.Contains(msg, "does not exist") || strings.Contains(msg, "exists on disk, but not in") {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("git show %s:%s: %v: %s", ref, path, err, strings.TrimSpace(msg))
	}
	return out, true, nil
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
