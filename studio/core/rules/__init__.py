"""Competition rules as pure checks: (project | probed file facts, preset) -> findings.

This package owns the rule catalogue: which checks exist, how severe a failure is,
which creator step fixes it, and the sentence (Indonesian first, English too) that
says what is wrong and what to do. It does no I/O: the pipeline gathers the facts
(``pipeline.media.probe`` fills ``MediaFacts`` from the real file, ``pipeline.checks``
reads the AI log and the timeline) and calls in here.

- ``findings``: the Finding and lists of findings;
- ``common``: helpers and the duration/frame checks both gates share;
- ``project``: live checks on the project being edited;
- ``media``: the final gate on the exported file's probed facts.

Every check returns a ``Finding`` whether it passed or not, so the export page and
the AI-usage report can show a full checklist, not only the failures.

Severity, decided per rule (``block`` stops the export, ``warn`` only informs):
- block: anything that gets an entry rejected or makes it unplayable for the jury:
  duration outside the range, a codec/profile/pixel format phones and laptops do not
  decode, wrong aspect or too small a picture, frame rate out of range, no audio (or
  only silence) when audio is required, a file over the size limit, missing required
  elements (title card, AI disclosure, burned subtitles, theme), "AI must be used".
- warn: what a jury's player copes with: loudness off target (players do not
  normalise, but the entry still plays and is judged), true peak, sample rate other
  than 48 kHz, full-range colour flags, no faststart (plays after download), missing
  file metadata (the report carries the same facts), stale outputs the creator may
  keep on purpose, AI claims not yet verified.
"""
