package classes

import (
	"encoding/json"
	"fmt"
)

// MaxMatrixJobs is GitHub Actions' limit: "A job matrix can generate a
// maximum of 256 jobs per workflow run" (docs.github.com, "Actions limits").
const MaxMatrixJobs = 256

// Chunk is one inner matrix: at most MaxMatrixJobs stacks.
type Chunk struct {
	Index   int // 1-based
	Of      int
	Entries []Entry
}

// Split cuts entries into the fewest chunks of at most size stacks, with
// sizes that differ by at most one (257 stacks: 129 + 128, not 256 + 1), so
// the chunks take about as long as each other. The chunks themselves are an
// outer matrix, so there may be at most MaxMatrixJobs of them.
func Split(entries []Entry, size int) ([]Chunk, error) {
	if size < 1 || size > MaxMatrixJobs {
		return nil, fmt.Errorf("chunk size %d: must be 1-%d (GitHub's matrix limit)", size, MaxMatrixJobs)
	}
	if len(entries) == 0 {
		return nil, nil
	}
	n := (len(entries) + size - 1) / size
	if n > MaxMatrixJobs {
		return nil, fmt.Errorf("%d stacks need %d chunks of at most %d; the chunks are a matrix too, at most %d: split the class",
			len(entries), n, size, MaxMatrixJobs)
	}
	chunks := make([]Chunk, 0, n)
	base, extra := len(entries)/n, len(entries)%n
	start := 0
	for i := range n {
		k := base
		if i < extra {
			k++
		}
		chunks = append(chunks, Chunk{Index: i + 1, Of: n, Entries: entries[start : start+k]})
		start += k
	}
	return chunks, nil
}

// StackMatrix is an inner matrix: {"include": [entries]}.
type StackMatrix struct {
	Include []Entry `json:"include"`
}

// ChunkJob is one job of the outer matrix. Stacks is the inner matrix as a
// JSON string: a reusable workflow's input is a string, and the called
// workflow turns it back into a matrix with fromJSON.
type ChunkJob struct {
	Chunk  string `json:"chunk"`
	Count  int    `json:"count"`
	Stacks string `json:"stacks"`
}

// ChunkMatrix is the outer matrix: {"include": [chunk jobs]}.
type ChunkMatrix struct {
	Include []ChunkJob `json:"include"`
}

// Matrix renders the chunks as the outer matrix.
func Matrix(chunks []Chunk) (ChunkMatrix, error) {
	m := ChunkMatrix{Include: []ChunkJob{}}
	for _, c := range chunks {
		inner, err := json.Marshal(StackMatrix{Include: c.Entries})
		if err != nil {
			return ChunkMatrix{}, fmt.Errorf("render chunk %d: %w", c.Index, err)
		}
		m.Include = append(m.Include, ChunkJob{
			Chunk: fmt.Sprintf("%d of %d", c.Index, c.Of), Count: len(c.Entries), Stacks: string(inner),
		})
	}
	return m, nil
}
