"""Code mappings as data: APCO incident codes, MPDS determinants, local call-type strings.

One module a concern:

- ``mpds``: the grammar of codes (MPDS determinants and their normalisation, the levels
  and card-less determinants written in a call type, APCO code normalisation);
- ``call_types``: the reading of local call-type text (normalisation, phrase rules with
  negation, rewrites, typo respelling, starred parts);
- ``mappings``: the ``CodeMappings`` facade, its construction from checked tables (``build``), the exact
  call-type table and the lookups, which return a ``MappingHit``.

``crisis_dispatch.domain.triage.mappings`` re-exports the public names.
"""
