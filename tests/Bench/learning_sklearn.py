#!/usr/bin/python3
"""The learning-month bench's peer: TF-IDF (word 1-2 + char_wb 2-5, sublinear) + LinearSVC (C=0.5), as the NLU
benchmark's scikit-learn row. Usage: learning_sklearn.py TRAIN.tsv TEST.tsv; prints {"accuracy": ...}."""
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC


def read(path):
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                text, label = line.rsplit("\t", 1)
                texts.append(text)
                labels.append(label)
    return texts, labels


train_x, train_y = read(sys.argv[1])
test_x, test_y = read(sys.argv[2])
features = make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                      TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True))
model = make_pipeline(features, LinearSVC(C=0.5)).fit(train_x, train_y)
predicted = model.predict(test_x)
print(json.dumps({"accuracy": sum(p == g for p, g in zip(predicted, test_y)) / len(test_y)}))
