"""Bringing in what the creator made elsewhere (issue 15): ``document`` reads a script file
(.txt, .md, .docx with the standard library only), ``script`` splits it into scenes sized to
the preset's word budget and records the creator's origin declaration."""
