"""Person names the name tagger found (``privacy.ner``), in Finnish and Swedish alike.

The tagger reads names from context, including names no lexicon has and names in lower
case; its probability is the score, so the policy threshold decides how sure it must be.
The Voikko and lexicon recognizers run beside it: a name either of them is sure of is
redacted even where the tagger hesitates.
"""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class TaggedNameRecognizer(EntityRecognizer):
    ENTITY = "PERSON"
    #: The NLP engine's label for a tagged person name.
    LABEL = "PERSON"

    def __init__(self, supported_language: str = "fi") -> None:
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language)

    def load(self) -> None:
        """Nothing to load: the NLP engine runs the tagger once per text for every recognizer."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if self.ENTITY not in entities or nlp_artifacts is None:
            return []
        return [
            RecognizerResult(
                entity_type=self.ENTITY, start=span.start_char, end=span.end_char, score=round(float(score), 3),
                analysis_explanation=AnalysisExplanation(recognizer=self.name, original_score=float(score),
                                                         textual_explanation="name tagger"),
                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                      RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True},
            )
            for span, score in zip(nlp_artifacts.entities, nlp_artifacts.scores, strict=True)
            if span.label_ == self.LABEL
        ]
