package config

import "strings"

// maxSuggestDistance is how far a misspelling may be from the name it
// stands for: two edits catch a swapped pair and a dropped or doubled
// letter ("keyAlais", "regoin") without pairing unrelated short names.
const maxSuggestDistance = 2

// Suggest returns the candidate word most likely meant, or "" when none is
// close. Case is ignored, so "keyalias" finds keyAlias; ties go to the
// candidate listed first, so the answer does not depend on map order.
func Suggest(word string, candidates []string) string {
	best, bestDist := "", maxSuggestDistance+1
	lw := strings.ToLower(word)
	for _, c := range candidates {
		d := editDistance(lw, strings.ToLower(c))
		if d < bestDist && d < len(c) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of adjacent letters each count one,
// since a swapped pair is the commonest typing slip.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
