"""Build the local Danish spaCy pipeline(s) that Rasa's SpacyNLP loads (no model can be
downloaded here): ``spacy.blank("da")`` -- spaCy's Danish tokenizer with its exceptions --
saved to a folder, optionally with a lookup lemmatizer whose table comes from
spacy-lookups-data (saved into the folder, so that package is needed at build time only).

    python scripts/build_spacy_da.py var/spacy/da-blank
    python scripts/build_spacy_da.py --lemmas var/spacy/da-lemma
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--lemmas", action="store_true", help="add a lookup lemmatizer (spacy-lookups-data)")
    args = ap.parse_args(argv)
    import spacy

    nlp = spacy.blank("da")
    if args.lemmas:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    nlp.meta["name"] = "indgang_da_" + ("lemma" if args.lemmas else "blank")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    print(f"saved {nlp.pipe_names or 'tokenizer only'} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
