// Package valuetext writes a value a user gave into a message: quoted, so
// that an empty or spaced value is visible, and cut when it is long, with
// its length, so that one pasted paragraph does not bury the rule.
package valuetext

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MaxShown is how many characters of a value a message shows; a value
// longer than that is cut to Keep characters and its length.
const (
	MaxShown = 120
	Keep     = 60
)

// Quote is s in double quotes, cut when it is longer than MaxShown
// characters: "aaaa..." (5000 characters).
func Quote(s string) string {
	cut, n, long := Cut(s)
	if !long {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s (%d characters)", strconv.Quote(cut+"..."), n)
}

// Plain is s as it is, or cut with its length when it is long, for a
// message that shows a value unquoted.
func Plain(s string) string {
	cut, n, long := Cut(s)
	if !long {
		return s
	}
	return fmt.Sprintf("%s... (%d characters)", cut, n)
}

// Cut returns s's first Keep characters, its length in characters, and
// whether it is longer than MaxShown.
func Cut(s string) (cut string, n int, long bool) {
	n = utf8.RuneCountInString(s)
	if n <= MaxShown {
		return s, n, false
	}
	i, k := 0, 0
	for i = range s {
		if k == Keep {
			break
		}
		k++
	}
	return s[:i], n, true
}
