#!/usr/bin/python3
"""Makes the few-shot benchmark sets: K phrasings per intent drawn from a data set's train file, tested on its full
test file. A knowledge base has a handful of phrasings per article, so these rows say more about the product than
the full-data rows do.

usage: nlu-fewshot-sample.py SOURCE_DIR OUT_ROOT K [K ...]
  writes OUT_ROOT/<set>-<K>shot/train.tsv (the sample) and test.tsv (a copy of SOURCE_DIR/test.tsv) for each K.

The draw is deterministic: seed 0, one shuffle per intent of its examples in file order, intents in sorted order.
The K-shot sample of an intent is the first K of that shuffle, so the 5-shot set is a subset of the 10-shot one.
An intent with fewer than K examples keeps all of them. `oos` is sampled like any other label.
"""
import os
import random
import shutil
import sys


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    source, out_root, ks = argv[1].rstrip("/"), argv[2], sorted({int(k) for k in argv[3:]})
    if any(k <= 0 for k in ks):
        sys.exit("K must be positive")
    by_intent = {}
    with open(os.path.join(source, "train.tsv"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            if "\t" not in line:
                sys.exit(f"{source}/train.tsv line {n}: no tab between text and intent")
            text, intent = line.rsplit("\t", 1)
            by_intent.setdefault(intent, []).append(text)
    rng = random.Random(0)
    shuffled = {}
    for intent in sorted(by_intent):
        items = list(by_intent[intent])
        rng.shuffle(items)
        shuffled[intent] = items
    name = os.path.basename(source)
    for k in ks:
        target = os.path.join(out_root, f"{name}-{k}shot")
        os.makedirs(target, exist_ok=True)
        rows = [(t, intent) for intent in sorted(shuffled) for t in shuffled[intent][:k]]
        with open(os.path.join(target, "train.tsv"), "w", encoding="utf-8") as f:
            f.writelines(f"{t}\t{intent}\n" for t, intent in rows)
        shutil.copyfile(os.path.join(source, "test.tsv"), os.path.join(target, "test.tsv"))
        print(f"{target}: {len(rows)} training examples, {len(shuffled)} intents", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
