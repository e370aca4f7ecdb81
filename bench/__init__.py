"""Benchmarks (`make bench`): measure and report into docs/benchmarks.md; never pass or fail."""
