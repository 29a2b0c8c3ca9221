"""crfsuite's own taggers as the reference the array tagger must equal (used by the entity tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pycrfsuite

from marsad.entities.ner_features import FeatureExtractor, stack_features


@dataclass
class CrfReference:
    """crfsuite's own taggers on the shipped model files, one per stage: the reference the tagger
    must equal."""

    stages: list[pycrfsuite.Tagger]

    def features(self, fx: FeatureExtractor, doc: list[list[str]]) -> list[list[list[list[str]]]]:
        """Per stage, the attribute lists crfsuite is given for the document `doc`: the second
        stage's are the first's plus `stack_features` of crfsuite's own first-stage labels."""
        words, extras = fx.analyse(doc)
        first = [fx.assemble(ws, es) for ws, es in zip(words, extras, strict=True)]
        if len(self.stages) == 1:
            return [first]
        labels = [list(self.stages[0].tag(f)) for f in first]
        stacked = stack_features(words, labels)
        return [
            first,
            [[a + b for a, b in zip(f, x, strict=True)] for f, x in zip(first, stacked, strict=True)],
        ]

    def labels(self, fx: FeatureExtractor, doc: list[list[str]]) -> list[list[str]]:
        """crfsuite's own labels for `doc`, stage by stage, from the attribute strings."""
        return [list(self.stages[-1].tag(f)) for f in self.features(fx, doc)[-1]]
